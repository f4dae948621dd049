import DocProtocol
import DocStore
import Foundation

/// A stored document as `docpipe show --json` and `docpipe run --json` print it.
///
/// The store keeps each stage's output as JSON text; here it is the object itself, under `results` as in
/// `docpipe job --json`. The document's id is `document_id`, as in every other command's output.
struct DocumentJSON: Codable, Equatable {
    var documentID: String
    var version: Int
    var contentHash: String
    var name: String?
    var contentType: String?
    var title: String?
    var source: String?
    var author: String?
    var language: String?
    var text: String
    var wordCount: Int
    var sentenceCount: Int
    var topic: String?
    var topicConfidence: Double?
    var summary: String?
    var keywords: [String]
    var entities: [StoredEntity]
    var dates: [String]
    var metadata: [String: String]
    /// Each stage's output, by stage name; an output that is not JSON (never from docpipe's own workers)
    /// stays the string it was.
    var results: [String: JSONValue]
    var pipeline: String?
    var jobID: String?
    var storedAt: Date

    init(_ document: StoredDocument) {
        documentID = document.id
        version = document.version
        contentHash = document.contentHash
        name = document.name
        contentType = document.contentType
        title = document.title
        source = document.source
        author = document.author
        language = document.language
        text = document.text
        wordCount = document.wordCount
        sentenceCount = document.sentenceCount
        topic = document.topic
        topicConfidence = document.topicConfidence
        summary = document.summary
        keywords = document.keywords
        entities = document.entities
        dates = document.dates
        metadata = document.metadata
        results = document.stageResults.mapValues(Self.output)
        pipeline = document.pipeline
        jobID = document.jobID
        storedAt = document.storedAt
    }

    static func output(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
    }

    enum CodingKeys: String, CodingKey {
        case version, name, title, source, author, language, text, topic, summary, keywords, entities, dates,
             metadata, results, pipeline
        case documentID = "document_id"
        case contentHash = "content_hash"
        case contentType = "content_type"
        case wordCount = "word_count"
        case sentenceCount = "sentence_count"
        case topicConfidence = "topic_confidence"
        case jobID = "job_id"
        case storedAt = "stored_at"
    }
}

/// One `docpipe search --json` hit: `document_id`, `title`, `topic`, `snippet` (matched words «marked»),
/// `rank` (higher is better, comparable within one search only).
struct SearchHitJSON: Codable, Equatable {
    var documentID: String
    var title: String?
    var topic: String?
    var snippet: String
    var rank: Double

    init(_ hit: SearchHit) {
        documentID = hit.id
        title = hit.title
        topic = hit.topic
        snippet = hit.snippet
        rank = hit.rank
    }

    enum CodingKeys: String, CodingKey {
        case title, topic, snippet, rank
        case documentID = "document_id"
    }
}
