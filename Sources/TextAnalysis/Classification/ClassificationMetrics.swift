// Accuracy alone flatters a model on skewed data such as Reuters R8, where "earn" is half of the
// test set; macro-F1 weighs every label equally, so both are reported.

/// Accuracy, macro-averaged F1 and per-label scores of predictions against gold labels.
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    /// Precision, recall and F1 of one label.
    public struct LabelMetrics: Codable, Sendable, Equatable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// How many test documents carry this label.
        public var support: Int
    }

    public var documents: Int
    public var accuracy: Double
    public var macroF1: Double
    public var labels: [LabelMetrics]

    /// Compares `predicted` with `gold` pairwise (extra elements of the longer list are ignored).
    public init(gold: [String], predicted: [String]) {
        let pairs = Array(zip(gold, predicted))
        documents = pairs.count
        accuracy = pairs.isEmpty ? 0 : Double(pairs.filter { $0.0 == $0.1 }.count) / Double(pairs.count)
        let names = Set(gold).union(predicted).sorted()
        labels = names.map { name in
            let truePositives = Double(pairs.filter { $0.0 == name && $0.1 == name }.count)
            let predictedCount = Double(pairs.filter { $0.1 == name }.count)
            let support = pairs.filter { $0.0 == name }.count
            let precision = predictedCount > 0 ? truePositives / predictedCount : 0
            let recall = support > 0 ? truePositives / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            return LabelMetrics(label: name, precision: precision, recall: recall, f1: f1, support: support)
        }
        // Labels that never occur in the gold data are predictions only; averaging them in would
        // punish a model for the test set's make-up rather than its mistakes.
        let scored = labels.filter { $0.support > 0 }
        macroF1 = scored.isEmpty ? 0 : scored.reduce(0) { $0 + $1.f1 } / Double(scored.count)
    }
}
