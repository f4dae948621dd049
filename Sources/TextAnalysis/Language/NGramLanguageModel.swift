import Foundation

// Naive Bayes over character n-grams, the method of langdetect, made deterministic.
//
// Each language profile gives P(n-gram | language) as its count over the language's total of
// n-grams of that length. A text scores, per language, the sum over its n-grams of
// log(P + λ), with λ = 0.5 / 10,000 (langdetect's smoothing: an n-gram a language never showed
// costs it a fixed penalty rather than ruling it out). langdetect samples n-grams at random and
// averages several runs; here every n-gram counts once, so the same text always gets the same answer.
//
// Two rules about writing systems sit on top, because the profiles were counted on Wikipedia,
// where every language quotes Latin-script names:
// - When most of the letters (CJK characters counted three times, as one stands for a word) are
//   not Latin, n-grams with Latin letters are ignored. A Chinese or Russian sentence that names
//   "Django" or "HTML" is not English.
// - Text that is mostly CJK is Korean if it has hangul, Japanese if it has a real amount of
//   kana, and Chinese otherwise; the profiles then only choose among those.
// The Chinese profiles (zh-cn, zh-tw) are reported together as "zh": on held-out text the two
// scripts were told apart only 83% of the time (docs/EVALUATION.md), too often to report.

/// A language identifier built from n-gram profiles (see `NGramProfileFile`).
public struct NGramLanguageModel: Sendable {
    /// The profiles' language codes, as in the file.
    public let profileCodes: [String]
    /// Where the profiles came from, for logs and `docpipe language --json`.
    public let source: String
    let folding: CharacterFolding
    /// For each known n-gram, the languages that showed it and log(P + λ) − log(λ) for each.
    let postings: NGramPostingTable

    typealias Posting = NGramPostingTable.Posting

    static let smoothing = 0.5 / 10_000

    /// The codes this model can answer with (Chinese variants merged).
    public var languages: [String] { Array(Set(profileCodes.map(Self.reportedCode))).sorted() }

    public init(file: NGramProfileFile) throws(NGramProfileFile.Invalid) {
        guard file.format == NGramProfileFile.currentFormat else {
            throw .init("unsupported profile format \(file.format); expected \(NGramProfileFile.currentFormat)")
        }
        guard !file.languages.isEmpty, file.languages.count < Int(UInt16.max) else {
            throw .init("the profile file lists no languages")
        }
        var postings: [NGramKey: [Posting]] = [:]
        for (index, profile) in file.languages.enumerated() {
            guard profile.nWords.count == 3 else { throw .init("profile \(profile.code): nWords must have 3 totals") }
            for (gram, count) in profile.freq {
                guard count > 0, let key = NGramScan.key(gram.unicodeScalars) else { continue }
                let total = profile.nWords[gram.unicodeScalars.count - 1]
                guard total > 0 else { continue }
                let probability = Double(count) / Double(total)
                let weight = log(probability + Self.smoothing) - log(Self.smoothing)
                postings[key, default: []].append(Posting(language: UInt16(index), weight: Float(weight)))
            }
        }
        var classes: [Unicode.Scalar: Unicode.Scalar] = [:]
        for members in file.cjkClasses {
            guard let representative = members.unicodeScalars.first else { continue }
            for member in members.unicodeScalars { classes[member] = representative }
        }
        self.profileCodes = file.languages.map(\.code)
        self.source = file.source
        self.folding = CharacterFolding(ideographClasses: classes)
        self.postings = NGramPostingTable(postings)
    }

    static func reportedCode(_ code: String) -> String { code.hasPrefix("zh-") ? "zh" : code }

