import DocProtocol
import Foundation
import TextAnalysis
import WorkerKit

/// The first stage: turns raw bytes (text, Markdown, HTML, JSON) into clean text and metadata.
struct Extractor: DocpipeWorker {
    let service = "extractor"

    func process(_ request: StageRequest) async throws -> JSONValue {
        guard let bytes = request.document.bytes else {
            throw StageFailure(.badRequest, reason: "bad_base64", message: "document content is not valid base64")
        }
        do {
            let extraction = try DocumentExtractor.extract(
                bytes: bytes, name: request.document.name, contentTypeHint: request.document.contentType,
                contentHash: ContentHash.sha256(bytes))
            return try StageOutput.encode(extraction)
        } catch let error as ExtractionError {
            throw StageFailure(.unprocessable, reason: "unreadable_document", message: error.description)
        }
    }
}

await WorkerRunner.main(summary: "docpipe extractor: detects the format and extracts text, title, language, dates and entities.") {
    _ in Extractor()
}
