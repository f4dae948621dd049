import Foundation
import TextAnalysis

// A forgiving HTML-to-text pass. It is not a DOM parser: it walks tags once, keeps the text a
// reader would see, and turns block elements into line breaks so sentences and paragraphs survive.
// Malformed markup degrades to "more text kept", never to a crash or an empty result.

/// What the HTML extractor found in a page.
struct HTMLContent: Sendable, Equatable {
    var text: String
    var title: String?
    var source: String?
    var author: String?
    var published: String?
}

enum HTMLText {
    static func extract(_ html: String) -> HTMLContent {
        let scalars = Array(html.unicodeScalars)
        var parser = HTMLWalker(scalars: scalars, dropContainers: true)
        parser.run()
        let meta = parser.meta
        var title = nonEmpty(meta["og:title"]) ?? nonEmpty(meta["twitter:title"])
        var source = nonEmpty(meta["og:site_name"]) ?? nonEmpty(meta["application-name"])
        if title == nil, let documentTitle = nonEmpty(parser.documentTitle) {
            let split = TitleAndSource.splitSource(documentTitle)
            title = split.title
            if source == nil { source = split.source }
        }
        if title == nil { title = nonEmpty(parser.firstHeading) }
        let main = HTMLMainContent.select(parser.layout, title: title)
        var text = parser.layout.text(of: main.kept)
        if parser.layout.blocks.isEmpty && parser.endedInsideDroppedContainer {
            // An unclosed <nav> or <head> swallowed the page; better to keep the chrome than lose the text.
            var lenient = HTMLWalker(scalars: scalars, dropContainers: false)
            lenient.run()
            text = lenient.layout.text(of: Array(lenient.layout.blocks.indices))
        }
        let authorKeys = ["author", "article:author", "dc.creator", "parsely-author", "byl", "sailthru.author"]
        let author =
            authorKeys.lazy.compactMap { nonEmpty(meta[$0]) }.first { !$0.hasPrefix("http") }
            .map { TitleAndSource.cleanByline($0) } ?? main.byline
        let dateKeys = [
            "article:published_time", "datepublished", "date", "pubdate", "publish-date", "dc.date",
            "dc.date.issued", "parsely-pub-date", "sailthru.date", "og:published_time",
        ]
        let published = dateKeys.lazy.compactMap { nonEmpty(meta[$0]) }.first
        return HTMLContent(text: text, title: title, source: source, author: author, published: published)
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value else { return nil }
        let collapsed = value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }
}

/// One pass over the markup, cutting the visible text into blocks and collecting `<title>`, the first
/// `<h1>` and `<meta>` values.
private struct HTMLWalker {
    let scalars: [Unicode.Scalar]
    let dropContainers: Bool
    var layout = HTMLPageLayout()
    var meta: [String: String] = [:]
    var documentTitle: String?
    var firstHeading: String?
    var endedInsideDroppedContainer = false

    private var output = HTMLBlockBuilder()
    private var openElements = HTMLOpenElements()
    private var openDropped: [String] = []
    private var headingBuffer: String?
    private var index = 0

    init(scalars: [Unicode.Scalar], dropContainers: Bool) {
        self.scalars = scalars
        self.dropContainers = dropContainers
    }

    mutating func run() {
        var textStart = 0
        while index < scalars.count {
            guard scalars[index] == "<", index + 1 < scalars.count else {
                index += 1
                continue
            }
            let next = scalars[index + 1]
            let isTag = next.properties.isAlphabetic || next == "/" || next == "!" || next == "?"
            guard isTag else {
                index += 1
                continue
            }
            emitText(textStart..<index)
            handleMarkup()
            textStart = index
        }
        emitText(min(textStart, scalars.count)..<scalars.count)
        endedInsideDroppedContainer = !openDropped.isEmpty
        layout = output.finish()
    }

