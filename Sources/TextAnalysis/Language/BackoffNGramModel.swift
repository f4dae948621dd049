import Foundation

// Language identification with lingua's 1- to 5-gram models (see NGramTableFile), the method that
// holds on short text.
//
// A text is lowercased and cut into words of letters (general category L: Indic vowel signs split
// words, as they did when lingua counted). Each n-gram's probability in the table is conditional:
// P(last character | the ones before it). For every character of a word and every order n = 1…5
// that fits, a language pays −ln P of the longest suffix it knows, from n characters down to 1
// (a Markov back-off), or a fixed high cost when it has never seen even the character; near a word's
// start, where fewer than n − 1 characters precede, the longest context there is. The orders' sums
// are added with weights (orderWeights): short texts get the sharp 4- and 5-gram evidence, and the
// 3-gram terms keep a rare word from deciding alone.
//
// Writing systems come first. Only words in the text's main script are scored, and only languages
// written in it compete: a Russian sentence naming "Django" is not scored as English. A script one
// language owns (Greek, Hebrew, Thai, Georgian…) answers without scoring, and so do the East Asian
// scripts (see eastAsianLanguage). A script the table has no language for (Kannada, Malayalam) gets
// no answer here: the caller asks the langdetect profiles, which cover them.
//
// Serbian is written in both Cyrillic and Latin; lingua's Serbian model is Cyrillic. A Latin-script
// text that reads as Croatian, Bosnian or Slovene is therefore also scored as Serbian after
// transliteration to Cyrillic (the mapping is one to one letter, with lj, nj and dž as single Cyrillic
// letters), and the costs are scaled to the Latin character count so that the shorter Cyrillic spelling
// is not an advantage.
//
// Scoring stops early once one language leads every other clearly (isDecided): an English article is
// settled in its first 150 letters, while a text on which two languages stay close is scored to the end
// of the sample.

/// A language identifier over a mapped n-gram table.
public struct BackoffNGramModel: Sendable {
    let table: NGramTableFile
    /// The table's language codes, in table order.
    public let codes: [String]
    /// Where the table came from, for logs and `docpipe language --json`.
    public var source: String { table.header.source }
    private let scriptOfLanguage: [Int]
    private let scripts: ScriptTable
    private let eastAsianScripts: [Int]
    /// The Serbian (Cyrillic) model, when the table has one: also scored on transliterated Latin text.
    private let serbian: Int?

    /// Letters considered, from the start of the text: about 80 words. Texts of 30+ words (about 200
    /// letters) are already right 99% of the time (docs/EVALUATION.md), and scoring costs about a
    /// microsecond per letter, so a longer sample only slows the extractor on every article (1,500
    /// letters cost the bench's text chain a quarter of its speed).
    static let sampleLetters = 500
    /// The cost of a character a language has never seen, in table units (its maximum).
    static let unseenCost = 255.0
    /// How much each order's likelihood counts, 1- to 5-grams. Compared on a development set (the
    /// translations of wagtail and django-allauth, eval/langid_dev.py, none of it in the evaluation's
    /// set): equal weights 94.7% macro accuracy on 5–10 words, 3- to 5-grams weighted 1:2:4 95.1%,
    /// 5-grams alone 94.0%. The 1- and 2-grams still matter as the back-off of the longer ones.
    static let orderWeights: [UInt32] = [0, 0, 1, 2, 4]

    public init(table: NGramTableFile) {
        self.table = table
        codes = table.header.languages.map(\.code)
        let scripts = ScriptTable(table.header.scripts)
        let scriptOfLanguage = table.header.languages.map { scripts.index(named: $0.script) }
        self.scripts = scripts
        // Han, Kana, Hangul (an "Other" stand-in for any the table does not name).
        eastAsianScripts = ["Han", "Kana", "Hangul"].map(scripts.index(named:))
        self.scriptOfLanguage = scriptOfLanguage
        serbian = codes.firstIndex(of: "sr").flatMap {
            scriptOfLanguage[$0] == scripts.index(named: "Cyrillic") ? $0 : nil
        }
    }

