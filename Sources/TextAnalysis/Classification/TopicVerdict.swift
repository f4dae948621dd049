import Foundation

/// What the classifier reports for one text: a topic, or `unknown` with the reason it abstained.
public struct TopicVerdict: Equatable, Sendable {
    /// Why the classifier answered `unknown`.
    public enum Abstention: Equatable, Sendable {
        /// The best guess's calibrated confidence was below the model's threshold.
        case lowConfidence
        /// The text is not prose; the model was not asked.
        case notProse(NonProseKind)

        /// The reason as the worker's output names it.
        public var reason: String {
            switch self {
            case .lowConfidence: "low_confidence"
            case .notProse: "not_prose"
            }
        }
    }

    /// The topic the classifier answers with: the most probable label, or "unknown".
    public var topic: String
    /// The most probable label's (calibrated) probability, also when it was not good enough; 0 for non-prose.
    public var confidence: Double
    /// Every label with its probability, most probable first; empty for non-prose.
    public var labels: [LabelScore]
    public var abstention: Abstention?
    /// The most probable label when the classifier abstained for low confidence.
    public var bestGuess: String?

    /// The label reported instead of a topic.
    public static let unknown = "unknown"

    /// Non-prose first (a table's words would fool the model), then the model, then its threshold.
    public static func decide(
        _ text: String, abstainBelow: Double,
        classify: (String) -> TopicPrediction
    ) -> TopicVerdict {
        if let kind = NonProse.detect(text) {
            return TopicVerdict(topic: unknown, confidence: 0, labels: [], abstention: .notProse(kind), bestGuess: nil)
        }
        let prediction = classify(text)
        if prediction.confidence < abstainBelow {
            return TopicVerdict(
                topic: unknown, confidence: prediction.confidence, labels: prediction.labels,
                abstention: .lowConfidence, bestGuess: prediction.topic)
        }
        return TopicVerdict(
            topic: prediction.topic, confidence: prediction.confidence, labels: prediction.labels,
            abstention: nil, bestGuess: nil)
    }
}
