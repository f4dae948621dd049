/// Reads comma-, semicolon- or tab-separated tables (RFC 4180 quoting: `"a ""b"" c"`, line breaks
/// inside quotes). The text is one line per row with cells separated by " | ", so sentences,
/// dates and entities inside cells are still found; the header row becomes metadata.
public enum CSVText {
    public static func content(of text: String) -> DocumentContent {
        let delimiter = detectDelimiter(text)
        let rows = parse(text, delimiter: delimiter).filter { row in row.contains { !$0.isEmpty } }
        var content = DocumentContent(text: rows.map { $0.joined(separator: " | ") }.joined(separator: "\n"))
        content.metadata["rows"] = String(rows.count)
        content.metadata["delimiter"] = delimiter == "\t" ? "tab" : String(delimiter)
        if let header = rows.first, looksLikeHeader(header, next: rows.dropFirst().first) {
            content.metadata["columns"] = header.joined(separator: ", ")
            content.metadata["rows"] = String(rows.count - 1)
        }
        return content
    }

    /// The candidate that splits the first lines into the same number (> 1) of fields most often.
    static func detectDelimiter(_ text: String) -> Character {
        let lines = text.split(separator: "\n", maxSplits: 20).prefix(20)
        var best: (Character, Int) = (",", -1)
        for candidate: Character in [",", ";", "\t", "|"] {
            let counts = lines.map { parse(String($0), delimiter: candidate).first?.count ?? 1 }
            guard let first = counts.first, first > 1 else { continue }
            let consistent = counts.filter { $0 == first }.count
            if consistent > best.1 { best = (candidate, consistent) }
        }
        return best.0
    }

    /// RFC 4180 fields; a stray quote inside an unquoted field is kept literally, as spreadsheets do.
    static func parse(_ text: String, delimiter: Character) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var atFieldStart = true
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where atFieldStart:
                inQuotes = true
                atFieldStart = false
            case delimiter:
                row.append(field.trimmingSpaces())
                field = ""
                atFieldStart = true
            case "\n", "\r\n", "\r":
                row.append(field.trimmingSpaces())
                rows.append(row)
                row = []
                field = ""
                atFieldStart = true
            default:
                field.append(character)
                atFieldStart = false
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field.trimmingSpaces())
            rows.append(row)
        }
        return rows
    }

    /// A header row is all short non-numeric labels, and the row under it is not.
    private static func looksLikeHeader(_ row: [String], next: [String]?) -> Bool {
        guard row.count > 1, row.allSatisfy({ !$0.isEmpty && $0.count <= 40 && Double($0) == nil }) else {
            return false
        }
        guard let next else { return true }
        return next.contains { Double($0) != nil || $0.count > 40 } || next != row
    }
}