    /// The codes this model can answer with.
    public var languages: [String] { (codes + ["ja", "ko", "zh"]).sorted() }

    /// Per-language log-likelihoods (nats, summed over the five orders) of the languages written in
    /// the text's main script; for tests and tools.
    public struct Scores: Sendable {
        /// The main script's name, or nil when the text has no letters.
        public var script: String?
        /// Language code → score (higher is likelier); empty when no language is written in the script.
        public var byLanguage: [String: Double]
        /// Scored characters.
        public var positions: Int
    }

    /// The language and a confidence in 0…1; ("und", 0) for text with too few letters to judge; nil when
    /// no language of the table is written in the text's script.
    public func identify(_ text: String) -> (language: String, confidence: Double)? {
        let words = Self.words(of: text)
        let letters = words.reduce(0) { $0 + $1.count }
        guard letters >= 3 else { return ("und", 0) }
        let scores = score(words)
        guard !scores.byLanguage.isEmpty else { return nil }
        return Self.decide(scores)
    }

    public func scores(_ text: String) -> Scores { score(Self.words(of: text)) }

    /// Below this the answer is "und": two or more languages fit about equally well.
    static let minimumConfidence = 0.3

    /// Softmax over the scores, tempered like the profile model's: the evidence is counted as at most
    /// about 30 characters' worth (per order), so the confidence says how clearly one language wins
    /// per character rather than how long the text was.
    static func decide(_ scores: Scores) -> (language: String, confidence: Double) {
        let ranked = scores.byLanguage.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        guard let best = ranked.first else { return ("und", 0) }
        if ranked.count == 1 { return (best.key, 1) }
        let weights = Double(orderWeights.reduce(0, +))
        let temper = weights * Double(max(scores.positions, 30)) / 30
        let total = ranked.reduce(0.0) { $0 + exp(($1.value - best.value) / temper) }
        let confidence = ((1 / total) * 1000).rounded() / 1000
        return confidence < minimumConfidence ? ("und", confidence) : (best.key, confidence)
    }

