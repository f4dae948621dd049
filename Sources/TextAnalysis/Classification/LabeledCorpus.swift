import Foundation

// Labelled data arrives in a few plain shapes; this reads them from text the caller has loaded,
// so the parsing is testable without files. Folders of files (one subfolder per label) are
// walked by the CLI, which then needs no parsing at all.

/// Parses labelled examples from JSONL, TSV, or Orange's three-header-line `.tab` files.
public enum LabeledCorpus {
    /// `{"label": …, "text": …}` per line when the text starts with `{`; otherwise tab-separated
    /// `label<TAB>text` lines, where an Orange header (names, types, flags) is recognised and
    /// skipped, and its `class` column is the label. Blank lines are ignored; a malformed line
    /// throws with its line number.
    public static func parse(_ content: String) throws -> [LabeledText] {
        let lines = content.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        guard let first = lines.first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return [] }
        if first.trimmingCharacters(in: .whitespaces).hasPrefix("{") { return try parseJSONLines(lines) }
        return try parseTabSeparated(lines)
    }

    private static func parseJSONLines(_ lines: [Substring]) throws -> [LabeledText] {
        var examples: [LabeledText] = []
        for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                examples.append(try JSONDecoder().decode(LabeledText.self, from: Data(line.utf8)))
            } catch {
                throw ModelFileError("line \(number + 1): expected {\"label\": …, \"text\": …}")
            }
        }
        return examples
    }

    private static func parseTabSeparated(_ lines: [Substring]) throws -> [LabeledText] {
        var labelColumn = 0
        var textColumn = 1
        var body = lines[...]
        if lines.count >= 3, isOrangeTypeRow(lines[1]) {
            // Orange .tab: names, then types (d/string/…), then flags, where "class" marks the label.
            let types = lines[1].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let flags = lines[2].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            labelColumn = flags.firstIndex { $0.contains("class") } ?? 0
            textColumn = types.firstIndex { $0 == "string" || $0 == "s" || $0 == "text" } ?? 1
            body = lines.dropFirst(3)
        }
        var examples: [LabeledText] = []
        for (offset, line) in body.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count > max(labelColumn, textColumn) else {
                throw ModelFileError("line \(lines.count - body.count + offset + 1): expected label<TAB>text")
            }
            let label = fields[labelColumn].trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty else { continue }
            examples.append(LabeledText(label: label, text: String(fields[textColumn])))
        }
        return examples
    }

    private static let orangeTypes: Set<String> = [
        "d", "discrete", "c", "continuous", "s", "string", "t", "time", "text", "",
    ]

    private static func isOrangeTypeRow(_ line: Substring) -> Bool {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return fields.contains { !$0.isEmpty } && fields.allSatisfy { orangeTypes.contains($0) }
    }
}
