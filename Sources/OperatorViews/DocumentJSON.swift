package import DocProtocol
package import DocStore
package import Foundation

/// A stored document as `docpipe show --json` and `docpipe run --json` print it.
///
/// The store keeps each stage's output as JSON text; here it is the object itself, under `results` as in
/// `docpipe job --json`. The document's id is `document_id`, as in every other command's output.
package struct DocumentJSON: Codable, Equatable {
    package var documentID: String
    package var version: Int
    package var contentHash: String
    package var name: String?
    package var contentType: String?
    package var title: String?
    package var source: String?
    package var author: String?
    package var language: String?
    package var text: String
    package var wordCount: Int
    package var sentenceCount: Int
    package var topic: String?
    package var topicConfidence: Double?
    package var summary: String?
    package var keywords: [String]
    package var entities: [StoredEntity]
    package var dates: [String]
    package var metadata: [String: String]
    /// Each stage's output, by stage name; an output that is not JSON (never from docpipe's own workers)
    /// stays the string it was.
    package var results: [String: JSONValue]
    package var pipeline: String?
    package var jobID: String?
    package var storedAt: Date

    package init(_ document: StoredDocument) {
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

    package static func output(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
    }

    package enum CodingKeys: String, CodingKey {
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
package struct SearchHitJSON: Codable, Equatable {
    package var documentID: String
    package var title: String?
    package var topic: String?
    package var snippet: String
    package var rank: Double

    package init(_ hit: SearchHit) {
        documentID = hit.id
        title = hit.title
        topic = hit.topic
        snippet = hit.snippet
        rank = hit.rank
    }

    package enum CodingKeys: String, CodingKey {
        case title, topic, snippet, rank
        case documentID = "document_id"
    }
}
