import TextAnalysis

// Documents that arrive as JSON are usually an article record from some API or scraper. Known
// field names give text and metadata; failing those, every prose-like string value is kept.

/// What the JSON extractor found.
struct JSONContent: Sendable, Equatable {
    var text: String
    var title: String?
    var source: String?
    var author: String?
    var published: String?
}

enum JSONText {
    static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(text)
        return try parser.parseDocument()
    }

    static func extract(_ value: JSONValue) -> JSONContent {
        let record = articleRecord(in: value) ?? value
        var content = JSONContent(text: "")
        content.title = firstString(record, keys: ["title", "headline", "name", "subject"])
        content.author = person(record, keys: ["author", "authors", "byline", "creator", "by", "writer"])
        content.source = person(
            record, keys: ["source", "publisher", "site_name", "siteName", "site", "outlet", "publication"])
        content.published = firstString(
            record,
            keys: [
                "datePublished", "published_at", "publishedAt", "published", "pubDate", "date", "created_at",
                "createdAt", "time",
            ])
        let bodyKeys = [
            "text", "body", "content", "articleBody", "article", "fulltext", "full_text", "description", "summary",
            "message",
        ]
        if let body = bodyKeys.lazy.compactMap({ prose(record[$0]) }).first {
            content.text = body
        } else if case .array(let items) = value {
            // A list of records (paragraphs, posts): join the text of each.
            content.text = items.map { extract($0).text }.filter { !$0.isEmpty }.joined(separator: "\n\n")
        } else {
            var strings: [String] = []
            collectProse(value, into: &strings)
            content.text = strings.joined(separator: "\n\n")
        }
        return content
    }

    /// Wrappers such as `{"data": {"article": {…}}}` are common; descend into them.
    private static func articleRecord(in value: JSONValue) -> JSONValue? {
        for key in ["article", "data", "document", "item", "post", "story", "result"] {
            if let inner = value[key], case .object = inner {
                return articleRecord(in: inner) ?? inner
            }
        }
        return nil
    }

    private static func firstString(_ value: JSONValue, keys: [String]) -> String? {
        for key in keys {
            if let text = value[key]?.stringValue.flatMap(HTMLText.nonEmpty) { return text }
        }
        return nil
    }

    /// A person or publisher may be a string, `{"name": …}` or a list of either.
    private static func person(_ value: JSONValue, keys: [String]) -> String? {
        for key in keys {
            guard let field = value[key] else { continue }
            if let name = name(of: field) { return name }
            if case .array(let items) = field {
                let names = items.compactMap(name(of:))
                if !names.isEmpty { return names.joined(separator: ", ") }
            }
        }
        return nil
    }

    private static func name(of value: JSONValue) -> String? {
        if let text = value.stringValue.flatMap(HTMLText.nonEmpty) { return TitleAndSource.cleanByline(text) }
        if let text = value["name"]?.stringValue.flatMap(HTMLText.nonEmpty) { return text }
        return nil
    }

    /// Body text from a field: a string (HTML bodies are converted), or a list of paragraph strings.
    private static func prose(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        switch value {
        case .string(let text):
            let trimmed = text.trimmingSpaces()
            guard !trimmed.isEmpty else { return nil }
            if trimmed.hasPrefix("<") { return HTMLText.nonEmpty(HTMLText.extract(trimmed).text) }
            return trimmed
        case .array(let items):
            let paragraphs = items.compactMap { prose($0) }
            return paragraphs.isEmpty ? nil : paragraphs.joined(separator: "\n\n")
        case .object:
            return prose(value["text"]) ?? prose(value["body"]) ?? prose(value["content"])
        default:
            return nil
        }
    }

    /// Strings that read as prose: they contain a space and a letter, and are not URLs.
    private static func collectProse(_ value: JSONValue, into strings: inout [String]) {
        switch value {
        case .string(let text):
            let trimmed = text.trimmingSpaces()
            let isURL = trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://")
            if !isURL, trimmed.contains(" "), trimmed.contains(where: { $0.isLetter }) { strings.append(trimmed) }
        case .array(let items):
            for item in items { collectProse(item, into: &strings) }
        case .object(let members):
            for member in members { collectProse(member.value, into: &strings) }
        default:
            break
        }
    }
}
