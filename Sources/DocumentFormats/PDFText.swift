import Foundation

/// Builds a document from what poppler's tools print for a PDF: `pdftotext` (pages separated by
/// form feeds) and `pdfinfo -isodates` ("Key:   value" lines). Running the tools is the caller's
/// job — this module does no I/O — so the worker runs them and hands their output here. The info's
/// CreationDate and ModDate are the file's (`metadata` `created`, `modified`), not dates the text mentions.
public enum PDFText {
    public static func content(text: String, info: String) throws(ExtractionError) -> DocumentContent {
        let fields = parseInfo(info)
        // Form feeds separate pages; a page break is a paragraph break unless a sentence plainly
        // runs on. Lines wrapped at the margin are joined and hyphenation undone (`TextReflow`),
        // so sentences and summaries are whole.
        let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
        guard !pages.isEmpty else {
            throw .empty
        }
        var content = DocumentContent(text: TextReflow.reflow(pages: pages))
        content.title = PropertyTitle.clean(fields["Title"])
        content.author = fields["Author"]
        let keys = [
            ("Pages", "pages"), ("CreationDate", "created"), ("ModDate", "modified"), ("Producer", "producer"),
            ("Creator", "creator"), ("Subject", "subject"), ("Keywords", "keywords"), ("PDF version", "pdf_version"),
        ]
        for (key, name) in keys { content.metadata[name] = fields[key] }
        return content
    }

    /// "Title:          Annual report" → ["Title": "Annual report"]; empty values are dropped.
    public static func parseInfo(_ info: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in info.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !key.isEmpty, !value.isEmpty, fields[key] == nil { fields[key] = value }
        }
        return fields
    }
}