    /// The language and a confidence in 0…1, or nil when no n-gram of the text is in any profile
    /// (a script none of the profiles covers, or no letters at all).
    public func identify(_ text: String) -> (language: String, confidence: Double)? {
        let letters = LetterCensus(text)
        guard letters.total >= 4 else { return ("und", 0) }
        var scores = [Double](repeating: 0, count: profileCodes.count)
        var matched = 0
        let skipLatin = letters.mostlyNonLatin
        NGramScan.forEachNGram(in: text, folding: folding) { key in
            if skipLatin && LetterCensus.containsLatin(key) { return }
            if postings.addWeights(of: key, to: &scores) { matched += 1 }
        }
        guard matched > 0 else { return nil }
        let allowed = allowedProfiles(letters)
        let guess = decide(scores: scores, allowed: allowed, matched: matched)
        if NordicMarkers.languages.contains(guess.language), let preferred = NordicMarkers.preferred(in: text),
            preferred != guess.language, profileCodes.contains(preferred)
        {
            return (preferred, guess.confidence)
        }
        return guess
    }

    private func allowedProfiles(_ letters: LetterCensus) -> [Int] {
        guard let family = letters.eastAsianFamily else { return Array(profileCodes.indices) }
        let allowed = profileCodes.indices.filter { family.contains(Self.reportedCode(profileCodes[$0])) }
        return allowed.isEmpty ? Array(profileCodes.indices) : allowed
    }

    /// Turns summed log-likelihoods into a reported language and confidence. The sums grow with
    /// the length of the text, and a softmax over them would claim certainty after a few words, so
    /// the evidence is tempered to at most about 30 n-grams (a few words)' worth before the softmax: the
    /// confidence then says how clearly one language wins per n-gram, not how long the text was.
    private func decide(scores: [Double], allowed: [Int], matched: Int) -> (language: String, confidence: Double) {
        let temper = Double(max(matched, 30)) / 30
        let best = allowed.map { scores[$0] }.max() ?? 0
        var mass: [String: Double] = [:]
        var total = 0.0
        for index in allowed {
            let weight = exp((scores[index] - best) / temper)
            mass[Self.reportedCode(profileCodes[index]), default: 0] += weight
            total += weight
        }
        guard let (code, weight) = mass.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })
        else { return ("und", 0) }
        let confidence = (weight / total * 1000).rounded() / 1000
        return confidence < Self.minimumConfidence ? ("und", confidence) : (code, confidence)
    }

    /// Below this the answer is "und": two or more languages fit about equally well.
    static let minimumConfidence = 0.4
}

/// Letters of a text by writing system: enough to apply the script rules above.
struct LetterCensus {
    var total = 0
    var latin = 0
    var han = 0
    var kana = 0
    var hangul = 0

    init(_ text: String) {
        for scalar in text.unicodeScalars.prefix(20_000) where Tokenizer.isLetter(scalar) {
            total += 1
            let value = scalar.value
            if Self.isLatin(value) {
                latin += 1
            } else if (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) {
                han += 1
            } else if (0x3040...0x30FF).contains(value) {
                kana += 1
            } else if (0xAC00...0xD7AF).contains(value) {
                hangul += 1
            }
        }
    }

    private var eastAsian: Int { han + kana + hangul }
    /// Letters, with each CJK character counted three times (one stands for about a word).
    private var weightedTotal: Int { total + 2 * eastAsian }

    var mostlyNonLatin: Bool {
        total > 0 && Double(weightedTotal - latin) >= 0.3 * Double(weightedTotal)
    }

    /// The languages a mostly-CJK text can be in, or nil when the text is not mostly CJK.
    var eastAsianFamily: Set<String>? {
        guard mostlyNonLatin, Double(3 * eastAsian) >= 0.3 * Double(weightedTotal) else { return nil }
        if hangul >= max(kana, 1) { return ["ko"] }
        if kana * 10 >= han || kana >= 3 { return ["ja"] }
        return ["zh"]
    }

    static func isLatin(_ value: UInt32) -> Bool {
        (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) || (0xC0...0x24F).contains(value)
            || (0x1E00...0x1EFF).contains(value)
    }

    /// Whether any character of a packed n-gram is a Latin letter.
    static func containsLatin(_ key: NGramKey) -> Bool {
        var rest = key
        while rest != 0 {
            if isLatin(UInt32(rest & 0x1F_FFFF)) { return true }
            rest >>= 21
        }
        return false
    }
}
