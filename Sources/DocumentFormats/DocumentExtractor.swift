public import Foundation
public import TextAnalysis

/// The text and metadata read from one document's format, before language, counts, dates and
/// entities are worked out. Readers that need I/O (PDF through poppler) build one themselves and
/// hand it to `DocumentExtractor.analyze`.
public struct DocumentContent: Sendable, Equatable {
    public var text: String
    public var title: String?
    public var source: String?
    public var author: String?
    /// The date an article says it was published (HTML, JSON, Markdown metadata), in any form
    /// `DateExtractor` understands; listed first among the dates. A file's creation date is not
    /// this: readers put it in `metadata["created"]`.
    public var published: String?
    public var metadata: [String: String]
    /// Set by a reader that took the text from images by OCR.
    public var ocr: OCRReport?

    public init(
        text: String, title: String? = nil, source: String? = nil, author: String? = nil, published: String? = nil,
        metadata: [String: String] = [:], ocr: OCRReport? = nil
    ) {
        self.text = text
        self.title = title
        self.source = source
        self.author = author
        self.published = published
        self.metadata = metadata
        self.ocr = ocr
    }
}

/// Turns a document's bytes into an `Extraction`: detects the format, pulls out visible text and
/// metadata, then runs language ID, counting, date and entity extraction over the text.
public enum DocumentExtractor {
    /// `contentHash` is passed through untouched (the caller owns hashing). PDFs and images are
    /// refused with `.unsupported`: reading them needs a subprocess (poppler, tesseract), which the
    /// extractor worker runs. `languages` is the identifier the program built from the language
    /// profiles it found, `names` the census name lists it found (`PersonNames.none` when there are none); there
    /// are no defaults, so no caller falls back to fewer languages or names by accident.
    public static func extract(
        bytes: Data, name: String?, contentTypeHint: String?, contentHash: String, limits: ArchiveLimits = .standard,
        languages: LanguageIdentifier, names: PersonNames
    ) throws(ExtractionError) -> Extraction {
        guard !bytes.isEmpty else { throw .empty }
        var kind = ContentTypeDetector.detect(bytes: bytes, name: name, hint: contentTypeHint)
        let content: DocumentContent
        switch kind {
        case .pdf:
            throw .unsupported("PDF text is read with poppler's pdftotext, which the docpipe-extractor worker runs")
        case .png, .jpeg, .tiff:
            throw .unsupported(
                "\(RasterImage.formatName(kind)) images are read by OCR with tesseract, which the docpipe-extractor worker runs"
            )
        case .docx: content = try OfficeDocumentText.docx(bytes, limits: limits)
        case .odt: content = try OfficeDocumentText.odt(bytes, limits: limits)
        case .email: content = try EmailMessage.content(of: bytes)
        case .binary:
            if bytes.starts(with: [0x50, 0x4B]) { throw .binary(ContainerSniffer.describeZip(bytes)) }
            throw .binary(BinarySniffer.describeBinary(bytes) ?? "unrecognised data")
        case .rtf:
            content = try RTFText.content(of: TextDecoder.windows1252(bytes))
        case .plainText, .markdown, .html, .json, .csv:
            if let what = BinarySniffer.describeBinary(bytes) { throw .binary(what) }
            guard let (decoded, encoding) = TextDecoder.decodeDetectingEncoding(bytes) else {
                throw decodingError(bytes)
            }
            var fields = textContent(of: normalizeLineBreaks(decoded), kind: &kind)
            if encoding != "utf-8" { fields.metadata["encoding"] = encoding }
            content = fields
        }
        return try analyze(content, kind: kind, contentHash: contentHash, languages: languages, names: names)
    }

    /// Language, counts, dates and entities for text already read out of its format.
    public static func analyze(
        _ content: DocumentContent, kind: ContentKind, contentHash: String, languages: LanguageIdentifier,
        names: PersonNames
    ) throws(ExtractionError) -> Extraction {
        var fields = content
        fields.text = normalizeLineBreaks(fields.text).trimmingSpaces()
        guard fields.text.contains(where: { !$0.isWhitespace }) else { throw .empty }
        if fields.author == nil {
            // maxSplits: the first eight lines, without cutting up the rest of a long text.
            fields.author =
                fields.text.split(maxSplits: 8, whereSeparator: { $0.isNewline }).prefix(8).lazy
                .compactMap { TitleAndSource.byline($0.trimmingSpaces()) }.first
        }
        // Dates and entities of a huge document (a 50 MB log or table dump) come from its first
        // megabyte: they are the slowest analyses, and the list would be noise past that anyway.
        // Counts always cover the whole text.
        let annotated = boundedPrefix(fields.text, scalars: annotationLimit)
        if annotated.utf8.count < fields.text.utf8.count {
            fields.metadata["annotated_prefix_bytes"] = String(annotated.utf8.count)
        }
        var dates: [DateMention] = []
        if let published = fields.published.flatMap(DateExtractor.normalize) {
            dates.append(DateMention(date: published, confidence: DateExtractor.fullDate))
        }
        for mention in DateExtractor.mentions(in: annotated) where !dates.contains(where: { $0.date == mention.date }) {
            dates.append(mention)
        }
        let language = languages.identify(fields.text)
        // One sentence split serves the count and, when the whole text is annotated, the entities.
        let sentences = SentenceSplitter.split(fields.text)
        let annotatedSentences =
            annotated.utf8.count == fields.text.utf8.count ? sentences : SentenceSplitter.split(annotated)
        return Extraction(
            contentType: kind.rawValue,
            text: fields.text,
            title: fields.title,
            source: fields.source,
            author: fields.author,
            language: language.language,
            wordCount: Tokenizer.wordCount(fields.text),
            sentenceCount: sentences.count,
            dates: dates.map(\.date),
            dateMentions: dates,
            entities: EntityRecognizer.entities(inSentences: annotatedSentences, names: names),
            contentHash: contentHash,
            metadata: fields.metadata,
            ocr: fields.ocr
        )
    }

