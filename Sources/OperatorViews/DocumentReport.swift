import DocProtocol
package import DocStore
import Foundation

/// The human view of a stored document, shared by `show` and `run`.
package enum DocumentReport {
    package static func render(_ document: StoredDocument, fullText: Bool = false) -> String {
        let confidence = document.topicConfidence.map { String(format: " (%.2f)", $0) } ?? ""
        let author = document.author.map { "   author: \($0)" } ?? ""
        let entities = document.entities.prefix(12).map { "\($0.text) [\($0.type)]" }.joined(separator: ", ")
        var lines: [String] = []
        lines.append("id:        \(document.id) (version \(document.version))")
        lines.append("title:     \(document.title ?? "-")")
        lines.append("source:    \(document.source ?? "-")" + author)
        lines.append(
            "language:  \(document.language ?? "-")   words: \(document.wordCount)   "
                + "sentences: \(document.sentenceCount)")
        lines.append("topic:     \(document.topic ?? "-")" + confidence)
        lines.append("entities:  " + entities)
        lines.append("dates:     " + document.dates.prefix(8).joined(separator: ", "))
        lines.append("keywords:  " + document.keywords.joined(separator: ", "))
        lines.append("summary:   \(document.summary ?? "-")")
        if let ocr = ocrLine(document) { lines.append("ocr:       " + ocr) }
        if fullText { lines += ["", document.text] }
        return lines.joined(separator: "\n")
    }

    /// How the text was read when it came from images, from the extractor's stored output: engine, models,
    /// pages, words and the mean word confidence (low confidence means the text may be garbled).
    package static func ocrLine(_ document: StoredDocument) -> String? {
        guard let stored = document.stageResults["extractor"],
            let output = try? WireJSON.decode(ExtractorOutput.self, from: Data(stored.utf8)), let ocr = output.ocr
        else { return nil }
        let pages = ocr.pages == 1 ? "1 page" : "\(ocr.pages) pages"
        let skipped = ocr.pagesSkipped.map { ", \($0) left unread" } ?? ""
        let confidence = String(format: "%.0f%%", ocr.meanConfidence * 100)
        return "\(ocr.engine) (\(ocr.languages.joined(separator: "+"))), \(pages)\(skipped), \(ocr.words) words, "
            + "mean confidence \(confidence)"
    }
}
