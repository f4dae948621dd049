import DocProtocol
import DocStore
import Foundation

/// Deterministic synthetic documents for the store phase: the same index always gives the same document,
/// so every backend and every run stores and searches the very same corpus.
///
/// Words follow a Zipf law (s = 1) over a vocabulary of 100 common English words (the most frequent
/// ranks, as function words are in real text) and ~40,000 made-up words of three to four syllables
/// (`tokalu`, `vebarin`: unique, never stemmed into each other in practice), so a rare word finds a
/// handful of documents and a common one thousands — searches are as selective as on real text.
struct StoreCorpus: Sendable {
    /// Everyday English words for the top ranks (stop words for PostgreSQL's `english` configuration,
    /// plain words for SQLite's FTS5).
    static let common = """
        the of and to a in is that for it as was with be by on not he this are or his from at which but \
        have an they you were her she there been one all we their has would when if so no will more about \
        can out up them some could into other than then its only over also new after first two most may \
        any these time where such very people through our just made state year many those between years \
        under while three last during since city world report public government week group market said \
        however according officials
        """.split(separator: " ").map(String.init)

    static let topics = ["politics", "business", "science", "technology", "health", "sport", "culture", "world"]
    static let sources = ["Reuters", "Politico", "The Ledger", "Northern Post", "Daily Wire Service", "Bulletin"]
    static let entityTypes = ["PERSON", "ORG", "GPE"]

    private static let consonants = Array("bdfgklmnprstvz")
    private static let vowels = Array("aeiou")
    /// Consonant-vowel syllables: 70 of them.
    private static let syllables: [String] = consonants.flatMap { c in vowels.map { "\(c)\($0)" } }

    let words: [String]
    /// Cumulative Zipf weights, for sampling a rank by binary search.
    private let cumulative: [Double]

    /// Ranks below this are the common English words; queries pick their words above it.
    var firstRareRank: Int { Self.common.count }

    init(vocabulary: Int = 40_000) {
        var words = Self.common
        let space = Self.syllables.count * Self.syllables.count * Self.syllables.count // 343,000
        let codas = ["", "", "n", "r", "l", "t", "m"]
        for rank in 0..<(vocabulary - words.count) {
            // An odd multiplier coprime with the space scatters ranks over it (a bijection), so the first
            // three syllables differ between any two words and word shape says nothing about frequency.
            let code = (rank &* 2_654_435_761) % space
            var word = Self.syllables[code % 70] + Self.syllables[(code / 70) % 70] + Self.syllables[code / 4_900]
            if rank % 3 == 1 { word += Self.syllables[(rank / 3) % 70] }
            word += codas[(rank / 7) % codas.count]
            words.append(word)
        }
        self.words = words
        var total = 0.0
        cumulative = (1...words.count).map { rank in
            total += 1 / Double(rank)
            return total
        }
    }

