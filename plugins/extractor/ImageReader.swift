import DocumentFormats
import Foundation

/// Reads a PNG, JPEG or TIFF image by OCR: its header is checked first (a damaged or oversized
/// image fails here, before any tool opens it), then Tesseract reads a private temporary copy.
struct ImageReader: Sendable {
    var tesseract = TesseractReader()

    func content(of bytes: Data, languageHint: String?) async throws -> DocumentContent {
        let header = try RasterImage.header(of: bytes)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("docpipe-ocr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = try await tesseract.engine(in: folder)
        // Tesseract reads a file that is not an image as a list of file names; the name's extension
        // and the magic number checked above keep it reading this as the image it is.
        let image = folder.appendingPathComponent("image.\(RasterImage.fileExtension(header.kind))")
        try bytes.write(to: image)
        let reading = try await tesseract.read(
            [image], hint: languageHint, engine: engine, in: folder, deadline: .now + tesseract.timeout)
        let report = OCRReport(engine: engine.name, languages: reading.languages, pages: reading.pages)
        return try OCRText.imageContent(pages: reading.pages, header: header, report: report)
    }
}
