// The contracts of the built-in stages: what each one adds under `StageRequest.results[stage]`.
//
// The producing worker encodes one of these types and every consumer decodes the same type
// (`request.output(of: ExtractorOutput.self)`), so a renamed or retyped field breaks the build instead of
// a later stage reading nil. Each type has a JSON Schema in protocol/schemas (`extractor_output.schema.json`
// and so on) for plugins in other languages, and each built-in plugin's plugin.json points at it.
//
// Keys are written out in `CodingKeys` (snake_case, as on the wire) rather than left to a key strategy:
// a `convertFromSnakeCase` decoder and explicit snake_case keys do not mix, and `WireJSON` uses none.
// Optional fields are left out when nil (never written as null), as the extractor has always done.

/// A stage output with a fixed shape: the JSON object one stage adds to `results` under its service name.
public protocol StageOutputContract: Codable, Sendable, Equatable {
    /// The service name of the stage that produces it, the key in `StageRequest.results` it is read from.
    static var stage: String { get }
}

/// What the `extractor` stage learns about a document: its plain text and metadata.
public struct ExtractorOutput: StageOutputContract {
    public static let stage = "extractor"

    /// The detected MIME type.
    public var contentType: String
    /// Visible text only; paragraphs separated by blank lines.
    public var text: String
    public var title: String?
    /// The publication or site the document came from ("Politico"), when it can be told.
    public var source: String?
    public var author: String?
    /// ISO 639-1 code ("en", "zh" for Chinese), or "und" when undetermined.
    public var language: String
    public var wordCount: Int
    public var sentenceCount: Int
    /// ISO 8601 dates the text mentions ("1997", "2024-03-05"), unique, in order of first mention.
    public var dates: [String]
    /// `dates` again, each with the confidence that it is a date; absent from older producers.
    public var dateMentions: [DateMention]?
    /// Named entities, most frequent first.
    public var entities: [Entity]
    /// "sha256:" + hex of the document's bytes.
    public var contentHash: String
    /// Format-specific facts with no field of their own (encoding, e-mail recipients, PDF pages, …).
    /// Always written; an absent `metadata` reads as empty.
    public var metadata: [String: String]
    /// Present only when text was read from images by OCR.
    public var ocr: OCR?

    public init(
        contentType: String, text: String, title: String? = nil, source: String? = nil, author: String? = nil,
        language: String, wordCount: Int, sentenceCount: Int, dates: [String] = [], dateMentions: [DateMention]? = nil,
        entities: [Entity] = [], contentHash: String, metadata: [String: String] = [:], ocr: OCR? = nil
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        contentType = try container.decode(String.self, forKey: .contentType)
        text = try container.decode(String.self, forKey: .text)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        author = try container.decodeIfPresent(String.self, forKey: .author)
        language = try container.decode(String.self, forKey: .language)
        wordCount = try container.decode(Int.self, forKey: .wordCount)
        sentenceCount = try container.decode(Int.self, forKey: .sentenceCount)
        dates = try container.decode([String].self, forKey: .dates)
        dateMentions = try container.decodeIfPresent([DateMention].self, forKey: .dateMentions)
        entities = try container.decode([Entity].self, forKey: .entities)
        contentHash = try container.decode(String.self, forKey: .contentHash)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        ocr = try container.decodeIfPresent(OCR.self, forKey: .ocr)
    }

    enum CodingKeys: String, CodingKey {
        case text, title, source, author, language, dates, entities, metadata, ocr
        case contentType = "content_type"
        case wordCount = "word_count"
        case sentenceCount = "sentence_count"
        case dateMentions = "date_mentions"
        case contentHash = "content_hash"
    }

    /// One named thing the text mentions, with how often.
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

    /// A date the text mentions, with the confidence (0…1) that it is one.
    public struct DateMention: Codable, Sendable, Equatable, Hashable {
        public var date: String
        public var confidence: Double

        public init(date: String, confidence: Double) {
            self.date = date
            self.confidence = confidence
        }
    }

    /// How text was read from images: the engine, its models and how sure it was.
    public struct OCR: Codable, Sendable, Equatable {
        /// The engine and its version, e.g. "tesseract 5.3.0".
        public var engine: String
        /// The Tesseract models read with, e.g. ["deu"].
        public var languages: [String]
        /// Mean word confidence, 0…1.
        public var meanConfidence: Double
        public var pages: Int
        public var words: Int
        /// Pages that needed OCR but were left unread; absent when every page was read.
        public var pagesSkipped: Int?

        public init(
            engine: String, languages: [String], meanConfidence: Double, pages: Int, words: Int,
            pagesSkipped: Int? = nil
        ) {
            self.engine = engine
            self.languages = languages
            self.meanConfidence = meanConfidence
            self.pages = pages
            self.words = words
            self.pagesSkipped = pagesSkipped
        }

        enum CodingKeys: String, CodingKey {
            case engine, languages, pages, words
            case meanConfidence = "mean_confidence"
            case pagesSkipped = "pages_skipped"
        }
    }
}

/// What the `classifier` stage answers: a topic with its confidence, or `unknown` and why.
public struct ClassifierOutput: StageOutputContract {
    public static let stage = "classifier"

