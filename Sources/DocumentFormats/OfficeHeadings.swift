import Foundation

// Most office documents never get a title property: people type a heading instead. The heading
// is found by its paragraph style, not its looks: a "Title" paragraph first, else the first
// heading of the highest level used. Word names styles by an id that is localised
// ("Heading1", "berschrift1", "Titre1"), so styles.xml is read for the built-in name behind it.

/// The title a word-processing document shows on its first page, when its properties have none.
enum OfficeHeadings {
    /// The DOCX title paragraph or top heading of `word/document.xml`, styles read from `word/styles.xml`.
    static func docxTitle(body: Data, styles: Data?) -> String? {
        let levels = styles.map(docxStyleLevels) ?? [:]
        var headings = HeadingCollector()
        var paragraphDepth = 0
        var styleLevel: Int?
        var outlineLevel: Int?
        var inText = false
        var skipping = 0
        XMLScanner.scan([UInt8](body)) { event in
            switch event {
            case .start(let name, let attributes, _):
                switch name {
                case "w:p":
                    paragraphDepth += 1
                    if paragraphDepth == 1 {
                        headings.begin()
                        styleLevel = nil
                        outlineLevel = nil
                    }
                case "w:pStyle" where paragraphDepth == 1:
                    if let id = attributes["w:val"] { styleLevel = levels[id] ?? builtInDocxLevel(id: id) }
                case "w:outlineLvl" where paragraphDepth == 1:
                    outlineLevel = attributes["w:val"].flatMap(Int.init).map { $0 + 1 }
                case "w:t": inText = true
                case "w:tab": headings.append(" ")
                case "w:instrText", "w:delText": skipping += 1
                default: break
                }
            case .end(let name):
                switch name {
                case "w:p":
                    if paragraphDepth == 1 {
                        headings.end(level: styleLevel ?? outlineLevel.flatMap { $0 <= 9 ? $0 : nil })
                    }
                    paragraphDepth = max(0, paragraphDepth - 1)
                case "w:t": inText = false
                case "w:instrText", "w:delText": skipping = max(0, skipping - 1)
                default: break
                }
            case .text(let value):
                if paragraphDepth == 1, inText, skipping == 0 { headings.append(value) }
            }
        }
        return headings.title
    }

    /// The ODT title paragraph or top heading (`text:h`) of `content.xml`.
    static func odtTitle(content: Data) -> String? {
        var parents: [String: String] = [:] // automatic style → the named style it dresses up
        var headings = HeadingCollector()
        var current: String? // the open text:h or text:p
        var nested = 0
        var skipping = 0
        XMLScanner.scan([UInt8](content)) { event in
            switch event {
            case .start(let name, let attributes, _):
                if name == "style:style", let style = attributes["style:name"],
                    let parent = attributes["style:parent-style-name"]
                {
                    parents[style] = parent
                } else if name == "text:h" || name == "text:p" {
                    if current != nil {
                        nested += 1
                        return
                    }
                    current = name
                    headings.begin()
                    headings.pendingLevel = odtLevel(element: name, attributes: attributes, parents: parents)
                } else if name == "text:note" || name == "office:annotation" {
                    skipping += 1
                } else if current != nil, name == "text:s" {
                    headings.append(" ")
                } else if current != nil, name == "text:tab" || name == "text:line-break" {
                    headings.append(" ")
                }
            case .end(let name):
                if name == "text:h" || name == "text:p", current != nil {
                    if nested > 0 {
                        nested -= 1
                        return
                    }
                    headings.end(level: headings.pendingLevel)
                    current = nil
                } else if name == "text:note" || name == "office:annotation" {
                    skipping = max(0, skipping - 1)
                }
            case .text(let value):
                if current != nil, skipping == 0, nested == 0 { headings.append(value) }
            }
        }
        return headings.title
    }

    /// Title is level 0, "heading N" level N; other paragraph styles have none.
    private static func odtLevel(element: String, attributes: [String: String], parents: [String: String]) -> Int? {
        var style = attributes["text:style-name"]
        for _ in 0..<4 {
            guard let name = style else { break }
            if name == "Title" { return 0 }
            if let parent = parents[name] { style = parent } else { break }
        }
        guard element == "text:h" else { return nil }
        return min(max(attributes["text:outline-level"].flatMap(Int.init) ?? 1, 1), 9)
    }

    /// styleId → level from `w:styles`: the built-in name ("title", "heading 2") or an outline
    /// level, following `w:basedOn` a few steps.
    private static func docxStyleLevels(_ styles: Data) -> [String: Int] {
        var direct: [String: Int] = [:]
        var basedOn: [String: String] = [:]
        var contents: Set<String> = [] // "TOC Heading" is based on "heading 1" but heads a list, not the text
        var id: String?
        XMLScanner.scan([UInt8](styles)) { event in
            switch event {
            case .start(let name, let attributes, _):
                if name == "w:style" {
                    id = attributes["w:type"] == "paragraph" ? attributes["w:styleId"] : nil
                } else if let current = id {
                    if name == "w:name", let value = attributes["w:val"], isTableOfContents(name: value) {
                        contents.insert(current)
                    } else if name == "w:name", let value = attributes["w:val"], let level = builtInLevel(name: value) {
                        direct[current] = level
                    } else if name == "w:outlineLvl", direct[current] == nil,
                        let value = attributes["w:val"].flatMap(Int.init), value < 9
                    {
                        direct[current] = value + 1
                    } else if name == "w:basedOn", let value = attributes["w:val"] {
                        basedOn[current] = value
                    }
                }
            case .end(let name):
                if name == "w:style" { id = nil }
            case .text:
                break
            }
        }
        var levels = direct
        for start in basedOn.keys where levels[start] == nil && !contents.contains(start) {
            var style = start
            for _ in 0..<4 {
                guard let parent = basedOn[style] else { break }
                if let level = direct[parent] {
                    levels[start] = level
                    break
                }
                style = parent
            }
        }
        for style in contents { levels[style] = nil }
        return levels
    }

    private static func isTableOfContents(name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("toc") || lower.hasPrefix("index") || lower.hasPrefix("table of")
    }

    private static func builtInLevel(name: String) -> Int? {
        let lower = name.lowercased()
        if lower == "title" { return 0 }
        guard lower.hasPrefix("heading "), let level = Int(lower.dropFirst(8)), (1...9).contains(level) else {
            return nil
        }
        return level
    }

    /// Without styles.xml, Word's English style ids are the only clue.
    private static func builtInDocxLevel(id: String) -> Int? {
        let lower = id.lowercased()
        if lower == "title" { return 0 }
        guard lower.hasPrefix("heading"), let level = Int(lower.dropFirst(7)), (1...9).contains(level) else {
            return nil
        }
        return level
    }
}

/// Gathers the text of heading paragraphs and picks the title: the first at the best level.
private struct HeadingCollector {
    var text = ""
    var pendingLevel: Int?
    private var best: (level: Int, text: String)?

    mutating func begin() { text = "" }
    mutating func append(_ value: String) { if text.count < 400 { text += value } }

    mutating func end(level: Int?) {
        defer { text = "" }
        guard let level, best.map({ level < $0.level }) ?? true else { return }
        let heading = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard heading.count <= 200, heading.contains(where: { $0.isLetter }) else { return }
        best = (level, heading)
    }

    var title: String? { best?.text }
}