    /// How much text dates and entities are read from.
    static let annotationLimit = 1_000_000

    /// At most `scalars` Unicode scalars of `text`, cut at the last line break (or space) before the limit.
    static func boundedPrefix(_ text: String, scalars limit: Int) -> String {
        let view = text.unicodeScalars
        guard let cut = view.index(view.startIndex, offsetBy: limit, limitedBy: view.endIndex), cut < view.endIndex
        else {
            return text
        }
        let head = view[..<cut]
        let end = head.lastIndex(of: "\n") ?? head.lastIndex(of: " ") ?? cut
        return String(String.UnicodeScalarView(view[..<end]))
    }

    static func textContent(of text: String, kind: inout ContentKind) -> DocumentContent {
        switch kind {
        case .html:
            let html = HTMLText.extract(text)
            return DocumentContent(
                text: html.text, title: html.title, source: html.source, author: html.author, published: html.published)
        case .markdown:
            let markdown = MarkdownText.extract(text)
            return DocumentContent(
                text: markdown.text, title: markdown.title, author: markdown.author, published: markdown.published)
        case .json:
            guard let value = try? JSONText.parse(text) else {
                // Named or hinted as JSON but not JSON: still text, and worth reading as such.
                kind = .plainText
                return textContent(of: text, kind: &kind)
            }
            let json = JSONText.extract(value)
            return DocumentContent(
                text: json.text, title: json.title, source: json.source, author: json.author, published: json.published)
        case .csv:
            return CSVText.content(of: text)
        default:
            let meta = TitleAndSource.plainTextMetadata(text)
            return DocumentContent(text: text, title: meta.title, source: meta.source, author: meta.author)
        }
    }

    /// Bytes that passed the binary checks (no NULs, few control characters) but fit neither UTF-8
    /// nor a Western single-byte encoding are text in some other code page; say so.
    private static func decodingError(_ bytes: Data) -> ExtractionError {
        let offset = TextDecoder.utf8Damage(bytes)?.firstBadOffset ?? 0
        let high = bytes.reduce(0) { $0 + ($1 >= 0x80 ? 1 : 0) } * 100 / max(bytes.count, 1)
        return .undecodable(
            "invalid UTF-8 near byte \(offset), and \(high)% of bytes are above 0x7F, too many for Latin-1 or "
                + "Windows-1252; the text may be in a Cyrillic, Greek or East Asian code page")
    }

    /// CRLF and CR become LF, and control characters other than tab and newline are dropped, so
    /// every later stage sees one kind of line break.
    static func normalizeLineBreaks(_ text: String) -> String {
        // Nearly every text has nothing to change; finding that out on the bytes is ten times
        // cheaper than rebuilding the text scalar by scalar.
        guard needsNormalizing(text.utf8) else { return text }
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            if scalar == "\n", previousWasCR { continue }
            if scalar == "\r" {
                scalars.append("\n")
            } else if scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t" {
                continue
            } else if scalar == "\u{FEFF}" {
                continue
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Whether `utf8` holds a CR, a control character (C0, DEL, C1) other than tab and newline, or
    /// U+FEFF: what `normalizeLineBreaks` changes. The text is valid UTF-8, so 0xC2 and 0xEF are
    /// always lead bytes.
    static func needsNormalizing(_ utf8: String.UTF8View) -> Bool {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in utf8 {
            if byte < 0x20 && byte != 0x0A && byte != 0x09 || byte == 0x7F { return true }
            if previous == 0xC2 && byte >= 0x80 && byte <= 0x9F { return true }
            if beforePrevious == 0xEF && previous == 0xBB && byte == 0xBF { return true }
            beforePrevious = previous
            previous = byte
        }
        return false
    }
}
