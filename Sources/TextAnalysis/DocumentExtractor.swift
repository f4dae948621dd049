public import Foundation

/// Turns a document's bytes into an `Extraction`: detects the format, pulls out visible text and
/// metadata, then runs language ID, counting, date and entity extraction over the text.
public enum DocumentExtractor {
    /// `contentHash` is passed through untouched (the caller owns hashing).
    public static func extract(
        bytes: Data, name: String?, contentTypeHint: String?, contentHash: String
    ) throws(ExtractionError) -> Extraction {
        guard !bytes.isEmpty else { throw .empty }
        if let what = BinarySniffer.describeBinary(bytes) { throw .binary(what) }
        guard let decoded = TextDecoder.decode(bytes) else { throw decodingError(bytes) }
        var kind = ContentTypeDetector.detect(bytes: bytes, name: name, hint: contentTypeHint)
        if kind == .binary {
            // Valid text that is named like a binary file: trust the bytes, read it as text.
            kind = .plainText
        }
        let source = normalizeLineBreaks(decoded)
        var fields = fields(of: source, kind: &kind)
        fields.text = fields.text.trimmingSpaces()
        guard fields.text.contains(where: { !$0.isWhitespace }) else { throw .empty }
        if fields.author == nil {
            fields.author = fields.text.split(whereSeparator: { $0.isNewline }).prefix(8).lazy
                .compactMap { TitleAndSource.byline($0.trimmingSpaces()) }.first
        }
        var dates: [String] = []
        if let published = fields.published.flatMap(DateExtractor.normalize) { dates.append(published) }
        for date in DateExtractor.dates(in: fields.text) where !dates.contains(date) { dates.append(date) }
        return Extraction(
            contentType: kind.rawValue,
            text: fields.text,
            title: fields.title,
            source: fields.source,
            author: fields.author,
            language: LanguageIdentifier.identify(fields.text).language,
            wordCount: Tokenizer.words(fields.text).count,
            sentenceCount: SentenceSplitter.split(fields.text).count,
            dates: dates,
            entities: EntityRecognizer.entities(in: fields.text),
            contentHash: contentHash
        )
    }

    private struct Fields {
        var text: String
        var title: String?
        var source: String?
        var author: String?
        var published: String?
    }

    private static func fields(of text: String, kind: inout ContentKind) -> Fields {
        switch kind {
        case .html:
            let html = HTMLText.extract(text)
            return Fields(text: html.text, title: html.title, source: html.source, author: html.author, published: html.published)
        case .markdown:
            let markdown = MarkdownText.extract(text)
            return Fields(text: markdown.text, title: markdown.title, author: markdown.author, published: markdown.published)
        case .json:
            guard let value = try? JSONText.parse(text) else {
                // Named or hinted as JSON but not JSON: still text, and worth reading as such.
                kind = .plainText
                return fields(of: text, kind: &kind)
            }
            let json = JSONText.extract(value)
            return Fields(text: json.text, title: json.title, source: json.source, author: json.author, published: json.published)
        case .plainText, .binary:
            let meta = TitleAndSource.plainTextMetadata(text)
            return Fields(text: text, title: meta.title, source: meta.source, author: meta.author)
        }
    }

    /// Mostly-valid UTF-8 is text in another encoding (fixable by the sender); mostly-invalid is binary.
    private static func decodingError(_ bytes: Data) -> ExtractionError {
        guard let damage = TextDecoder.utf8Damage(bytes) else { return .undecodable("unknown encoding") }
        if damage.badFraction > 0.05 {
            return .binary("\(Int((damage.badFraction * 100).rounded()))% of bytes are not valid UTF-8")
        }
        return .undecodable("invalid UTF-8 near byte \(damage.firstBadOffset); the text may be Latin-1 or Windows-1252")
    }

    /// CRLF and CR become LF, and control characters other than tab and newline are dropped, so
    /// every later stage sees one kind of line break.
    private static func normalizeLineBreaks(_ text: String) -> String {
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
}
