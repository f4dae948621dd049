// The value types the worker plugins exchange. They are Codable so a plugin can put them straight
// into a StageResult body, and Sendable so they cross actor boundaries freely.

/// One named thing mentioned in a text, with how often it was mentioned.
public struct Entity: Codable, Sendable, Equatable, Hashable {
    public var text: String
    public var type: EntityType
    public var count: Int

    public init(text: String, type: EntityType, count: Int) {
        self.text = text
        self.type = type
        self.count = count
    }
}

/// The coarse kind of a named entity.
public enum EntityType: String, Codable, Sendable, CaseIterable {
    case person, organization, place, other
}

/// The result of classifying one text.
public struct TopicPrediction: Codable, Sendable, Equatable {
    /// The most probable label, or "unknown" when the classifier has no training data.
    public var topic: String
    /// The probability of `topic`, 0…1.
    public var confidence: Double
    /// Every label with its probability, most probable first; the scores sum to ~1.
    public var labels: [LabelScore]

    public init(topic: String, confidence: Double, labels: [LabelScore]) {
        self.topic = topic
        self.confidence = confidence
        self.labels = labels
    }
}

/// One label with its score (a probability for `TopicPrediction`).
public struct LabelScore: Codable, Sendable, Equatable {
    public var label: String
    public var score: Double

    public init(label: String, score: Double) {
        self.label = label
        self.score = score
    }
}

/// One training example for `TopicClassifier`.
public struct LabeledText: Codable, Sendable, Equatable {
    public var label: String
    public var text: String

    public init(label: String, text: String) {
        self.label = label
        self.text = text
    }
}

/// An extractive summary: sentences picked verbatim from the text, in their original order.
public struct Summary: Codable, Sendable, Equatable {
    /// The picked sentences joined by single spaces.
    public var summary: String
    public var sentences: [String]
    /// Lowercase key terms, most important first.
    public var keywords: [String]
    /// How the sentences were picked: "textrank", or "lead" when the text was too small to rank.
    public var method: String

    public init(summary: String, sentences: [String], keywords: [String], method: String) {
        self.summary = summary
        self.sentences = sentences
        self.keywords = keywords
        self.method = method
    }
}
