import DocProtocol
import Foundation
import Logging
import TextAnalysis
import WorkerKit

/// The first stage: turns raw bytes (text in any common encoding, Markdown, HTML, JSON, CSV,
/// e-mail, RTF, DOCX, ODT, PDF, and scans and images by OCR) into clean text and metadata.
struct Extractor: DocpipeWorker {
    let service = "extractor"
    var pdf = PopplerReader()
    var images = ImageReader()

    func process(_ request: StageRequest) async throws -> JSONValue {
        guard let bytes = request.document.bytes else {
            throw StageFailure(.badRequest, reason: "bad_base64", message: "document content is not valid base64")
        }
        let hash = ContentHash.sha256(bytes)
        do {
            let kind = ContentTypeDetector.detect(bytes: bytes, name: request.document.name, hint: request.document.contentType)
            // The submitter's language (ISO 639-1) tells OCR which model to read with.
            let languageHint = request.document.metadata["language"]
            let extraction: Extraction
            switch kind {
            case .pdf:
                // PDF needs poppler's tools (scans tesseract too), so it is read here, where running a process is allowed.
                let content = try await pdf.content(of: bytes, languageHint: languageHint)
                extraction = try DocumentExtractor.analyze(content, kind: .pdf, contentHash: hash)
            case .png, .jpeg, .tiff:
                let content = try await images.content(of: bytes, languageHint: languageHint)
                extraction = try DocumentExtractor.analyze(content, kind: kind, contentHash: hash)
            default:
                extraction = try DocumentExtractor.extract(
                    bytes: bytes, name: request.document.name, contentTypeHint: request.document.contentType, contentHash: hash)
            }
            return try StageOutput.encode(extraction)
        } catch let error as ExtractionError {
            throw StageFailure(.unprocessable, reason: Self.reason(error), message: error.description)
        }
    }

    /// A distinct code per kind of failure, so programs can tell "install poppler" (or tesseract) from "corrupt file".
    static func reason(_ error: ExtractionError) -> String {
        switch error {
        case .unsupported: "unsupported_format"
        case .tooLarge: "document_too_large"
        default: "unreadable_document"
        }
    }
}

// The flags only the extractor has: how many scanned pages of one PDF OCR reads, and how long one
// tesseract run may take.
let (maxPagesFlag, afterPages) = PluginArguments.take("--ocr-max-pages", from: Array(CommandLine.arguments.dropFirst()))
let (timeoutFlag, workerArguments) = PluginArguments.take("--ocr-timeout", from: afterPages)
let maxScannedPages = maxPagesFlag.map { Int($0) ?? 0 } ?? PopplerReader().maxScannedPages
let ocrTimeout = timeoutFlag.map { Int($0) ?? 0 } ?? 120
for (flag, value, valid) in [("--ocr-max-pages", maxPagesFlag, maxScannedPages >= 1), ("--ocr-timeout", timeoutFlag, ocrTimeout >= 1)]
where !valid {
    FileHandle.standardError.write(Data(
        "docpipe-extractor: error: \(flag) takes a whole number, 1 or more, not '\(value ?? "")'\n".utf8))
    exit(1)
}
let ocrHelp = """
      --ocr-max-pages <n>     Scanned pages of one PDF read by OCR (default 50); the rest are counted in the
                              output's ocr.pages_skipped. OCR needs tesseract (apt-get install tesseract-ocr,
                              and tesseract-ocr-deu, -fra, … for other languages than English).
      --ocr-timeout <s>       Seconds one tesseract run (one image or page) may take before it is stopped and
                              the document fails as too large (default 120).
    """

await WorkerRunner.main(
    summary: "docpipe extractor: detects the format (text, Markdown, HTML, JSON, CSV, e-mail, RTF, DOCX, ODT, PDF; "
        + "scanned PDFs and PNG/JPEG/TIFF images by OCR with tesseract) and extracts text, title, language, dates, "
        + "entities and metadata.",
    examples: ["docpipe-extractor --broker tcp://broker-host:5555", "docpipe-extractor --ocr-max-pages 10 --ocr-timeout 60"],
    arguments: workerArguments, extraHelp: ocrHelp
) { _ in
    // Load the language profiles now rather than on the first document, and say which identifier runs.
    let logger = Logger(label: "docpipe.extractor")
    if LanguageIdentifier.model != nil {
        logger.info("language identification: \(LanguageIdentifier.status)")
    } else {
        logger.warning("language identification: \(LanguageIdentifier.status)")
    }
    var extractor = Extractor()
    extractor.pdf.maxScannedPages = maxScannedPages
    extractor.pdf.tesseract.timeout = .seconds(ocrTimeout)
    extractor.images.tesseract.timeout = .seconds(ocrTimeout)
    return extractor
}
