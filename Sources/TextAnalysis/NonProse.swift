import Foundation

// A topic model answers for any input: a CSV export, a stack trace or lorem ipsum still gets the label
// whose words happen to overlap most, often with high confidence. These checks recognise text that is
// not running prose before the model is asked. Each looks for a property prose does not have — rows with
// the same number of cells, lines shaped like statements of a programming language, the filler vocabulary,
// tokens that are mostly numbers — over most of the text, so an article that quotes a table or a line of
// code is still an article.

/// The kinds of text that are not prose, as `NonProse.detect` names them.
public enum NonProseKind: String, Codable, Sendable, CaseIterable {
    /// Rows of cells: CSV, TSV, Markdown pipe tables, the extractor's " | "-joined spreadsheet rows.
    case table
    /// Source code or configuration.
    case code
    /// Placeholder text: lorem ipsum, or a few words repeated.
    case filler
    /// Mostly numbers: measurements, logs of figures, identifiers.
    case numbers
}

/// Tells running prose from tables, code, filler and number dumps. Pure; cost linear in the text.
public enum NonProse {
    /// The kind of non-prose `text` is, or nil for prose (and for text too short to judge).
    public static func detect(_ text: String) -> NonProseKind? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let words = text.split { $0.isWhitespace }
        // A CSV row is one "word"; three lines of it are enough to judge.
        guard words.count >= 8 || lines.count >= 3 else { return nil }
        if isFiller(words) { return .filler }
        // Code before tables: statements ending in ";" line up like a semicolon-separated table. Tables before
        // numbers: a table of figures is still a table.
        if isCode(lines) { return .code }
        if isTable(lines) { return .table }
        if isNumbers(words) { return .numbers }
        return nil
    }

    // MARK: filler

    /// Words of the classic lorem ipsum passage and of the generators that extend it, none of them common
    /// in English, French, Spanish or Italian prose.
    static let fillerWords: Set<String> = [
        "lorem", "ipsum", "dolor", "amet", "consectetur", "adipiscing", "adipisicing", "elit", "eiusmod",
        "tempor", "incididunt", "labore", "dolore", "aliqua", "veniam", "nostrud", "exercitation", "ullamco",
        "laboris", "aliquip", "commodo", "consequat", "aute", "irure", "reprehenderit", "voluptate", "velit",
        "cillum", "fugiat", "pariatur", "excepteur", "occaecat", "cupidatat", "proident", "culpa", "officia",
        "deserunt", "mollit", "laborum", "vestibulum", "pellentesque", "mauris", "nunc", "donec", "nibh",
        "vitae", "eget", "tortor", "sapien", "quisque", "egestas", "aenean", "fermentum", "tincidunt",
        "maecenas", "vulputate", "curabitur", "nullam", "lacinia", "suspendisse", "porttitor", "dignissim",
        "ullamcorper", "sollicitudin", "facilisis", "phasellus", "condimentum", "convallis", "rhoncus",
    ]

    static func isFiller(_ words: [Substring]) -> Bool {
        let normalized = words.map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) }
            .filter { !$0.isEmpty }
        guard !normalized.isEmpty else { return false }
        let filler = normalized.filter { fillerWords.contains($0) }
        // A Latin quotation in an article is a few of these words; placeholder text is made of them.
        if Double(filler.count) >= 0.2 * Double(normalized.count), Set(filler).count >= 4 { return true }
        // "test test test …", "asdf asdf …": a long text of a handful of distinct words.
        return normalized.count >= 20 && Set(normalized).count <= 5
    }

    // MARK: numbers

    static func isNumbers(_ words: [Substring]) -> Bool {
        var numeric = 0
        for word in words {
            let digits = word.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) }.count
            let letters = word.unicodeScalars.filter { CharacterSet.letters.contains($0) }.count
            if digits > 0, digits >= letters { numeric += 1 }
        }
        // News prose with many figures (a results table in words, an earnings report) stays under a third.
        return Double(numeric) >= 0.5 * Double(words.count)
    }

    // MARK: table

    static func isTable(_ lines: [String]) -> Bool {
        guard lines.count >= 3 else { return false }
        for separator in ["|", "\t", ";", ","] {
            let counts = lines.map { line in line.reduce(0) { $0 + (String($1) == separator ? 1 : 0) } }
            // The most common separator count among lines that have the separator at all.
            var tally: [Int: Int] = [:]
            for count in counts where count > 0 { tally[count, default: 0] += 1 }
            guard let (cells, rows) = tally.max(by: { $0.value < $1.value || $0.value == $1.value && $0.key > $1.key })
            else { continue }
            // Prose has commas too, but not the same number in most lines, in short lines of few words each.
            let minimumSeparators = separator == "," ? 2 : 1
            guard cells >= minimumSeparators, Double(rows) >= 0.6 * Double(lines.count) else { continue }
            let matching = lines.indices.filter { counts[$0] == cells }
            // Sentences end with a full stop; rows of cells seldom do.
            let sentences = matching.filter { lines[$0].last.map { ".!?".contains($0) } ?? false }.count
            guard separator == "|" || separator == "\t" || sentences * 2 < matching.count else { continue }
            let wordsPerCell =
                matching.reduce(0.0) { sum, index in
                    sum + Double(lines[index].split { $0.isWhitespace }.count) / Double(cells + 1)
                } / Double(matching.count)
            if separator == "|" || separator == "\t" || wordsPerCell <= 4 { return true }
        }
        return false
    }

    // MARK: code

    static let codeLineStarts = [
        "import ", "from ", "def ", "class ", "func ", "function ", "return ", "return;", "if (", "if ", "for (",
        "for ", "while ", "var ", "let ", "const ", "public ", "private ", "static ", "#include", "#define",
        "package ", "struct ", "enum ", "else", "try", "catch", "switch ", "case ", "@", "//", "/*", "* ", "*/",
        "<?", "<!", "fn ", "pub ", "use ", "SELECT ", "INSERT ", "UPDATE ", "CREATE ", "echo ", "export ",
    ]

    /// SQL's clauses, in the capitals SQL is written in; prose lines seldom start with a capitalised "FROM".
    static let sqlLineStarts = [
        "SELECT ", "FROM ", "WHERE ", "AND ", "OR ", "ORDER BY ", "GROUP BY ", "HAVING ", "INSERT INTO ", "VALUES",
        "UPDATE ", "SET ", "DELETE FROM ", "CREATE TABLE ", "ALTER TABLE ", "JOIN ", "LEFT JOIN ", "INNER JOIN ",
        "LIMIT ", "UNION",
    ]

    static func isCodeLine(_ line: String) -> Bool {
        if sqlLineStarts.contains(where: { line.hasPrefix($0) }) { return true }
        if let last = line.last, ";{}[](),:=".contains(last), !line.hasSuffix("...") {
            // A sentence can end with a colon or a bracket; code lines do so with symbols inside as well.
            let symbols = line.filter { "{}[]()=;<>+*/_.:\"'".contains($0) }.count
            if last == "{" || last == "}" || last == ";" || Double(symbols) >= 0.08 * Double(line.count) { return true }
        }
        if codeLineStarts.contains(where: { line.hasPrefix($0) }) {
            // "For years, …" and "If the talks fail, …" start like code; code lines have its punctuation.
            return line.contains { "(){}=;:<>[]".contains($0) } && !line.hasSuffix(".")
        }
        return line.contains(" = ") || line.contains("->") || line.contains("=>") || line.contains("();")
    }

    static func isCode(_ lines: [String]) -> Bool {
        guard lines.count >= 3 else { return false }
        let codeLines = lines.filter(isCodeLine).count
        let text = lines.joined()
        let symbols = text.filter { "{}[]();=<>".contains($0) }.count
        let letters = text.filter(\.isLetter).count
        return Double(codeLines) >= 0.5 * Double(lines.count)
            || (lines.count >= 5 && Double(symbols) >= 0.12 * Double(max(letters, 1)))
    }
}
