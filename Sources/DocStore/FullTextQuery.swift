/// Turns free text typed by a user into an FTS5 query that can never be a syntax error.
///
/// FTS5 has its own query language (`AND`, `NEAR(…)`, `col:`, `^`, `-`, bare `"`…), and most
/// inputs a person types, like `NATO-Russia` or an unbalanced quote, are errors in it. So no
/// user character reaches FTS5 as syntax: the input is cut into words (runs of letters and
/// digits, which is also how the `unicode61` tokenizer cuts text) and every word or phrase is
/// sent as a quoted string. What the user can still express:
/// - `"founding act"`: the words in that order (a phrase);
/// - `founding act`: both words, anywhere in the document (all terms must match);
/// - `NATO-Russia`: words joined by punctuation are a phrase, as in the text they came from;
/// - `transl*`: a trailing star searches by prefix.
struct FullTextQuery: Equatable {
    /// The FTS5 `MATCH` expression, or nil when the input holds no word to search for.
    let expression: String?

    init(_ input: String) {
        var clauses: [String] = []
        for segment in Self.segments(of: input) {
            if segment.quoted {
                clauses.append(contentsOf: Self.clause(words: Self.words(in: segment.text), prefix: false))
            } else {
                for chunk in segment.text.split(whereSeparator: \.isWhitespace) {
                    let prefix = chunk.last == "*" && chunk.count > 1
                    clauses.append(contentsOf: Self.clause(words: Self.words(in: chunk), prefix: prefix))
                }
            }
        }
        expression = clauses.isEmpty ? nil : clauses.joined(separator: " ")
    }

    /// Splits the input at double quotes: odd segments were inside quotes. An unbalanced quote
    /// makes the rest a phrase, which is what someone who forgot to close it meant.
    private static func segments(of input: String) -> [(text: Substring, quoted: Bool)] {
        input.split(separator: "\"", omittingEmptySubsequences: false)
            .enumerated()
            .map { (text: $0.element, quoted: $0.offset % 2 == 1) }
    }

    private static func words(in text: Substring) -> [Substring] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }

    /// One FTS5 string for the words: a single term, or a phrase when there are several.
    private static func clause(words: [Substring], prefix: Bool) -> [String] {
        guard !words.isEmpty else { return [] }
        // Words hold only letters and digits, so no quote needs doubling; doubling anyway keeps
        // this safe if `words(in:)` ever lets more through.
        let body = words.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"")
        return ["\"\(body)\"" + (prefix ? "*" : "")]
    }
}
