// A title property is often not a title: office suites and PDF printers fill it with the file
// name ("Microsoft Word - minutes.docx"), a placeholder ("Untitled", "Document1") or nothing but
// white space. Those are no title, so the reader's fallback (a heading) gets its turn.

/// Cleans the title a document's properties state.
enum PropertyTitle {
    /// The title with a printer's "Microsoft Word - " and a file extension taken off, or nil when
    /// what is left is a placeholder or empty.
    static func clean(_ raw: String?) -> String? {
        guard var title = raw?.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") else { return nil }
        for prefix in ["Microsoft Word - ", "Microsoft PowerPoint - ", "Microsoft Excel - ", "Word - "]
        where title.hasPrefix(prefix) {
            title = String(title.dropFirst(prefix.count))
        }
        let lower = title.lowercased()
        for suffix in [".docx", ".doc", ".odt", ".rtf", ".pdf", ".txt", ".pptx", ".ppt", ".xlsx"]
        where lower.hasSuffix(suffix) {
            title = String(title.dropLast(suffix.count))
            break
        }
        title = title.trimmingSpaces()
        let placeholder = title.lowercased()
        if placeholder.isEmpty || placeholders.contains(placeholder) { return nil }
        // "Document1", "Document2", … as a word processor names a new file.
        if placeholder.hasPrefix("document"), placeholder.dropFirst(8).allSatisfy(\.isNumber) { return nil }
        guard title.contains(where: \.isLetter) else { return nil }
        return title
    }

    private static let placeholders: Set<String> = [
        "untitled", "untitled document", "title", "no title", "(no title)", "document", "doc", "slide 1",
        "powerpoint presentation", "ohne titel", "sans titre", "sin título", "senza titolo",
    ]
}
