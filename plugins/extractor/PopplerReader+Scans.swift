import DocumentFormats
import Foundation

/// What OCR made of a PDF's scanned pages.
struct ScanReading: Sendable {
    /// Page number → the text read off its image.
    var texts: [Int: String]
    var report: OCRReport
}

extension PopplerReader {
    /// Renders each scanned page with `pdftoppm` (grey, at `ScannedPages.renderDPI` for its size) and
    /// reads it with Tesseract: at most `maxScannedPages` pages, within `scanBudget`.
    func readScans(_ scans: [Int], of input: URL, in folder: URL, languageHint: String?) async throws -> ScanReading {
        let engine = try await tesseract.engine(in: folder)
        guard let pdftoppm = ChildProcess.locate("pdftoppm") else { throw Self.missingTools }
        let deadline = ContinuousClock.now + scanBudget
        let chosen = Array(scans.prefix(maxScannedPages))
        let sizes = try await pageSizes(of: input, through: chosen.last ?? 1, in: folder)

        var images: [URL] = []
        var numbers: [Int] = []
        for page in chosen {
            // Rendering is quick next to OCR; the budget is checked for both.
            guard images.isEmpty || deadline - .now > .seconds(2) else { break }
            let size = sizes[page] ?? (612, 792)
            let stem = folder.appendingPathComponent(String(format: "page-%05d", page))
            let errors = folder.appendingPathComponent("pdftoppm.stderr")
            let outcome = try await ChildProcess.run(
                pdftoppm,
                [
                    "-r", String(ScannedPages.renderDPI(width: size.width, height: size.height)), "-gray", "-png",
                    "-f", String(page), "-l", String(page), "-singlefile", input.path, stem.path,
                ],
                stdout: folder.appendingPathComponent("pdftoppm.stdout"), stderr: errors, timeout: timeout)
            try check(outcome, tool: "pdftoppm", errors: errors)
            images.append(stem.appendingPathExtension("png"))
            numbers.append(page)
        }
        let reading = try await tesseract.read(
            images, hint: languageHint, engine: engine, in: folder, deadline: deadline)
        var texts: [Int: String] = [:]
        for (number, pages) in zip(numbers, reading.images) {
            texts[number] = pages.map(\.text).joined(separator: "\n\n")
        }
        let report = OCRReport(
            engine: engine.name, languages: reading.languages, pages: reading.pages,
            pagesSkipped: scans.count - reading.images.count)
        return ScanReading(texts: texts, report: report)
    }

    /// Each page's size in points, from `pdfinfo -f 1 -l last`; empty when pdfinfo says nothing.
    private func pageSizes(of input: URL, through last: Int, in folder: URL) async throws -> [Int: (
        width: Double, height: Double
    )] {
        guard let pdfinfo = ChildProcess.locate("pdfinfo") else { throw Self.missingTools }
        let out = folder.appendingPathComponent("sizes.txt")
        let outcome = try await ChildProcess.run(
            pdfinfo, ["-f", "1", "-l", String(last), input.path],
            stdout: out, stderr: folder.appendingPathComponent("sizes.stderr"), timeout: timeout)
        guard outcome == .exited(0) else { return [:] }
        return ScannedPages.parsePageSizes((try? String(contentsOf: out, encoding: .utf8)) ?? "")
    }
}
