import Foundation

// The features every trained classifier shares: stemmed content words plus adjacent-word bigrams
// ("interest rate", "space shuttle"), weighted by sublinear TF times smoothed IDF and scaled to
// unit length, so a long post and a short wire story weigh the same.

/// A fixed vocabulary with IDF weights, learned from training texts, that turns text into vectors.
public struct FeatureSpace: Codable, Sendable {
    /// Whether adjacent-word bigrams are features.
    public private(set) var bigrams: Bool
    /// The vocabulary; a term's position is its feature index.
    public private(set) var terms: [String]
    private var idf: PackedFloats
    private var index: [String: Int32]

    public var count: Int { terms.count }

    /// Learns the vocabulary from tokenized documents, keeping terms seen in at least
    /// `minimumDocumentFrequency` of them: a term seen once cannot generalise, and dropping them
    /// shrinks a 20 Newsgroups model several times over.
    public init(documents: [[String]], bigrams: Bool, minimumDocumentFrequency: Int = 2) {
        self.bigrams = bigrams
        var frequency: [String: Int] = [:]
        for document in documents {
            for term in Set(document) { frequency[term, default: 0] += 1 }
        }
        let kept = frequency.filter { $0.value >= max(minimumDocumentFrequency, 1) }.keys.sorted()
        terms = kept
        let total = Double(documents.count)
        idf = PackedFloats(kept.map { Float(log((1 + total) / (1 + Double(frequency[$0] ?? 0))) + 1) })
        index = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, Int32($0)) })
    }

    /// The raw features of a text: stemmed content terms, then bigrams when enabled.
    public static func features(_ text: String, bigrams: Bool) -> [String] {
        let words = Tokenizer.terms(String(text.unicodeScalars.prefix(1_000_000))).map(Tokenizer.stem)
        guard bigrams, words.count > 1 else { return words }
        return words + zip(words, words.dropFirst()).map { $0 + " " + $1 }
    }

    /// `features(text)` with this space's settings.
    public func features(_ text: String) -> [String] { Self.features(text, bigrams: bigrams) }

    /// The unit-length TF-IDF vector of already extracted features; unknown terms are ignored.
    public func vector(features: [String]) -> SparseVector {
        var counts: [Int32: Float] = [:]
        for term in features {
            if let position = index[term] { counts[position, default: 0] += 1 }
        }
        var weighted: [Int32: Float] = [:]
        for (position, count) in counts { weighted[position] = (1 + log(count)) * idf.values[Int(position)] }
        return SparseVector(weighted).normalized()
    }

    /// The unit-length TF-IDF vector of a text.
    public func vector(_ text: String) -> SparseVector { vector(features: features(text)) }

    enum CodingKeys: String, CodingKey { case bigrams, terms, idf }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bigrams = try container.decode(Bool.self, forKey: .bigrams)
        terms = try container.decode([String].self, forKey: .terms)
        idf = try container.decode(PackedFloats.self, forKey: .idf)
        guard idf.values.count == terms.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .idf, in: container,
                debugDescription: "\(idf.values.count) IDF weights for \(terms.count) terms")
        }
        // Duplicate terms would make the dictionary initializer trap; a damaged file must not crash.
        var index: [String: Int32] = [:]
        for (position, term) in terms.enumerated() { index[term] = Int32(position) }
        self.index = index
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bigrams, forKey: .bigrams)
        try container.encode(terms, forKey: .terms)
        try container.encode(idf, forKey: .idf)
    }
}
