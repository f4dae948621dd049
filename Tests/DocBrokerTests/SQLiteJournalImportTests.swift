import BrokerCore
import DocProtocol
import Foundation
import GRDB
import Testing

@testable import DocBroker

/// An upgrade from the SQLite journal (docpipe 0.2) loses no accepted document.
@Suite struct SQLiteJournalImportTests {
    /// Writes a journal.sqlite in the 0.2 schema with one job at its second stage, one dead letter, one done.
    static func writeOldJournal(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        id TEXT PRIMARY KEY NOT NULL, document_id TEXT NOT NULL, pipeline TEXT NOT NULL, state TEXT NOT NULL,
                        stage_index INTEGER NOT NULL, attempt INTEGER NOT NULL, attempts_total INTEGER NOT NULL,
                        stages TEXT NOT NULL, document BLOB NOT NULL, results BLOB NOT NULL, error BLOB,
                        created_at REAL NOT NULL, updated_at REAL NOT NULL, history BLOB, retry_at REAL, name TEXT)
                    """)
            let stages =
                #"[{"max_attempts":3,"service":"a","timeout_ms":1000},{"max_attempts":3,"service":"b","timeout_ms":1000}]"#
            for (id, state, index) in [("j-running", "queued", 1), ("j-failed", "failed", 0), ("j-done", "done", 2)] {
                let document = try WireJSON.encode(
                    Document(id: "doc-\(id)", name: "\(id).txt", content: "text of \(id)"))
                let results = index >= 1 ? Data(#"{"a":{"x":1}}"#.utf8) : Data("{}".utf8)
                let error: Data? =
                    state == "failed"
                    ? try WireJSON.encode(
                        ErrorBody(code: StatusCode(422), reason: "unreadable_document", message: "no"))
                    : nil
                try db.execute(
                    sql: """
                        INSERT INTO jobs (id, document_id, pipeline, state, stage_index, attempt, attempts_total, stages,
                        document, results, error, created_at, updated_at, name) VALUES (?, ?, 'p', ?, ?, 1, ?, ?, ?, ?, ?, 10, 20, ?)
                        """,
                    arguments: [
                        id, "doc-\(id)", state, index, index + 1, stages, document, results, error, "\(id).txt",
                    ])
            }
        }
        try queue.close()
    }

    @Test func unfinishedJobsAndDeadLettersComeAcrossOnce() throws {
        let folder = try JournalTests.folder()
        let old = folder.appendingPathComponent("journal.sqlite").path
        try Self.writeOldJournal(at: old)
        let path = folder.appendingPathComponent("journal.log").path
        do {
            let journal = try LogJournal(path: path)
            _ = try journal.recover()
            let imported = try SQLiteJournalImport.importIfPresent(sqlitePath: old, into: journal)
            #expect(imported.map(\.id) == ["j-running", "j-failed"])
            let running = try #require(imported.first)
            #expect(running.stageIndex == 1)
            #expect(running.results["a"] == ["x": 1])
            #expect(running.document?.content == "text of j-running")
            #expect(imported[1].error?.reason == "unreadable_document")
            #expect(!FileManager.default.fileExists(atPath: old))
            #expect(FileManager.default.fileExists(atPath: old + ".imported"))
            #expect(try SQLiteJournalImport.importIfPresent(sqlitePath: old, into: journal).isEmpty, "never twice")
            journal.close()
        }
        let reopened = try LogJournal(path: path)
        defer { reopened.close() }
        let jobs = try reopened.recover().jobs
        #expect(jobs.map(\.id) == ["j-running", "j-failed"])
        // The next stage request carries the imported output of the first stage.
        let request = try WireJSON.decode(StageRequest.self, from: try #require(jobs[0].stageRequestBody))
        #expect(request.stage == "b")
        #expect(request.results["a"] == ["x": 1])
    }
}