    /// A word's rank, drawn from the Zipf distribution.
    func sampleRank(_ random: inout SplitMix64) -> Int {
        let target = random.unit() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// A rank among the made-up words (no common word), for titles, keywords and queries.
    func sampleRareRank(_ random: inout SplitMix64) -> Int {
        while true {
            let rank = sampleRank(&random)
            if rank >= firstRareRank { return rank }
        }
    }

    /// The ranks of a body text of about `bytes` bytes, cut into sentences.
    func sentences(bytes: Int, _ random: inout SplitMix64) -> [[Int]] {
        var sentences: [[Int]] = []
        var size = 0
        while size < bytes {
            let length = 8 + random.below(11)
            var sentence: [Int] = []
            for _ in 0..<length {
                let rank = sampleRank(&random)
                sentence.append(rank)
                size += words[rank].utf8.count + 1
            }
            size += 1
            sentences.append(sentence)
        }
        return sentences
    }

    /// The ranks of document `index`'s body (what ``document(_:kind:bytes:)`` writes), for building queries
    /// that match it.
    func bodyRanks(_ index: Int, kind: String, bytes: Int) -> [[Int]] {
        var random = SplitMix64(seed: Self.seed(index, kind))
        return sentences(bytes: bytes, &random)
    }

    /// Document `index` of the `kind` corpus, with a body of about `bytes` bytes and what the pipeline's
    /// stages would have found in it (title, summary, keywords, entities, topic, stage outputs).
    func document(_ index: Int, kind: String, bytes: Int) -> StoredDocument {
        var random = SplitMix64(seed: Self.seed(index, kind))
        let sentences = sentences(bytes: bytes, &random)
        var paragraphs: [String] = []
        var paragraph: [String] = []
        for (number, sentence) in sentences.enumerated() {
            var text = sentence.map { words[$0] }.joined(separator: " ")
            text = text.prefix(1).uppercased() + text.dropFirst()
            // A comma now and then, as in prose.
            if sentence.count > 10, let space = text.dropFirst(20).firstIndex(of: " ") {
                text.replaceSubrange(space...space, with: ", ")
            }
            paragraph.append(text + ".")
            if paragraph.count >= 4 + (number % 3) {
                paragraphs.append(paragraph.joined(separator: " "))
                paragraph = []
            }
        }
        if !paragraph.isEmpty { paragraphs.append(paragraph.joined(separator: " ")) }
        let text = paragraphs.joined(separator: "\n\n")

        func capitalized(_ rank: Int) -> String { words[rank].prefix(1).uppercased() + words[rank].dropFirst() }
        let bodyRare = sentences.joined().filter { $0 >= firstRareRank }
        let title = (0..<(4 + random.below(5))).map { _ in
            // Mostly words of the body, as a real title is.
            capitalized(
                random.below(3) == 0 || bodyRare.isEmpty
                    ? sampleRareRank(&random)
                    : bodyRare[random.below(bodyRare.count)])
        }.joined(separator: " ")
        var keywords: [String] = []
        for rank in bodyRare.sorted(by: >) where !keywords.contains(words[rank]) {
            keywords.append(words[rank])
            if keywords.count == 6 { break }
        }
        let entities = (0..<(2 + random.below(4))).map { position in
            StoredEntity(
                text: capitalized(sampleRareRank(&random)) + " " + capitalized(sampleRareRank(&random)),
                type: Self.entityTypes[(index + position) % Self.entityTypes.count],
                count: 1 + random.below(5))
        }
        let topic = Self.topics[random.below(Self.topics.count)]
        let confidence = 0.5 + Double(random.below(50)) / 100
        let wordCount = sentences.reduce(0) { $0 + $1.count }
        // About a fifth of the body, at most 300 characters: a summarizer's few sentences.
        let summary = paragraphs.first.map { String($0.prefix(min(300, bytes / 5))) }
        let name = "\(kind)-\(index).txt"
        return StoredDocument(
            id: "\(kind)-\(String(format: "%07d", index))",
            contentHash: ContentHash.sha256(Data(text.utf8)),
            name: name,
            contentType: "text/plain",
            title: title,
            source: Self.sources[index % Self.sources.count],
            author: index % 4 == 0 ? nil : capitalized(sampleRareRank(&random)),
            language: "en",
            text: text,
            wordCount: wordCount,
            sentenceCount: sentences.count,
            topic: topic,
            topicConfidence: confidence,
            summary: summary,
            keywords: keywords,
            entities: entities,
            dates: ["20\(10 + index % 16)-0\(1 + index % 9)-1\(index % 10)"],
            metadata: ["origin": "docpipe-bench", "corpus": kind],
            stageResults: [
                "classify": #"{"topic":"\#(topic)","confidence":\#(confidence)}"#,
                "extract": #"{"title":"\#(title)","words":\#(wordCount)}"#,
            ],
            pipeline: "default",
            jobID: "job-\(kind)-\(index)",
            storedAt: Date(timeIntervalSince1970: 1_764_400_000 + Double(index)))
    }

    private static func seed(_ index: Int, _ kind: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a of the kind, then the index mixed in
        for byte in kind.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash ^ (UInt64(index) &* 0x9e37_79b9_7f4a_7c15)
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64): the same seed, the same corpus.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
