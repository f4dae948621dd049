import DocProtocol
import DocStore
import Foundation

/// Maps a stage request (the document plus every earlier stage's output) to a store row.
/// Stages that did not run simply leave their fields empty.
enum StoredDocumentBuilder {
    static func build(from request: StageRequest) throws -> StoredDocument {
        let extracted = request.results["extractor"]
        let classified = request.results["classifier"]
        let summarized = request.results["summarizer"]
        let rawText = request.document.encoding == .utf8 ? request.document.content : ""
        let hash = extracted?["content_hash"]?.stringValue
            ?? ContentHash.sha256(request.document.bytes ?? Data(request.document.content.utf8))
        var stageResults: [String: String] = [:]
        for (stage, output) in request.results {
            stageResults[stage] = String(decoding: try WireJSON.encode(output), as: UTF8.self)
        }
        let entities = (extracted?["entities"]?.arrayValue ?? []).compactMap { entity -> StoredEntity? in
            guard let text = entity["text"]?.stringValue else { return nil }
            return StoredEntity(text: text, type: entity["type"]?.stringValue ?? "other",
                                count: entity["count"]?.intValue ?? 1)
        }
        return StoredDocument(
            id: request.document.id ?? ContentHash.documentID(for: request.document),
            version: 1,
            contentHash: hash,
            name: request.document.name,
            contentType: extracted?["content_type"]?.stringValue ?? request.document.contentType,
            title: extracted?["title"]?.stringValue,
            source: extracted?["source"]?.stringValue,
            author: extracted?["author"]?.stringValue,
            language: extracted?["language"]?.stringValue,
            text: extracted?["text"]?.stringValue ?? rawText,
            wordCount: extracted?["word_count"]?.intValue ?? 0,
            sentenceCount: extracted?["sentence_count"]?.intValue ?? 0,
            topic: classified?["topic"]?.stringValue,
            topicConfidence: classified?["confidence"]?.doubleValue,
            summary: summarized?["summary"]?.stringValue,
            keywords: (summarized?["keywords"]?.arrayValue ?? []).compactMap(\.stringValue),
            entities: entities,
            dates: (extracted?["dates"]?.arrayValue ?? []).compactMap(\.stringValue),
            metadata: request.document.metadata,
            stageResults: stageResults,
            pipeline: request.pipeline,
            jobID: request.jobID,
            storedAt: Date())
    }
}
