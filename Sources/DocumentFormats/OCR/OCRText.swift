/// Builds a document from the pages Tesseract read off an image (a TIFF may hold several).
public enum OCRText {
    /// Lines wrapped at the image's margin are joined and hyphenation undone, as for a PDF, so
    /// sentences are whole; the pixel size goes into `metadata` (`width`, `height`) and `report`
    /// into `ocr`. An image without a recognised word is `.empty`.
    public static func imageContent(
        pages: [TesseractTSV.Page], header: RasterImage.Header, report: OCRReport
    ) throws(ExtractionError) -> DocumentContent {
        let texts = pages.map { $0.text.trimmingSpaces() }.filter { !$0.isEmpty }
        guard !texts.isEmpty else { throw .empty }
        var content = DocumentContent(text: TextReflow.reflow(pages: texts), ocr: report)
        content.metadata["width"] = String(header.width)
        content.metadata["height"] = String(header.height)
        if pages.count > 1 { content.metadata["pages"] = String(pages.count) }
        return content
    }
}
