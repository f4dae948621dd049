import Foundation

/// Term weighting learned from a set of documents: how rare each term is across them.
/// Sums run over sorted keys so results are bit-for-bit reproducible across runs
/// (Swift dictionaries iterate in a per-process random order).
public struct TFIDFModel: Codable, Sendable, Equatable {
    public private(set) var documentCount: Int
    public private(set) var documentFrequency: [String: Int]

    /// Learns document frequencies from documents given as term lists.
    public init(documents: [[String]]) {
        documentCount = documents.count
        var frequency: [String: Int] = [:]
        for document in documents {
            for term in Set(document) { frequency[term, default: 0] += 1 }
        }
        documentFrequency = frequency
    }

    /// Smoothed inverse document frequency; unseen terms get the highest weight, never infinity.
    public func idf(_ term: String) -> Double {
        let frequency = Double(documentFrequency[term] ?? 0)
        return log((1 + Double(documentCount)) / (1 + frequency)) + 1
    }

    /// Sublinear term frequency times IDF: a term said ten times is not ten times as telling.
    public func weights(_ terms: [String]) -> [String: Double] {
        var counts: [String: Int] = [:]
        for term in terms { counts[term, default: 0] += 1 }
        var result: [String: Double] = [:]
        for (term, count) in counts { result[term] = (1 + log(Double(count))) * idf(term) }
        return result
    }

    /// `weights` scaled to unit length, ready for cosine similarity.
    public func vector(_ terms: [String]) -> [String: Double] {
        let raw = weights(terms)
        let norm = Self.norm(raw)
        guard norm > 0 else { return [:] }
        return raw.mapValues { $0 / norm }
    }

    /// Cosine similarity of two vectors (0 when either is empty).
    public static func cosine(_ a: [String: Double], _ b: [String: Double]) -> Double {
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        var dot = 0.0
        for key in small.keys.sorted() {
            if let other = large[key], let value = small[key] { dot += value * other }
        }
        let denominator = norm(a) * norm(b)
        return denominator > 0 ? dot / denominator : 0
    }

    static func norm(_ vector: [String: Double]) -> Double {
        var sum = 0.0
        for key in vector.keys.sorted() {
            let value = vector[key] ?? 0
            sum += value * value
        }
        return sum.squareRoot()
    }
}
