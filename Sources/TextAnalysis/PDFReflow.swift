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
    /// Each page re-flowed; a sentence that runs over a page end is joined onto the previous
    /// page's last paragraph, so the result may have fewer pages than `pages`.
    static func reflow(pages: [String]) -> [String] {
        let lexicon = Lexicon(pages)
        var result: [String] = []
        for page in pages {
            let flowed = reflow(page: page, lexicon: lexicon)
            if let previous = result.last, let joined = join(previous, flowed, lexicon: lexicon, atPageEnd: true) {
                result[result.count - 1] = joined
            } else {
                result.append(flowed)
            }
        }
        return result
    }

    static func reflow(page: String, lexicon: Lexicon) -> String {
        let lines = page.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let width = lines.lazy.map(\.count).max() ?? 0
        var output = ""
        var previous: String?  // the last line of the paragraph being built
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
            if let joined = join(last, line, lexicon: lexicon, atPageEnd: false, width: width) {
                output.removeLast(last.count)
                output += joined
            } else {
                output += "\n" + line
            }
        }
        while output.hasSuffix("\n") { output.removeLast() }
        return output
    }

    /// `first` and `second` as one run of text, or nil when the break between them is real.
    /// Only the last line of `first` and the first line of `second` matter.
    private static func join(_ first: String, _ second: String, lexicon: Lexicon, atPageEnd: Bool, width: Int = 0)
        -> String?
    {
        guard let end = first.last, let start = second.first else { return nil }
        if startsListItem(second) { return nil }
        let lastLine = first.split(whereSeparator: { $0.isNewline }).last.map(String.init) ?? first
        if end == "\u{00AD}" { return String(first.dropLast()) + second }
        if end == "-", first.dropLast().last?.isLetter == true, start.isLetter {
            let left = first.dropLast().reversed().prefix(while: { $0.isLetter }).reversed()
            let right = second.prefix(while: { $0.isLetter })
            let hyphenated = (String(left) + "-" + right).lowercased()
            let whole = (String(left) + right).lowercased()
            if start.isUppercase || (lexicon.contains(hyphenated) && !lexicon.contains(whole)) {
                return first + second
            }
            return start.isLowercase ? String(first.dropLast()) + second : nil
        }
        if atPageEnd {
            // Across pages only a sentence that plainly goes on: no end punctuation, lowercase next.
            guard !".!?:;…".contains(end), start.isLowercase else { return nil }
            return first + " " + second
        }
        let short = Double(lastLine.count) < Double(width) * 0.7
        if short, ".!?:…".contains(end) || start.isUppercase || start.isNumber { return nil }
        return first + " " + second
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
