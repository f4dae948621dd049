/// Turns free text typed by a user into a query that can never be a syntax error, for either backend.
///
/// FTS5 (like PostgreSQL's `tsquery`) has its own query language (`AND`, `NEAR(…)`, `col:`, `^`, `-`,
/// bare `"`…), and most inputs a person types, like `NATO-Russia` or an unbalanced quote, are errors in it. So no
/// user character reaches a database as syntax: the input is cut into words (runs of letters and
/// digits, which is also how the `unicode61` tokenizer cuts text) and every word or phrase is
/// sent as a quoted string (FTS5) or a lexeme (`PostgresQueryText`). What the user can still express:
/// - `"founding act"`: the words in that order (a phrase);
/// - `founding act`: both words, anywhere in the document (all terms must match);
/// - `NATO-Russia`: words joined by punctuation are a phrase, as in the text they came from;
/// - `transl*`: a trailing star searches by prefix.
package struct FullTextQuery: Equatable {
    /// One searched unit: a single word, or several words that must appear in this order (a phrase).
    package struct Clause: Equatable, Sendable {
        /// Letters and digits only: nothing in a word is syntax in any backend's query language.
        package let words: [String]
        /// The last word matches as a prefix (`strateg*`).
        package let prefix: Bool
    }

    /// Every clause must match (AND), in the order typed.
    package let clauses: [Clause]

    package init(_ input: String) {
        var clauses: [Clause] = []
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
        self.clauses = clauses
    }

    /// The FTS5 `MATCH` expression, or nil when the input holds no word to search for: each clause
    /// a quoted FTS5 string, with `*` after it for a prefix.
    var expression: String? {
        guard !clauses.isEmpty else { return nil }
        return clauses.map { clause in
            // Words hold only letters and digits, so no quote needs doubling; doubling anyway keeps
            // this safe if `words(in:)` ever lets more through.
            let body = clause.words.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"")
            return "\"\(body)\"" + (clause.prefix ? "*" : "")
        }.joined(separator: " ")
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

    private static func clause(words: [Substring], prefix: Bool) -> [Clause] {
        guard !words.isEmpty else { return [] }
        return [Clause(words: words.map(String.init), prefix: prefix)]
    }
}
