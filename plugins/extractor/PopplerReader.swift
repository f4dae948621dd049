import DocumentFormats
import Foundation

/// Reads a PDF's text and document info with poppler-utils' `pdftotext` and `pdfinfo`, run as
/// child processes with a timeout on a private temporary copy of the document. Pages without a
/// text layer (scans) are rendered with `pdftoppm` and read by OCR (`PopplerReader+Scans`).
struct PopplerReader: Sendable {
    var timeout: Duration = .seconds(30)
    /// pdftotext output past this is refused rather than read into memory.
    var maxTextBytes = 64 * 1024 * 1024
    var tesseract = TesseractReader()
    /// At most this many scanned pages are read by OCR; the rest are reported skipped.
    var maxScannedPages = 50
    /// OCR of one PDF stops after this long, within the stage's default 300-second timeout; pages
    /// not read by then are reported skipped.
    var scanBudget: Duration = .seconds(200)

    static let missingTools = ExtractionError.unsupported(
        "reading PDF needs pdftotext and pdfinfo from Debian's poppler-utils package, which is not installed on "
            + "this worker's host (apt-get install poppler-utils)")

    /// `languageHint` (ISO 639-1, e.g. the document's `language` metadata) is for OCR of scanned pages.
    func content(of pdf: Data, languageHint: String? = nil) async throws -> DocumentContent {
        guard let pdftotext = ChildProcess.locate("pdftotext"), let pdfinfo = ChildProcess.locate("pdfinfo") else {
            throw Self.missingTools
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("docpipe-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("document.pdf")
        try pdf.write(to: input)

        let textFile = folder.appendingPathComponent("text.txt")
        let errors = folder.appendingPathComponent("stderr.txt")
        let textRun = try await ChildProcess.run(
            pdftotext, ["-enc", "UTF-8", "-eol", "unix", input.path, textFile.path],
            stdout: folder.appendingPathComponent("stdout.txt"), stderr: errors, timeout: timeout)
        try check(textRun, tool: "pdftotext", errors: errors)
        let size = (try? FileManager.default.attributesOfItem(atPath: textFile.path)[.size] as? Int) ?? 0
        guard size <= maxTextBytes else {
            throw ExtractionError.tooLarge("the PDF's text is \(size) bytes, over the \(maxTextBytes)-byte limit")
        }
        let text = (try? String(contentsOf: textFile, encoding: .utf8)) ?? ""

        let infoFile = folder.appendingPathComponent("info.txt")
        let infoRun = try await ChildProcess.run(
            pdfinfo, ["-isodates", "-enc", "UTF-8", input.path], stdout: infoFile, stderr: errors, timeout: timeout)
        // Document info is a bonus: text without it is still a result.
        let info = infoRun == .exited(0) ? (try? String(contentsOf: infoFile, encoding: .utf8)) ?? "" : ""
        let pageCount = PDFText.parseInfo(info)["Pages"].flatMap { Int($0) } ?? 1
        let scans = ScannedPages.pagesToRead(text: text, pageCount: pageCount)
        guard !scans.isEmpty else { return try PDFText.content(text: text, info: info) }
        let everyPage = scans.count == max(pageCount, 1)
        let ocr: ScanReading
        do {
            ocr = try await readScans(scans, of: input, in: folder, languageHint: languageHint)
        } catch ExtractionError.unsupported(_) where !everyPage {
            // Without tesseract a PDF that has text keeps it (its few bare pages are often blank);
            // only an all-scan PDF needs OCR to say anything.
            return try PDFText.content(text: text, info: info)
        }
        let merged = ScannedPages.merge(layer: text, ocr: ocr.texts, pageCount: pageCount)
        guard merged.contains(where: { !$0.isWhitespace }) else {
            throw ExtractionError.malformed(
                format: "PDF",
                detail: "it has no text layer and OCR found no words on its \(ocr.report.pages) page image(s)")
        }
        var content = try PDFText.content(text: merged, info: info)
        content.ocr = ocr.report
        return content
    }

    func check(_ outcome: ChildProcess.Outcome, tool: String, errors: URL) throws {
        switch outcome {
        case .exited(0):
            return
        case .timedOut:
            throw ExtractionError.tooLarge("\(tool) did not finish within \(timeout) and was stopped")
        case .exited(let status):
            let message =
                ((try? String(contentsOf: errors, encoding: .utf8)) ?? "")
                .split(whereSeparator: \.isNewline).first.map(String.init) ?? "no message"
            throw ExtractionError.malformed(
                format: "PDF", detail: "\(tool) failed with exit status \(status): \(message)")
        }
    }
}
