import DocProtocol
import DocStore
import Foundation
import OperatorViews

/// The results table `docpipe run` prints: one row per file, then what was found in each document.
enum RunReport {
    static func print(
        _ finished: [(Docpipe.Submit.SubmitOutcome, JobStatus?)], store: (any DocumentStore)?, json: Bool,
        quiet: Bool = false
    ) async throws {
        var documents: [StoredDocument] = []
        var table = TextTable("FILE", "STATE", "TITLE", "SOURCE", "LANG", "TOPIC", maxWidths: [34, 8, 48, 22, 4, 22])
        for (outcome, status) in finished {
            var document: StoredDocument?
            if let status, status.state == .done, let store {
                document = try? await store.document(id: status.documentID)
            }
            if let document { documents.append(document) }
            let state = status?.state.rawValue ?? outcome.state
            let topic = document?.topic.map { topic in
                topic + (document?.topicConfidence.map { String(format: " %.2f", $0) } ?? "")
            }
            table.add(
                URL(fileURLWithPath: outcome.file).lastPathComponent, state, document?.title ?? "-",
                document?.source ?? "-", document?.language ?? "-", topic ?? (status?.error?.reason ?? "-"))
        }
        if json { return try printJSON(documents.map(DocumentJSON.init)) }
        Swift.print(table.render())
        if quiet {
            // Just the table; why a document failed still goes to stderr, one line each.
            for (outcome, status) in finished where status?.state != .done {
                let reason = status?.error.map { "\($0.reason): \($0.message)" } ?? outcome.errorLine ?? "not finished"
                FileHandle.standardError.write(Data("✗ \(outcome.file): \(reason)\n".utf8))
            }
            return
        }
        for document in documents {
            Swift.print("\n── \(document.name ?? document.id)")
            Swift.print(DocumentReport.render(document))
        }
        for (outcome, status) in finished where status?.state != .done {
            let reason = status?.error.map { "\($0.reason): \($0.message)" } ?? outcome.errorLine ?? "not finished"
            Swift.print("\n✗ \(outcome.file): \(reason)")
        }
    }
}