    /// The most probable label, or "unknown" when the classifier abstains.
    public var topic: String
    /// The probability of `topic` (of `bestGuess` when abstaining for low confidence), 0…1.
    public var confidence: Double
    /// The most probable labels with their scores, highest first.
    public var labels: [LabelScore]
    /// The model that answered.
    public var model: String
    /// Why `topic` is "unknown"; absent when there is a topic.
    public var topicAbstained: Abstention?
    /// With `.notProse`: what the text is instead ("table", "code", "filler", "numbers").
    public var notProse: String?
    /// With `.lowConfidence`: the label the model would have answered.
    public var bestGuess: String?

    public init(
        topic: String, confidence: Double, labels: [LabelScore], model: String, topicAbstained: Abstention? = nil,
        notProse: String? = nil, bestGuess: String? = nil
    ) {
        self.topic = topic
        self.confidence = confidence
        self.labels = labels
        self.model = model
        self.topicAbstained = topicAbstained
        self.notProse = notProse
        self.bestGuess = bestGuess
    }

    enum CodingKeys: String, CodingKey {
        case topic, confidence, labels, model
        case topicAbstained = "topic_abstained"
        case notProse = "not_prose"
        case bestGuess = "best_guess"
    }

    /// One label with its score.
    public struct LabelScore: Codable, Sendable, Equatable {
        public var label: String
        public var score: Double

        public init(label: String, score: Double) {
            self.label = label
            self.score = score
        }
    }

    /// Why the classifier answered "unknown".
    public enum Abstention: String, Codable, Sendable, CaseIterable {
        /// The best guess's calibrated confidence was below the model's threshold.
        case lowConfidence = "low_confidence"
        /// The text is not prose (a table, code, filler, numbers); the model was not asked.
        case notProse = "not_prose"
    }
}

/// What the `summarizer` stage answers: an extractive summary and keywords.
public struct SummarizerOutput: StageOutputContract {
    public static let stage = "summarizer"

    /// The picked sentences joined by single spaces.
    public var summary: String
    /// The picked sentences, verbatim, in document order.
    public var sentences: [String]
    /// Lowercase key terms, most important first.
    public var keywords: [String]
    /// How the sentences were picked, e.g. "textrank" or "lead".
    public var method: String

    public init(summary: String, sentences: [String], keywords: [String], method: String) {
        self.summary = summary
        self.sentences = sentences
        self.keywords = keywords
        self.method = method
    }
}

/// What the `storage-writer` stage answers: which stored document (and version) the job ended in.
public struct StorageOutput: StageOutputContract {
    public static let stage = "storage-writer"

    public var documentID: String
    /// The stored version, 1 for a new document.
    public var version: Int
    public var outcome: Outcome

    public init(documentID: String, version: Int, outcome: Outcome) {
        self.documentID = documentID
        self.version = version
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey {
        case version, outcome
        case documentID = "document_id"
    }

    /// What the upsert did.
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        /// A document the store did not have.
        case inserted
        /// The same content again (a replayed request, or a resubmission): nothing written.
        case unchanged
        /// Same id, new content: stored as the next version.
        case newVersion = "new_version"
    }
}

/// An earlier stage's output that does not fit its contract (a field missing or of the wrong type).
///
/// Retrying cannot help — the output is already recorded — so WorkerKit fails the stage with a
/// non-retryable 422 `bad_stage_output` (see `errorBody`).
public struct StageOutputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stage whose output was read.
    public var stage: String
    /// What was wrong with it.
    public var detail: String

    public init(stage: String, detail: String) {
        self.stage = stage
        self.detail = detail
    }

    public var description: String { "the \(stage) stage's output does not fit its contract: \(detail)" }

    /// The error a worker reports for it.
    public var errorBody: ErrorBody {
        ErrorBody(code: .unprocessable, reason: "bad_stage_output", message: description, retryable: false)
    }
}

extension StageRequest {
    /// The typed output of an earlier stage: `results[stage]` decoded as `Output`, nil when that stage has
    /// not run in this pipeline. `stage` defaults to the built-in service that produces `Output`; give it
    /// for a pipeline whose stage of that kind has another name.
    ///
    /// Throws `StageOutputError` when the stage ran but its output does not fit `Output`.
    public func output<Output: StageOutputContract>(
        of type: Output.Type, stage: String = Output.stage
    ) throws(StageOutputError) -> Output? {
        guard let value = results[stage], value != .null else { return nil }
        do {
            return try value.decode(as: Output.self)
        } catch let DecodingError.keyNotFound(key, context) {
            throw StageOutputError(stage: stage, detail: "missing field '\(Self.path(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw StageOutputError(stage: stage, detail: "wrong type at '\(Self.path(context.codingPath))'")
        } catch let DecodingError.valueNotFound(_, context) {
            throw StageOutputError(stage: stage, detail: "null at '\(Self.path(context.codingPath))'")
        } catch let DecodingError.dataCorrupted(context) {
            throw StageOutputError(stage: stage, detail: "bad value at '\(Self.path(context.codingPath))'")
        } catch {
            throw StageOutputError(stage: stage, detail: "\(error)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