    private mutating func emitText(_ range: Range<Int>) {
        guard !range.isEmpty, openDropped.isEmpty else { return }
        let raw = String(String.UnicodeScalarView(scalars[range]))
        let decoded = HTMLEntities.decode(raw)
        if openElements.inPreformatted, decoded.contains("\n") {
            // Code keeps its lines: each line of a <pre> is a line of the text.
            for (number, line) in decoded.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if number > 0 { output.breakLine(paragraph: false) }
                output.append(
                    String(line), inLink: openElements.inLink, openElements: openElements.ids,
                    blockTag: openElements.blockTag)
            }
        } else {
            output.append(
                decoded, inLink: openElements.inLink, openElements: openElements.ids, blockTag: openElements.blockTag)
        }
        if headingBuffer != nil { headingBuffer! += decoded }
    }

    private mutating func handleMarkup() {
        if starts(with: "<!--") {
            index = find("-->", from: index + 4).map { $0 + 3 } ?? scalars.count
            return
        }
        if scalars[index + 1] == "!" || scalars[index + 1] == "?" {
            index = find(">", from: index + 2).map { $0 + 1 } ?? scalars.count
            return
        }
        guard let tag = HTMLTagReader.read(scalars, at: index) else {
            index = find(">", from: index + 1).map { $0 + 1 } ?? scalars.count
            return
        }
        index = tag.end
        if tag.isClosing { close(tag.name) } else { open(tag) }
    }

    private mutating func open(_ tag: HTMLTag) {
        let name = tag.name
        if name == "meta" {
            let key = (tag.attributes["property"] ?? tag.attributes["name"] ?? tag.attributes["itemprop"])?.lowercased()
            if let key, let content = tag.attributes["content"], meta[key] == nil {
                meta[key] = HTMLEntities.decode(content)
            }
            return
        }
        if name == "body" { openDropped.removeAll { $0 == "head" } }
        if Self.rawText.contains(name) {
            let closeAt = findClosing(name)
            if name == "title", documentTitle == nil {
                documentTitle = HTMLEntities.decode(String(String.UnicodeScalarView(scalars[index..<closeAt.start])))
            }
            index = closeAt.end
            return
        }
        let hidden =
            tag.attributes["hidden"] != nil || tag.attributes["aria-hidden"] == "true"
            || (tag.attributes["style"]?.lowercased().replacingOccurrences(of: " ", with: "").contains("display:none")
                ?? false)
        // An `<aside>` is dropped as a sidebar, unless it is named as a pull quote: the article's own words.
        let chrome =
            dropContainers && Self.dropped.contains(name)
            && !(name == "aside" && HTMLBoilerplateHints.isPullQuote(tag.attributes["class"]))
        if chrome || (hidden && !Self.void.contains(name)) {
            if !tag.selfClosing { openDropped.append(name) }
            return
        }
        if name == "h1", firstHeading == nil, openDropped.isEmpty { headingBuffer = "" }
        if openDropped.isEmpty {
            openElements.closeImplied(by: name)
            // Closing an implied <p> or <li> is a block boundary too.
            breakFor(name)
            if !Self.void.contains(name), !tag.selfClosing {
                let hint = HTMLBoilerplateHints.hint(tag: name, attributes: tag.attributes)
                let parent = openElements.ids.last
                let paidLink =
                    name == "a"
                    && (tag.attributes["rel"]?.lowercased().split(separator: " ").contains("sponsored") ?? false)
                let id =
                    openElements.isFull
                    ? -1
                    : output.addElement(
                        tag: name, parent: parent, hint: hint, className: tag.attributes["class"] ?? "",
                        paidLink: paidLink)
                openElements.push(name, id: id, isLink: name == "a" && tag.attributes["href"] != nil)
            }
        }
    }

    private mutating func close(_ name: String) {
        if let last = openDropped.lastIndex(of: name) {
            openDropped.removeSubrange(last...)
            return
        }
        if name == "h1", let heading = headingBuffer {
            firstHeading = heading
            headingBuffer = nil
        }
        breakFor(name)
        if openDropped.isEmpty { openElements.close(name) }
    }

    private mutating func breakFor(_ name: String) {
        guard openDropped.isEmpty else { return }
        if Self.paragraphBlocks.contains(name) {
            output.breakLine(paragraph: true)
        } else if Self.lineBlocks.contains(name) {
            output.breakLine(paragraph: false)
        } else if name == "td" || name == "th" {
            output.append(" ", inLink: false, openElements: openElements.ids, blockTag: openElements.blockTag)
        }
    }

    private func starts(with literal: String) -> Bool {
        HTMLTagReader.matches(scalars, at: index, literal)
    }

    private func find(_ literal: String, from start: Int) -> Int? {
        var position = start
        while position < scalars.count {
            if HTMLTagReader.matches(scalars, at: position, literal) { return position }
            position += 1
        }
        return nil
    }

    /// Where the `</name` that ends a raw-text element starts, and where scanning resumes after it.
    private func findClosing(_ name: String) -> (start: Int, end: Int) {
        guard let start = find("</" + name, from: index) else { return (scalars.count, scalars.count) }
        let end = find(">", from: start).map { $0 + 1 } ?? scalars.count
        return (start, end)
    }

    static let rawText: Set<String> = [
        "script", "style", "title", "textarea", "noscript", "xmp", "iframe", "noembed", "noframes",
    ]
    /// Site chrome rather than content: menus, page headers' metadata, forms, widgets.
    static let dropped: Set<String> = [
        "head", "nav", "template", "svg", "select", "button", "form", "aside", "footer", "object", "canvas", "math",
        "dialog", "menu",
    ]
    static let void: Set<String> = [
        "br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr",
    ]
    static let paragraphBlocks: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "table", "ul", "ol", "pre",
        "figure", "main", "header", "hr", "dl", "address", "fieldset", "details",
    ]
    static let lineBlocks: Set<String> = [
        "br", "li", "div", "tr", "dt", "dd", "figcaption", "caption", "summary", "center",
    ]
}
