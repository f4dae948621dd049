import DocProtocol
import Foundation
import Logging
import TextAnalysis
import WorkerKit

/// The first stage: turns raw bytes (text in any common encoding, Markdown, HTML, JSON, CSV,
/// e-mail, RTF, DOCX, ODT, PDF) into clean text and metadata.
struct Extractor: DocpipeWorker {
    let service = "extractor"
    let pdf = PopplerReader()

    func process(_ request: StageRequest) async throws -> JSONValue {
        guard let bytes = request.document.bytes else {
            throw StageFailure(.badRequest, reason: "bad_base64", message: "document content is not valid base64")
        }
        let hash = ContentHash.sha256(bytes)
        do {
            let kind = ContentTypeDetector.detect(bytes: bytes, name: request.document.name, hint: request.document.contentType)
            let extraction: Extraction
            if kind == .pdf {
                // PDF needs poppler's tools, so it is read here, where running a process is allowed.
                extraction = try DocumentExtractor.analyze(try await pdf.content(of: bytes), kind: .pdf, contentHash: hash)
            } else {
                extraction = try DocumentExtractor.extract(
                    bytes: bytes, name: request.document.name, contentTypeHint: request.document.contentType, contentHash: hash)
            }
            return try StageOutput.encode(extraction)
        } catch let error as ExtractionError {
            throw StageFailure(.unprocessable, reason: Self.reason(error), message: error.description)
        }
    }

    /// A distinct code per kind of failure, so programs can tell "install poppler" from "corrupt file".
    static func reason(_ error: ExtractionError) -> String {
        switch error {
        case .unsupported: "unsupported_format"
        case .tooLarge: "document_too_large"
        default: "unreadable_document"
        }
    }
}

await WorkerRunner.main(
    summary: "docpipe extractor: detects the format (text, Markdown, HTML, JSON, CSV, e-mail, RTF, DOCX, ODT, PDF) "
        + "and extracts text, title, language, dates, entities and metadata."
) { _ in
    // Load the language profiles now rather than on the first document, and say which identifier runs.
    let logger = Logger(label: "docpipe.extractor")
    if LanguageIdentifier.model != nil {
        logger.info("language identification: \(LanguageIdentifier.status)")
    } else {
        logger.warning("language identification: \(LanguageIdentifier.status)")
    }
    return Extractor()
}
