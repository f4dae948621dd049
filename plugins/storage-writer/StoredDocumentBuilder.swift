import DocProtocol
import DocStore
import Foundation

/// Maps a stage request (the document plus every earlier stage's output) to a store row.
/// Stages that did not run simply leave their fields empty; a built-in stage's output that does not fit
/// its contract (DocProtocol's `ExtractorOutput` and the rest) fails the stage with `bad_stage_output`
/// rather than storing a row with holes nobody asked for.
enum StoredDocumentBuilder {
    static func build(from request: StageRequest) throws -> StoredDocument {
        let extracted = try request.output(of: ExtractorOutput.self)
        let classified = try request.output(of: ClassifierOutput.self)
        let summarized = try request.output(of: SummarizerOutput.self)
        let hash =
            extracted?.contentHash
            ?? ContentHash.sha256(request.document.bytes ?? Data(request.document.content.utf8))
        var stageResults: [String: String] = [:]
        for (stage, output) in request.results {
            stageResults[stage] = String(decoding: try WireJSON.encode(output), as: UTF8.self)
        }
        let entities = (extracted?.entities ?? []).map { entity in
            StoredEntity(text: entity.text, type: entity.type.rawValue, count: entity.count)
        }
        return StoredDocument(
            id: request.document.id ?? ContentHash.documentID(for: request.document),
            version: 1,
            contentHash: hash,
            name: request.document.name,
            contentType: extracted?.contentType ?? request.document.contentType,
            title: extracted?.title,
            source: extracted?.source,
            author: extracted?.author,
            language: extracted?.language,
            text: extracted?.text ?? (request.document.encoding == .utf8 ? request.document.content : ""),
            wordCount: extracted?.wordCount ?? 0,
            sentenceCount: extracted?.sentenceCount ?? 0,
            topic: classified?.topic,
            topicConfidence: classified?.confidence,
            summary: summarized?.summary,
            keywords: summarized?.keywords ?? [],
            entities: entities,
            dates: extracted?.dates ?? [],
            metadata: request.document.metadata,
            stageResults: stageResults,
            pipeline: request.pipeline,
            jobID: request.jobID,
            storedAt: Date())
    }
}
