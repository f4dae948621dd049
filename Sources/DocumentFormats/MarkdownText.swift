import Foundation

// Markdown to visible text, line by line. Block syntax (headings, quotes, lists, rules, tables,
// front matter) is handled per line; inline syntax (links, emphasis, code) by `MarkdownInline`.
// Fenced code is dropped: it is not prose, and it would only mislead language ID and summaries.

/// What the Markdown extractor found.
struct MarkdownContent: Sendable, Equatable {
    var text: String
    var title: String?
    var author: String?
    var published: String?
}

enum MarkdownText {
    static func extract(_ markdown: String) -> MarkdownContent {
        var lines = markdown.lineSlices().map(String.init)
        var content = MarkdownContent(text: "")
        readFrontMatter(&lines, into: &content)
        var output: [String] = []
        var inFence: String?
        for line in lines {
            let trimmed = line.trimmingHorizontalSpace()
            if let fence = inFence {
                if trimmed.hasPrefix(fence) { inFence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence = String(trimmed.prefix(3))
                continue
            }
            if isRule(trimmed) || isTableSeparator(trimmed) || isReferenceDefinition(trimmed) {
                // A setext underline ("===") makes the previous line a heading; it is already in output.
                if trimmed.hasPrefix("="), content.title == nil, let previous = output.last, !previous.isEmpty {
                    content.title = previous
                }
                if output.last?.isEmpty == false { output.append("") }
                continue
            }
            let (body, headingLevel) = stripBlockMarkers(trimmed)
            let visible = MarkdownInline.render(body)
            if headingLevel == 1, content.title == nil { content.title = visible }
            if headingLevel > 0 {
                // Headings are their own paragraph, so they never fuse with the next sentence.
                if output.last?.isEmpty == false { output.append("") }
                output.append(visible)
                output.append("")
            } else if visible.isEmpty {
                if output.last?.isEmpty == false { output.append("") }
            } else {
                output.append(visible)
            }
        }
        while output.last?.isEmpty == true { output.removeLast() }
        while output.first?.isEmpty == true { output.removeFirst() }
        content.text = output.joined(separator: "\n")
        return content
    }

    /// YAML front matter between `---` lines; only the keys the extraction needs are read.
    private static func readFrontMatter(_ lines: inout [String], into content: inout MarkdownContent) {
        guard lines.first?.trimmingHorizontalSpace() == "---",
            let close = lines.dropFirst().firstIndex(where: { $0.trimmingHorizontalSpace() == "---" })
        else { return }
        for line in lines[1..<close] {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingHorizontalSpace().lowercased()
            var value = line[line.index(after: colon)...].trimmingHorizontalSpace()
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard !value.isEmpty else { continue }
            switch key {
            case "title": content.title = value
            case "author", "authors": content.author = value
            case "date", "published", "pubdate": content.published = value
            default: break
            }
        }
        lines.removeSubrange(0...close)
    }

    /// Removes heading hashes, quote markers and list bullets; returns the heading level (0 if none).
    private static func stripBlockMarkers(_ line: String) -> (String, Int) {
        var rest = Substring(line)
        while rest.hasPrefix(">") { rest = rest.dropFirst().drop(while: { $0 == " " }) }
        let hashes = rest.prefix(while: { $0 == "#" }).count
        if (1...6).contains(hashes), rest.dropFirst(hashes).first == " " || rest.count == hashes {
            var heading = rest.dropFirst(hashes).trimmingHorizontalSpace()
            while heading.hasSuffix("#") { heading.removeLast() }
            return (heading.trimmingHorizontalSpace(), hashes)
        }
        for bullet in ["- [ ] ", "- [x] ", "* [ ] ", "* [x] ", "- ", "* ", "+ "] where rest.hasPrefix(bullet) {
            return (String(rest.dropFirst(bullet.count)), 0)
        }
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        if !digits.isEmpty, digits.count < 10 {
            let after = rest.dropFirst(digits.count)
            if after.hasPrefix(". ") || after.hasPrefix(") ") { return (String(after.dropFirst(2)), 0) }
        }
        if rest.hasPrefix("|") || (containsCellBar(rest) && rest.hasSuffix("|")) {
            let cells = rest.split(separator: "|").map { $0.trimmingHorizontalSpace() }.filter { !$0.isEmpty }
            return (cells.joined(separator: " "), 0)
        }
        return (String(rest), 0)
    }

    /// Whether `text` holds " | ", on its bytes (Foundation's `contains` and the standard library's
    /// generic `firstRange` were a fifth of reading a long Markdown file).
    private static func containsCellBar(_ text: Substring) -> Bool {
        var beforePrevious: UInt8 = 0
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if beforePrevious == 0x20 && previous == 0x7C && byte == 0x20 { return true }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    private static func isRule(_ line: String) -> Bool {
        guard let lead = line.first(where: { $0 != " " }), "-*_=".contains(lead) else { return false }
        let compact = line.filter { $0 != " " }
        guard compact.count >= 3, let first = compact.first, "-*_=".contains(first) else { return false }
        return compact.allSatisfy { $0 == first }
    }

    private static func isTableSeparator(_ line: String) -> Bool {
        // Byte tests, not Foundation's `contains` (a CFString search per line of the document).
        line.utf8.contains(UInt8(ascii: "-")) && line.utf8.contains(UInt8(ascii: "|"))
            && line.allSatisfy { "|-: ".contains($0) }
    }

    private static func isReferenceDefinition(_ line: String) -> Bool {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return false }
        return line[line.index(after: close)...].hasPrefix(":")
    }
}
