import DocProtocol
import DocumentFormats
import Foundation
import Logging
import TextAnalysis
import WorkerKit

/// The first stage: turns raw bytes (text in any common encoding, Markdown, HTML, JSON, CSV,
/// e-mail, RTF, DOCX, ODT, PDF, and scans and images by OCR) into clean text and metadata.
struct Extractor: DocpipeWorker {
    let service = "extractor"
    /// Built once at start-up from the installed language profiles; identifies the language of every
    /// text, and of OCR's first pass (see `TesseractReader`).
    let languages: LanguageIdentifier
    /// Census names and English word frequencies, loaded once at start-up: they type clueless names.
    let names: PersonNames
    var pdf = PopplerReader()
    var images = ImageReader()

    init(languages: LanguageIdentifier, names: PersonNames) {
        self.languages = languages
        self.names = names
        pdf.tesseract.languageIdentifier = languages
        images.tesseract.languageIdentifier = languages
    }

    func process(_ request: StageRequest) async throws -> JSONValue {
        guard let bytes = request.document.bytes else {
            throw StageFailure(.badRequest, reason: "bad_base64", message: "document content is not valid base64")
        }
        let hash = ContentHash.sha256(bytes)
        do {
            let kind = ContentTypeDetector.detect(
                bytes: bytes, name: request.document.name, hint: request.document.contentType)
            // The submitter's language (ISO 639-1) tells OCR which model to read with.
            let languageHint = request.document.metadata["language"]
            let extraction: Extraction
            switch kind {
            case .pdf:
                // PDF needs poppler's tools (scans tesseract too), so it is read here, where running a process is allowed.
                let content = try await pdf.content(of: bytes, languageHint: languageHint)
                extraction = try DocumentExtractor.analyze(
                    content, kind: .pdf, contentHash: hash, languages: languages, names: names)
            case .png, .jpeg, .tiff:
                let content = try await images.content(of: bytes, languageHint: languageHint)
                extraction = try DocumentExtractor.analyze(
                    content, kind: kind, contentHash: hash, languages: languages, names: names)
            default:
                extraction = try DocumentExtractor.extract(
                    bytes: bytes, name: request.document.name, contentTypeHint: request.document.contentType,
                    contentHash: hash, languages: languages, names: names)
            }
            return try JSONValue(encoding: ExtractorOutput(extraction))
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
let ocrMaxPages = PluginFlag(
    "ocr-max-pages", valueName: "n",
    help: "Scanned pages of one PDF read by OCR (default 50); the rest are counted in the output's "
        + "ocr.pages_skipped. OCR needs tesseract (apt-get install tesseract-ocr, and tesseract-ocr-deu, -fra, "
        + "… for other languages than English).")
let ocrTimeoutFlag = PluginFlag(
    "ocr-timeout", valueName: "s",
    help: "Seconds one tesseract run (one image or page) may take before it is stopped and the document fails "
        + "as too large (default 120).")

/// A plugin flag's whole number, at least 1, or the default when the flag is absent.
func positiveWholeNumber(_ flag: PluginFlag, in options: WorkerOptions, default fallback: Int) throws -> Int {
    guard let text = options.value(of: flag) else { return fallback }
    guard let value = Int(text), value >= 1 else {
        throw WorkerOptionsError("--\(flag.name) takes a whole number, 1 or more, not '\(text)'")
    }
    return value
}

await WorkerRunner.main(
    summary: "docpipe extractor: detects the format (text, Markdown, HTML, JSON, CSV, e-mail, RTF, DOCX, ODT, PDF; "
        + "scanned PDFs and PNG/JPEG/TIFF images by OCR with tesseract) and extracts text, title, language, dates, "
        + "entities and metadata.",
    examples: [
        "docpipe-extractor --broker tcp://broker-host:5555", "docpipe-extractor --ocr-max-pages 10 --ocr-timeout 60",
    ],
    flags: [ocrMaxPages, ocrTimeoutFlag]
) { options in
    let maxScannedPages = try positiveWholeNumber(ocrMaxPages, in: options, default: PopplerReader().maxScannedPages)
    let ocrTimeout = try positiveWholeNumber(ocrTimeoutFlag, in: options, default: 120)
    // Load the language models (next to the executable, or $DOCPIPE_LANGID_NGRAMS and $DOCPIPE_LANGID_PROFILES)
    // once, before the first document, and say which identifier runs.
    let languages = LanguageIdentifier(
        table: InstalledModelFile.locate(
            NGramTableFile.fileName, environmentVariable: NGramTableFile.environmentVariable),
        profiles: InstalledModelFile.locate(
            NGramProfileFile.fileName, environmentVariable: NGramProfileFile.environmentVariable))
    let names = PersonNames(
        located: InstalledModelFile.locate(PersonNames.fileName, environmentVariable: PersonNames.environmentVariable))
    let logger = Logger(label: "docpipe.extractor")
    if languages.table != nil {
        logger.info("language identification: \(languages.status)")
    } else {
        logger.warning("language identification: \(languages.status)")
    }
    if names.isEmpty {
        logger.warning("entities: \(names.status)")
    } else {
        logger.info("entities: \(names.status)")
    }
    var extractor = Extractor(languages: languages, names: names)
    extractor.pdf.maxScannedPages = maxScannedPages
    extractor.pdf.tesseract.timeout = .seconds(ocrTimeout)
    extractor.images.tesseract.timeout = .seconds(ocrTimeout)
    return extractor
}
