/// Says that a document's text (or some of its pages) was read from images by OCR, and how sure
/// the engine was. It is the extractor output's `ocr` field; documents read from a text layer
/// have none.
public struct OCRReport: Codable, Sendable, Equatable {
    /// The engine and its version, e.g. "tesseract 5.3.0".
    public var engine: String
    /// The Tesseract models the final text was read with, e.g. ["deu"].
    public var languages: [String]
    /// The mean confidence of the recognised words, 0–1; 0 when no word was recognised.
    public var meanConfidence: Double
    /// How many pages (images, or PDF pages without a text layer) were read by OCR.
    public var pages: Int
    /// How many words were recognised.
    public var words: Int
    /// Pages that needed OCR but were left unread: past the page limit or the time budget.
    /// Omitted when every page was read.
    public var pagesSkipped: Int?

    public init(
        engine: String, languages: [String], meanConfidence: Double, pages: Int, words: Int, pagesSkipped: Int? = nil
    ) {
        self.engine = engine
        self.languages = languages
        self.meanConfidence = meanConfidence
        self.pages = pages
        self.words = words
        self.pagesSkipped = pagesSkipped
    }

    /// The report for pages Tesseract read with `languages`.
    public init(engine: String, languages: [String], pages: [TesseractTSV.Page], pagesSkipped: Int = 0) {
        self.init(
            engine: engine, languages: languages, meanConfidence: TesseractTSV.meanConfidence(pages) ?? 0,
            pages: pages.count, words: pages.reduce(0) { $0 + $1.confidences.count },
            pagesSkipped: pagesSkipped > 0 ? pagesSkipped : nil)
    }

    /// "tesseract 5.3.0" from the first line of `tesseract --version`; "tesseract" when it says nothing usable.
    public static func engineName(versionOutput: String) -> String {
        let first = versionOutput.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let words = first.split(separator: " ")
        guard words.count >= 2, words[0].lowercased() == "tesseract" else { return "tesseract" }
        return "tesseract \(words[1])"
    }
}
