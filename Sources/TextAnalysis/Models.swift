// The value types the worker plugins exchange. They are Codable so a plugin can put them straight
// into a StageResult body, and Sendable so they cross actor boundaries freely.

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

/// One named thing mentioned in a text, with how often it was mentioned.
public struct Entity: Codable, Sendable, Equatable, Hashable {
    public var text: String
    public var type: EntityType
    public var count: Int

    public init(text: String, type: EntityType, count: Int) {
        self.text = text
        self.type = type
        self.count = count
    }
}

/// The coarse kind of a named entity.
public enum EntityType: String, Codable, Sendable, CaseIterable {
    case person, organization, place, other
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

/// The result of classifying one text.
public struct TopicPrediction: Codable, Sendable, Equatable {
    /// The most probable label, or "unknown" when the classifier has no training data.
    public var topic: String
    /// The probability of `topic`, 0…1.
    public var confidence: Double
    /// Every label with its probability, most probable first; the scores sum to ~1.
    public var labels: [LabelScore]

    public init(topic: String, confidence: Double, labels: [LabelScore]) {
        self.topic = topic
        self.confidence = confidence
        self.labels = labels
    }
}

/// One label with its score (a probability for `TopicPrediction`).
public struct LabelScore: Codable, Sendable, Equatable {
    public var label: String
    public var score: Double

    public init(label: String, score: Double) {
        self.label = label
        self.score = score
    }
}

/// One training example for `TopicClassifier`.
public struct LabeledText: Codable, Sendable, Equatable {
    public var label: String
    public var text: String

    public init(label: String, text: String) {
        self.label = label
        self.text = text
    }
}

/// An extractive summary: sentences picked verbatim from the text, in their original order.
public struct Summary: Codable, Sendable, Equatable {
    /// The picked sentences joined by single spaces.
    public var summary: String
    public var sentences: [String]
    /// Lowercase key terms, most important first.
    public var keywords: [String]
    /// How the sentences were picked: "textrank", or "lead" when the text was too small to rank.
    public var method: String

    public init(summary: String, sentences: [String], keywords: [String], method: String) {
        self.summary = summary
        self.sentences = sentences
        self.keywords = keywords
        self.method = method
    }
}
