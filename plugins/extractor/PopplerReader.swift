import Foundation
import TextAnalysis

/// Reads a PDF's text and document info with poppler-utils' `pdftotext` and `pdfinfo`, run as
/// child processes with a timeout on a private temporary copy of the document.
struct PopplerReader: Sendable {
    var timeout: Duration = .seconds(30)
    /// pdftotext output past this is refused rather than read into memory.
    var maxTextBytes = 64 * 1024 * 1024

    static let missingTools = ExtractionError.unsupported(
        "reading PDF needs pdftotext and pdfinfo from Debian's poppler-utils package, which is not installed on "
            + "this worker's host (apt-get install poppler-utils)")

    func content(of pdf: Data) async throws -> DocumentContent {
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
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw ExtractionError.malformed(
                format: "PDF", detail: "it has no text layer (a scan or images only); run OCR on it first")
        }
        return try PDFText.content(text: text, info: info)
    }

    private func check(_ outcome: ChildProcess.Outcome, tool: String, errors: URL) throws {
        switch outcome {
        case .exited(0):
            return
        case .timedOut:
            throw ExtractionError.tooLarge("\(tool) did not finish within \(timeout) and was stopped")
        case .exited(let status):
            let message = ((try? String(contentsOf: errors, encoding: .utf8)) ?? "")
                .split(whereSeparator: \.isNewline).first.map(String.init) ?? "no message"
            throw ExtractionError.malformed(format: "PDF", detail: "\(tool) failed with exit status \(status): \(message)")
        }
    }
}
