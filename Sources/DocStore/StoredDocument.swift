public import Foundation

/// A processed document as the store keeps it: the text, what the pipeline stages found in it,
/// and where it came from.
///
/// The store assigns ``version``: whatever value is passed to ``SQLiteStore/upsert(_:)`` is
/// replaced by 1 for a new id, or by the next number when the content of a known id changed.
/// ``contentHash`` is what decides "changed": the storage writer fills it with the protocol's
/// `ContentHash` of the original bytes.
public struct StoredDocument: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int
    public var contentHash: String
    public var name: String?
    public var contentType: String?
    public var title: String?
    public var source: String?
    public var author: String?
    public var language: String?
    public var text: String
    public var wordCount: Int
    public var sentenceCount: Int
    public var topic: String?
    public var topicConfidence: Double?
    public var summary: String?
    public var keywords: [String]
    public var entities: [StoredEntity]
    public var dates: [String]
    public var metadata: [String: String]
    /// Each stage's raw JSON output, by stage name, so `docpipe show` can print what a stage said
    /// even for fields the store has no column for.
    public var stageResults: [String: String]
    public var pipeline: String?
    public var jobID: String?
    public var storedAt: Date

    public init(
        id: String,
        version: Int = 1,
        contentHash: String,
        name: String? = nil,
        contentType: String? = nil,
        title: String? = nil,
        source: String? = nil,
        author: String? = nil,
        language: String? = nil,
        text: String,
        wordCount: Int = 0,
        sentenceCount: Int = 0,
        topic: String? = nil,
        topicConfidence: Double? = nil,
        summary: String? = nil,
        keywords: [String] = [],
        entities: [StoredEntity] = [],
        dates: [String] = [],
        metadata: [String: String] = [:],
        stageResults: [String: String] = [:],
        pipeline: String? = nil,
        jobID: String? = nil,
        storedAt: Date = Date()
    ) {
        self.id = id
        self.version = version
        self.contentHash = contentHash
        self.name = name
        self.contentType = contentType
        self.title = title
        self.source = source
        self.author = author
        self.language = language
        self.text = text
        self.wordCount = wordCount
        self.sentenceCount = sentenceCount
        self.topic = topic
        self.topicConfidence = topicConfidence
        self.summary = summary
        self.keywords = keywords
        self.entities = entities
        self.dates = dates
        self.metadata = metadata
        self.stageResults = stageResults
        self.pipeline = pipeline
        self.jobID = jobID
        self.storedAt = storedAt
    }
}

/// A named entity found in a document (a person, place, organisation…) and how often it occurs.
public struct StoredEntity: Codable, Sendable, Equatable {
    public var text: String
    public var type: String
    public var count: Int

    public init(text: String, type: String, count: Int = 1) {
        self.text = text
        self.type = type
        self.count = count
    }
}
