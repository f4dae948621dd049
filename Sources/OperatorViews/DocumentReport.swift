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
        if fullText { lines += ["", document.text] }
        return lines.joined(separator: "\n")
    }
}
