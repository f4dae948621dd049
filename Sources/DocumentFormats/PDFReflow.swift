// pdftotext prints a PDF's lines as they were typeset: a sentence wrapped over three lines comes
// out as three lines, a word hyphenated at the margin as "exam-" and "ple". Sentence splitting
// ends a sentence at a line break before a capital, so a summary would start mid-sentence. The
// lines of a paragraph are joined again here, before any analysis.
//
// A break is kept where the layout says it is real: a blank line, a short line (ending well
// before the right margin) that ends a sentence or is followed by a capital (a heading, the last
// line of a paragraph), and a line before a list item. A hyphen at a line end is dropped when the
// next line goes on in lowercase, unless the document also writes the hyphenated word whole on
// one line ("well-known") and never without the hyphen.

import Foundation

/// Re-flows text that was laid out in lines (pdftotext's) into paragraphs.
enum TextReflow {
    /// The pages re-flowed and joined by blank lines, or into one paragraph where a sentence
    /// plainly runs over the page end. Linear in the text: pages are joined once, at the end.
    static func reflow(pages: [String]) -> String {
        let lexicon = Lexicon(pages)
        var parts: [String] = []
        for page in pages {
            let flowed = reflow(page: withoutPageNumbers(page), lexicon: lexicon)
            if !parts.isEmpty, let previous = parts.last {
                let lastLine = previous[
                    (previous.lastIndex(where: \.isNewline).map(previous.index(after:)) ?? previous.startIndex)...]
                let seam = seam(after: lastLine, before: flowed, lexicon: lexicon, atPageEnd: true)
                if seam == .dehyphenate { parts[parts.count - 1].removeLast() }
                parts.append(seam.separator ?? "\n\n")
            }
            parts.append(flowed)
        }
        return parts.joined()
    }

    /// A page's number printed alone on its first or last line ("12", "- 12 -", "Page 12 of 40")
    /// is furniture; left in, it would sit inside a sentence that runs over the page end.
    static func withoutPageNumbers(_ page: String) -> String {
        var lines = page.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
        while let last = lines.last, last.allSatisfy(\.isWhitespace) || isPageNumber(last) { lines.removeLast() }
        while let first = lines.first, first.allSatisfy(\.isWhitespace) || isPageNumber(first) { lines.removeFirst() }
        return lines.joined(separator: "\n")
    }

    private static func isPageNumber(_ line: Substring) -> Bool {
        var words = line.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "-" || $0 == "–" || $0 == "|" })
        if let first = words.first, ["page", "p.", "seite", "pag.", "página"].contains(first) { words.removeFirst() }
        if words.count == 3, words[1] == "of" || words[1] == "/" || words[1] == "von" || words[1] == "de" {
            words.removeLast(2)
        }
        guard words.count == 1, let number = words.first else { return false }
        return (1...3).contains(number.count) && number.allSatisfy(\.isNumber)
    }

    static func reflow(page: String, lexicon: Lexicon) -> String {
        let lines = page.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let width = lines.lazy.map(\.count).max() ?? 0
        var output = ""
        var previous: String? // the line before, when it is in the same block
        for line in lines {
            guard !line.isEmpty else {
                if previous != nil { output += "\n\n" }
                previous = nil
                continue
            }
            defer { previous = line }
            guard let last = previous else {
                output += line
                continue
            }
            let seam = seam(after: Substring(last), before: line, lexicon: lexicon, atPageEnd: false, width: width)
            if seam == .dehyphenate { output.removeLast() }
            output += (seam.separator ?? "\n") + line
        }
        while output.hasSuffix("\n") { output.removeLast() }
        return output
    }

    /// What goes between two lines of laid-out text.
    enum Seam: Equatable {
        /// A real break: a line break inside a page, a paragraph break between pages.
        case lineBreak
        /// One sentence wrapped: a space.
        case space
        /// A word wrapped at its own hyphen ("Anglo-", "Saxon"): nothing, the hyphen stays.
        case glue
        /// A word hyphenated for the margin: the hyphen goes.
        case dehyphenate

        var separator: String? {
            switch self {
            case .lineBreak: nil
            case .space: " "
            case .glue, .dehyphenate: ""
            }
        }
    }

    private static func seam(
        after lastLine: Substring, before next: String, lexicon: Lexicon, atPageEnd: Bool, width: Int = 0
    )
        -> Seam
    {
        guard let end = lastLine.last, let start = next.first else { return .lineBreak }
        if startsListItem(next) { return .lineBreak }
        if end == "\u{00AD}" { return .dehyphenate }
        let beforeEnd = lastLine.dropLast().last
        if end == "-", beforeEnd?.isNumber == true, start.isNumber { return .glue } // "2019-", "2020"
        if end == "-", beforeEnd?.isLetter == true, start.isLetter {
            if start.isUppercase { return .glue }
            let left = String(lastLine.dropLast().reversed().prefix(while: { $0.isLetter }).reversed())
            let right = next.prefix(while: { $0.isLetter })
            let hyphenated = (left + "-" + right).lowercased()
            let whole = (left + right).lowercased()
            return lexicon.contains(hyphenated) && !lexicon.contains(whole) ? .glue : .dehyphenate
        }
        if atPageEnd {
            // Across pages only a sentence that plainly goes on: no end punctuation, lowercase next.
            return !".!?:;…".contains(end) && start.isLowercase ? .space : .lineBreak
        }
        let short = Double(lastLine.count) < Double(width) * 0.7
        if short, ".!?:…".contains(end) || start.isUppercase || start.isNumber { return .lineBreak }
        return .space
    }

    /// "• item", "- item", "1. item", "a) item", "(iv) item".
    private static func startsListItem(_ line: String) -> Bool {
        guard let first = line.first else { return false }
        if "•◦▪‣●○■□–—*".contains(first) { return true }
        if first == "-", line.dropFirst().first == " " { return true }
        let marker = line.prefix(while: { $0 != " " })
        guard marker.count <= 5, marker.count >= 2, let close = marker.last, ".)".contains(close) else { return false }
        let body = marker.dropLast().drop(while: { $0 == "(" })
        return !body.isEmpty
            && (body.allSatisfy(\.isNumber) || (body.count == 1 && body.first!.isLowercase)
                || body.allSatisfy({ "ivxlc".contains($0) }))
    }

    /// The words a document writes whole on a line, lowercased, to judge hyphens at line ends by.
    struct Lexicon {
        private var words: Set<String> = []

        init(_ pages: [String]) {
            for page in pages {
                for line in page.split(whereSeparator: { $0.isNewline }) {
                    // A line's last word may be the front half of a hyphenation; it is not whole.
                    let parts = line.split(whereSeparator: { $0.isWhitespace })
                    for part in parts.dropLast() where part.contains(where: \.isLetter) {
                        words.insert(part.trimmingCharacters(in: .punctuationCharacters).lowercased())
                    }
                    if let last = parts.last, !last.hasSuffix("-") {
                        words.insert(last.trimmingCharacters(in: .punctuationCharacters).lowercased())
                    }
                }
            }
        }

        func contains(_ word: String) -> Bool { words.contains(word) }
    }
}
