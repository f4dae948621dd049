import Foundation

// Plain text has no metadata fields, but news copy follows conventions: a headline on the first
// line, often suffixed with the outlet ("… - Politico"), and sometimes a "By Name" byline.

/// Title, source and author read from the conventions of plain-text articles.
public enum TitleAndSource {
    /// The headline, the outlet split off it and the byline author, each nil when absent.
    public static func plainTextMetadata(_ text: String) -> (title: String?, source: String?, author: String?) {
        // The first lines only, not the whole of a long text.
        let lines = text.split(maxSplits: 12, whereSeparator: { $0.isNewline }).prefix(12)
            .map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        var title: String?
        var source: String?
        if let first = lines.first, lines.count > 1, looksLikeTitle(first) {
            (title, source) = splitSource(first)
        }
        let author = lines.prefix(8).lazy.compactMap(byline).first
        return (title, source, author)
    }

    /// Splits "Headline - Outlet" (also `|`, `—`, `–`) into headline and outlet. The outlet part
    /// must be short and capitalised, so "Spider-Man - the review" or a dash inside a sentence stays whole.
    public static func splitSource(_ line: String) -> (title: String, source: String?) {
        for separator in [" | ", " — ", " – ", " - ", " · ", " :: "] {
            guard let range = line.range(of: separator, options: .backwards) else { continue }
            let head = line[..<range.lowerBound].trimmingSpaces()
            let tail = line[range.upperBound...].trimmingSpaces()
            let tailWords = tail.split(separator: " ")
            guard !head.isEmpty, head.split(separator: " ").count >= 2, !tail.isEmpty, tailWords.count <= 5,
                tail.count <= 50, let first = tail.unicodeScalars.first,
                first.properties.isUppercase || first.properties.numericType != nil,
                !tail.hasSuffix(".")
            else { continue }
            return (head, tail)
        }
        return (line, nil)
    }

    /// "By Jane Doe and John Roe, Reuters" → "Jane Doe and John Roe"; other strings just trimmed.
    public static func cleanByline(_ text: String) -> String {
        var name = text.trimmingSpaces()
        for prefix in ["By ", "by ", "BY "] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count)).trimmingSpaces()
        }
        // "Lena Fischer · 9 min read", "Ana Lima | 4 May 2026": what follows the separator is not the name.
        for separator in [" · ", " | ", " • "] {
            if let range = name.range(of: separator) { name = String(name[..<range.lowerBound]).trimmingSpaces() }
        }
        if let comma = name.firstIndex(of: ","), name.split(separator: " ").count > 2 {
            name = String(name[..<comma]).trimmingSpaces()
        }
        return name
    }

    package static func looksLikeTitle(_ line: String) -> Bool {
        guard line.count < 200, line.contains(where: { $0.isLetter }), !line.hasSuffix("."), !line.hasSuffix(",") else {
            return false
        }
        return line.split(separator: " ").count <= 30
    }

    /// A "By Name" or "Author: Name" line, returning the name ("Por", "Par", "Von" as "By" in Spanish and
    /// Portuguese, French, German; a sentence starting with one of them has a lowercase word after it).
    package static func byline(_ line: String) -> String? {
        guard line.count < 120 else { return nil }
        var rest: Substring
        if ["By ", "BY ", "Por ", "POR ", "Par ", "PAR ", "Von ", "VON "].contains(where: { line.hasPrefix($0) }) {
            rest = line.drop(while: { $0 != " " })
        } else if line.lowercased().hasPrefix("author:") {
            rest = line.dropFirst(7)
        } else {
            return nil
        }
        rest = rest.drop(while: { $0 == " " })
        let name = cleanByline(String(rest))
        let words = name.split(separator: " ")
        guard (1...8).contains(words.count), let first = words.first?.first, first.isUppercase,
            !name.hasSuffix(".") || words.count <= 3
        else { return nil }
        // Every word of a name is capitalised, apart from joiners like "and", "van", "de".
        let joiners: Set<Substring> = [
            "and", "&", "van", "von", "de", "der", "da", "di", "la", "le", "du", "bin", "al",
        ]
        guard words.allSatisfy({ joiners.contains($0) || $0.first?.isUppercase == true }) else { return nil }
        return name
    }
}
