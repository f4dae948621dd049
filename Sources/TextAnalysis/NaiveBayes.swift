import Foundation

// Multinomial Naive Bayes over TF-IDF-weighted term counts (Rennie et al. 2003 showed the
// weighting fixes much of plain NB's bias toward frequent words). Small, fast, needs little data,
// and every number in it can be printed and explained.

/// A topic classifier trained from labelled examples; Codable so a trained model can be saved.
public struct TopicClassifier: Sendable, Codable {
    /// The labels the classifier knows, sorted.
    public private(set) var labels: [String]
    private var logPriors: [Double]
    /// Per label: log P(term | label) for terms seen with that label.
    private var logLikelihoods: [[String: Double]]
    /// Per label: log P(term | label) for a vocabulary term never seen with that label.
    private var unseenLogLikelihoods: [Double]
    private var vocabulary: Set<String>
    private var idf: TFIDFModel
    private var bigrams: Bool

    /// Trains with Laplace smoothing and unigram plus bigram features.
    public init(training: [LabeledText]) {
        self.init(training: training, smoothing: 1, bigrams: true)
    }

    /// Trains with the given additive smoothing (> 0) and optional bigram features.
    public init(training: [LabeledText], smoothing: Double, bigrams: Bool) {
        let alpha = smoothing > 0 ? smoothing : 1
        self.bigrams = bigrams
        let documents = training.map { Self.features($0.text, bigrams: bigrams) }
        idf = TFIDFModel(documents: documents)
        labels = Set(training.map(\.label)).sorted()
        var vocabulary = Set<String>()
        documents.forEach { vocabulary.formUnion($0) }
        self.vocabulary = vocabulary
        var totals = [[String: Double]](repeating: [:], count: labels.count)
        var documentCounts = [Int](repeating: 0, count: labels.count)
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        for (example, terms) in zip(training, documents) {
            guard let index = labelIndex[example.label] else { continue }
            documentCounts[index] += 1
            for (term, weight) in idf.weights(terms) { totals[index][term, default: 0] += weight }
        }
        let vocabularySize = Double(max(vocabulary.count, 1))
        logPriors = documentCounts.map { log(Double($0) / Double(max(training.count, 1))) }
        logLikelihoods = []
        unseenLogLikelihoods = []
        for weights in totals {
            let mass = weights.keys.sorted().reduce(0.0) { $0 + (weights[$1] ?? 0) }
            let denominator = mass + alpha * vocabularySize
            logLikelihoods.append(weights.mapValues { log(($0 + alpha) / denominator) })
            unseenLogLikelihoods.append(log(alpha / denominator))
        }
    }

    /// The most probable label with probabilities for all labels (softmax of the log posteriors).
    /// The amount of TF-IDF evidence a document is scaled to before the posterior is computed.
    static let referenceWeight = 5.0

    public func classify(_ text: String) -> TopicPrediction {
        guard !labels.isEmpty else { return TopicPrediction(topic: "unknown", confidence: 0, labels: []) }
        let weights = idf.weights(Self.features(text, bigrams: bigrams).filter { vocabulary.contains($0) })
        let terms = weights.keys.sorted()
        // Naive Bayes multiplies one likelihood per term as if terms were independent, so a long document
        // drives the posterior to 1.00 whatever the evidence. Scaling the evidence down to a reference
        // length keeps the ranking and makes the confidence (and the runner-up scores) mean something.
        let totalWeight = terms.reduce(0) { $0 + (weights[$1] ?? 0) }
        let evidenceScale = totalWeight > Self.referenceWeight ? Self.referenceWeight / totalWeight : 1
        let scores = labels.indices.map { index in
            logPriors[index] + evidenceScale
                * terms.reduce(0) { sum, term in
                    sum + (weights[term] ?? 0) * (logLikelihoods[index][term] ?? unseenLogLikelihoods[index])
                }
        }
        let maxScore = scores.max() ?? 0
        let exponentials = scores.map { exp($0 - maxScore) }
        let total = exponentials.reduce(0, +)
        let ranked = zip(labels, exponentials)
            .map { LabelScore(label: $0, score: total > 0 ? $1 / total : 1 / Double(labels.count)) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.label < $1.label }
        return TopicPrediction(topic: ranked[0].label, confidence: ranked[0].score, labels: ranked)
    }

    /// Stemmed content terms, plus adjacent-term bigrams ("defense minister") when enabled.
    static func features(_ text: String, bigrams: Bool) -> [String] {
        let terms = Tokenizer.terms(String(text.unicodeScalars.prefix(1_000_000))).map(Tokenizer.stem)
        guard bigrams, terms.count > 1 else { return terms }
        return terms + zip(terms, terms.dropFirst()).map { $0 + " " + $1 }
    }
}