    /// The text's words: lowercased runs of letters, from at most `sampleLetters` letters.
    static func words(of text: String) -> [[Unicode.Scalar]] {
        var sample = String.UnicodeScalarView()
        var letters = 0
        for scalar in text.unicodeScalars {
            if isLetter(scalar) {
                letters += 1
                if letters > sampleLetters { break }
            }
            sample.append(scalar)
        }
        var lowered = String(sample).lowercased()
        if lowered.unicodeScalars.contains(where: NGramScan.mayCompose) {
            lowered = lowered.precomposedStringWithCanonicalMapping
        }
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in lowered.unicodeScalars {
            if isLetter(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// General category L*, as lingua counted (ASCII answered from the code point).
    @inline(__always)
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    private func score(_ words: [[Unicode.Scalar]]) -> Scores {
        // The main script: the one most letters are in.
        var letterCounts = [Int](repeating: 0, count: scripts.count)
        var wordScripts: [Int] = []
        wordScripts.reserveCapacity(words.count)
        for word in words {
            for scalar in word { letterCounts[scripts.index(of: scalar)] += 1 }
            wordScripts.append(scripts.index(of: word[0]))
        }
        // A Chinese or Japanese character stands for about a word's worth of letters: a Chinese sentence
        // naming "intersphinx_mapping" is still Chinese.
        for script in eastAsianScripts { letterCounts[script] *= 3 }
        guard let main = mainScript(letterCounts) else { return Scores(script: nil, byLanguage: [:], positions: 0) }
        let scriptName = scripts.names[main]
        if let eastAsian = Self.eastAsianLanguage(main: scriptName, hasKana: letterCounts[eastAsianScripts[1]] > 0) {
            return Scores(script: scriptName, byLanguage: [eastAsian: 0], positions: 0)
        }
        let candidates = codes.indices.filter { scriptOfLanguage[$0] == main }
        guard candidates.count > 1 else {
            return Scores(
                script: scriptName, byLanguage: Dictionary(uniqueKeysWithValues: candidates.map { (codes[$0], 0) }),
                positions: 0)
        }
        let scored = zip(words, wordScripts).filter { $0.1 == main }.map(\.0)
        var costs = [Double](repeating: 0, count: codes.count)
        let (positions, used) = accumulate(scored, candidates: candidates, into: &costs, stopWhenDecided: true)
        var byLanguage: [String: Double] = [:]
        for language in candidates { byLanguage[codes[language]] = -costs[language] / table.header.scale }
        // Serbian in Latin letters reads, among the Latin-script models, as Croatian, Bosnian or Slovene;
        // only then can the Serbian model win, so only then is the text transliterated and scored again.
        if let serbian, scriptName == "Latin",
            let leader = byLanguage.max(by: { $0.value < $1.value })?.key, Self.closeToSerbian.contains(leader)
        {
            let transliterated = scored.prefix(used).map(SerbianLatin.cyrillic)
            var serbianCosts = [Double](repeating: 0, count: codes.count)
            let cyrillicPositions = accumulate(transliterated, candidates: [serbian], into: &serbianCosts).positions
            if cyrillicPositions > 0 {
                let perLatinPosition = Double(positions) / Double(cyrillicPositions)
                byLanguage["sr"] = -serbianCosts[serbian] * perLatinPosition / table.header.scale
            }
        }
        return Scores(script: scriptName, byLanguage: byLanguage, positions: positions)
    }

    /// The Latin-script languages a Serbian text in Latin letters is scored as (without them leading, the
    /// Serbian model is not asked).
    static let closeToSerbian: Set<String> = ["hr", "bs", "sl"]

    /// The script most letters are in, except that Latin letters give way to another script once that
    /// one has 30% of them (as in the profile model): a Hindi or Thai message full of Latin file names and
    /// option names is still Hindi or Thai.
    private func mainScript(_ letterCounts: [Int]) -> Int? {
        let total = letterCounts.reduce(0, +)
        guard total > 0 else { return nil }
        let latin = scripts.index(named: "Latin")
        let nonLatin = letterCounts.indices.filter { $0 != latin && $0 != scripts.count - 1 }
        if let other = nonLatin.max(by: { letterCounts[$0] < letterCounts[$1] }),
            Double(letterCounts[other]) >= 0.3 * Double(total)
        {
            return other
        }
        return letterCounts.indices.max { letterCounts[$0] < letterCounts[$1] }
    }

    /// lingua has no n-gram models for Chinese, Japanese and Korean; their scripts tell them apart, as in
    /// lingua's own rules: hangul is Korean, any kana makes Japanese, ideographs alone are Chinese.
    static func eastAsianLanguage(main: String, hasKana: Bool) -> String? {
        switch main {
        case "Hangul": return "ko"
        case "Kana": return "ja"
        case "Han": return hasKana ? "ja" : "zh"
        default: return nil
        }
    }

    /// Adds each candidate's cost of `words` to `costs`; returns the characters scored and the words they
    /// were in. With `stopWhenDecided`, scoring ends after the first word at which one candidate leads
    /// clearly (see `isDecided`): the letters after it would only repeat the verdict.
    private func accumulate(
        _ words: [[Unicode.Scalar]], candidates: [Int], into costs: inout [Double], stopWhenDecided: Bool = false
    ) -> (positions: Int, words: Int) {
        // Every language is scored in dense loops (the compiler vectorises them) and the candidates are
        // picked out at the end: cheaper than testing each posting's language against the candidates.
        let count = codes.count
        var current = [UInt32](repeating: 0, count: count)
        var totals = [UInt32](repeating: 0, count: count)
        var positions = 0
        var scoredWords = 0
        let unseen = UInt32(Self.unseenCost)
        current.withUnsafeMutableBufferPointer { current in
            totals.withUnsafeMutableBufferPointer { totals in
                for word in words {
                    for end in word.indices {
                        let longest = min(5, end + 1)
                        for language in 0..<count { current[language] = unseen }
                        for order in 1...longest {
                            var hash = NGramHash()
                            for index in (end - order + 1)...end { hash.add(word[index].value) }
                            for posting in table.postings(hash: hash.finished) {
                                current[table.language(at: posting)] = UInt32(table.cost(at: posting))
                            }
                            let weight = Self.orderWeights[order - 1]
                            if weight > 0 {
                                for language in 0..<count { totals[language] &+= weight &* current[language] }
                            }
                        }
                        // Near a word's start the higher orders have only the characters before it as
                        // context: they score it with what the longest available context gave, so every
                        // order is a likelihood of every character (skipping them would leave the 5-gram
                        // order only the predictable ends of long words).
                        if longest < 5 {
                            let weight = Self.orderWeights[longest...].reduce(0, +)
                            for language in 0..<count { totals[language] &+= weight &* current[language] }
                        }
                        positions += 1
                    }
                    scoredWords += 1
                    if stopWhenDecided, Self.isDecided(totals, candidates: candidates, positions: positions) { break }
                }
            }
        }
        for language in candidates { costs[language] += Double(totals[language]) }
        return (positions, scoredWords)
    }

    /// Letters scored before a text may be decided early, and the lead the best language must then have over
    /// the next: 40 nats per unit of order weight (the table's costs are nats × 12). Checked with the
    /// evaluation's texts (eval/langid_data.py) through `docpipe language --lines`, before and after: of the
    /// 27,665 texts of the three bands one answer changed (a catalogue entry that is half Portuguese, now
    /// `pt`), of 1,005 article-length texts made by joining them four; language ID on the bench's articles
    /// went from about 1,100 to 3,900 a second.
    static let earliestDecision = 150
    static let decisiveLead: UInt32 = 40 * 12

    /// Whether one candidate leads all others by `decisiveLead` (per unit of order weight) after at least
    /// `earliestDecision` letters.
    @inline(__always)
    static func isDecided(_ totals: UnsafeMutableBufferPointer<UInt32>, candidates: [Int], positions: Int) -> Bool {
        guard positions >= earliestDecision else { return false }
        var best = UInt32.max
        var second = UInt32.max
        for language in candidates {
            let total = totals[language]
            if total < best {
                second = best
                best = total
            } else if total < second {
                second = total
            }
        }
        let weights = orderWeights.reduce(0, +)
        return second != .max && second - best >= decisiveLead * weights
    }
}

/// Script names and their code-point ranges, as the table's header lists them, with a direct lookup
/// for the first 12,288 code points (every alphabet but the East Asian ones).
struct ScriptTable: Sendable {
    let names: [String]
    private let ranges: [(low: UInt32, high: UInt32, script: Int)]
    private let direct: [UInt8]
    private static let directLimit: UInt32 = 0x3000

    init(_ scripts: [NGramTableFile.Header.Script]) {
        names = scripts.map(\.name) + ["Other"]
        ranges = scripts.enumerated().flatMap { index, script in
            script.ranges.compactMap { pair in pair.count == 2 ? (pair[0], pair[1], index) : nil }
        }
        let other = names.count - 1
        var direct = [UInt8](repeating: UInt8(other), count: Int(Self.directLimit))
        for range in ranges.reversed() where range.low < Self.directLimit {
            for value in range.low...min(range.high, Self.directLimit - 1) { direct[Int(value)] = UInt8(range.script) }
        }
        self.direct = direct
    }

    var count: Int { names.count }

    func index(named name: String) -> Int { names.firstIndex(of: name) ?? names.count - 1 }

    @inline(__always)
    func index(of scalar: Unicode.Scalar) -> Int {
        if scalar.value < Self.directLimit { return Int(direct[Int(scalar.value)]) }
        return ranges.first { $0.low <= scalar.value && scalar.value <= $0.high }?.script ?? names.count - 1
    }
}
