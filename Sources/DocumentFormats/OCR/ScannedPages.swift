import Foundation

/// Decides which pages of a PDF are scans to OCR, and at what resolution to render them, from
/// what poppler's tools print. A page is a scan when its text layer is empty or nearly so: a
/// scanner's software often stamps a page number or a file name on an image-only page.
public enum ScannedPages {
    /// Pages with fewer letters and digits than this in their text layer are read by OCR.
    public static let minimumTextCharacters = 12

    /// Scans are rendered at this resolution (Tesseract reads best at about 300 dpi)…
    public static let preferredDPI = 300
    /// …unless the page is so large that its long side would pass this many pixels.
    public static let maxPixelsOnLongSide = 5000

    /// The 1-based numbers of the pages to OCR, given `pdftotext` output (pages separated by form
    /// feeds) and the page count from `pdfinfo`. Pages past the end of the text are empty ones.
    public static func pagesToRead(text: String, pageCount: Int) -> [Int] {
        let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false)
        var scans: [Int] = []
        for number in 1...max(pageCount, 1) {
            let page = number <= pages.count ? pages[number - 1] : ""
            let visible = page.unicodeScalars.lazy.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            if visible.prefix(minimumTextCharacters).count < minimumTextCharacters { scans.append(number) }
        }
        return scans
    }

    /// True when every page is a scan: the document's text then comes from OCR alone.
    public static func isScanned(text: String, pageCount: Int) -> Bool {
        pagesToRead(text: text, pageCount: pageCount).count == max(pageCount, 1)
    }

    /// Page sizes in points from `pdfinfo -f 1 -l N` ("Page    1 size: 612 x 792 pts (letter)"),
    /// keyed by page number; a lone "Page size:" line (pdfinfo without -f) is page 1.
    public static func parsePageSizes(_ info: String) -> [Int: (width: Double, height: Double)] {
        var sizes: [Int: (width: Double, height: Double)] = [:]
        for line in info.split(whereSeparator: \.isNewline) where line.hasPrefix("Page") && line.contains("size:") {
            let parts = line.split(separator: ":", maxSplits: 1)
            let label = parts[0].split(separator: " ")
            let number = label.count == 3 ? Int(label[1]) : (label.count == 2 ? 1 : nil)
            let numbers = parts[1].split(separator: " ").prefix(3)
            guard let number, numbers.count == 3, numbers[1] == "x", let width = Double(numbers[0]),
                let height = Double(numbers[2])
            else { continue }
            sizes[number] = (width, height)
        }
        return sizes
    }

    /// The resolution to render a page of that size (in points) at: `preferredDPI`, lowered so the
    /// long side stays within `maxPixelsOnLongSide`, and never below 72.
    public static func renderDPI(width: Double, height: Double) -> Int {
        let longSideInches = max(width, height) / 72
        guard longSideInches > 0, longSideInches.isFinite else { return preferredDPI }
        let fitting = Int(Double(maxPixelsOnLongSide) / longSideInches)
        return max(72, min(preferredDPI, fitting))
    }

    /// The document's text with the OCR'd pages put in place: `layer` is `pdftotext`'s output, `ocr`
    /// maps page numbers to the text read from their images. Pages stay separated by form feeds,
    /// as `PDFText` expects.
    public static func merge(layer: String, ocr: [Int: String], pageCount: Int) -> String {
        let pages = layer.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
        var merged: [String] = []
        for number in 1...max(pageCount, pages.count, 1) {
            let own = number <= pages.count ? pages[number - 1] : ""
            merged.append(ocr[number] ?? own)
        }
        return merged.joined(separator: "\u{0C}")
    }
}
