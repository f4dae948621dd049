public import TextAnalysis

// What the extractor stage produces, and why it can fail. They live with the format readers
// because every field is about a document's format (its content type, encoding, OCR) as much as
// its text; the pure analyses they carry (`Entity`, `DateMention`) come from TextAnalysis.

/// Everything the extractor stage learns about one document: its plain text plus metadata.
public struct Extraction: Codable, Sendable, Equatable {
    /// The detected MIME type (`ContentKind.rawValue`).
    public var contentType: String
    /// Visible text only: markup, scripts and navigation removed; paragraphs separated by blank lines.
    public var text: String
    public var title: String?
    /// The publication or site the document came from ("Politico"), when it can be told.
    public var source: String?
    public var author: String?
    /// ISO 639-1 code ("en", "de", …) or "und" when there is too little text to tell.
    public var language: String
    public var wordCount: Int
    public var sentenceCount: Int
    /// Normalised dates ("1997", "2025-06", "2024-03-05") the text mentions, unique, in order of
    /// first mention; an article's published date (HTML, JSON, Markdown front matter) comes first.
    /// A file's own creation and modification dates are not mentions: they are `metadata`'s
    /// `created` and `modified`.
    public var dates: [String]
    /// `dates` again, in the same order, each with the confidence that it is a date (a bare
    /// "2024" is less sure than "in 2024" or "5 March 2024"). Optional for older producers.
    public var dateMentions: [DateMention]?
    /// Named entities, most frequent first, ties by text.
    public var entities: [Entity]
    /// "sha256:"+hex, computed by the caller; carried here so results can be keyed by content.
    public var contentHash: String
    /// Format-specific facts with no field of their own: the text encoding, e-mail recipients,
    /// document creation and modification dates, CSV columns, PDF page count, attachment names…
    public var metadata: [String: String]
    /// Present when the text (or some pages of it) was read from images by OCR: the engine, its
    /// languages and its mean word confidence. Absent for text read from the document itself.
    public var ocr: OCRReport?

    public init(
        contentType: String, text: String, title: String? = nil, source: String? = nil, author: String? = nil,
        language: String, wordCount: Int, sentenceCount: Int, dates: [String], dateMentions: [DateMention]? = nil,
        entities: [Entity], contentHash: String, metadata: [String: String] = [:], ocr: OCRReport? = nil
    ) {
        self.contentType = contentType
        self.text = text
        self.title = title
        self.source = source
        self.author = author
        self.language = language
        self.wordCount = wordCount
        self.sentenceCount = sentenceCount
        self.dates = dates
        self.dateMentions = dateMentions
        self.entities = entities
        self.contentHash = contentHash
        self.metadata = metadata
        self.ocr = ocr
    }
}

/// Why a document could not be turned into text. Messages say what is wrong and what to do.
public enum ExtractionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The document has no visible text at all.
    case empty
    /// The bytes are not text (the associated value names what they look like).
    case binary(String)
    /// The bytes look like text but cannot be decoded (the associated value says where).
    case undecodable(String)
    /// The document claims a format (PDF, DOCX, ODT, e-mail, RTF…) but is broken: truncated, corrupt
    /// or not what its header says. The values name the format and what is wrong.
    case malformed(format: String, detail: String)
    /// Reading the document would exceed a safety limit (a zip bomb, a huge archive).
    case tooLarge(String)
    /// The format is recognised but this process cannot read it (a PDF without poppler-utils).
    case unsupported(String)

    public var description: String {
        switch self {
        case .empty:
            "document is empty: it contains no visible text; submit a document with text content"
        case .binary(let what):
            "document is binary (\(what)), not text; convert it to text, HTML, Markdown or JSON before submitting"
        case .undecodable(let detail):
            "document text could not be decoded (\(detail)); re-encode it as UTF-8 and submit it again"
        case .malformed(let format, let detail):
            "document is not a readable \(format) (\(detail)); check that the file is complete and not corrupt"
        case .tooLarge(let detail):
            "document exceeds a safety limit (\(detail)); it was not read further"
        case .unsupported(let detail):
            "document format cannot be read here: \(detail)"
        }
    }
}
