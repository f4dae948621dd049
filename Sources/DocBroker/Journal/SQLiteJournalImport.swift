import BrokerCore
import DocProtocol
import Foundation
internal import GRDB

/// Brings the jobs of a journal written by docpipe 0.2's SQLite journal (`journal.sqlite`) into the log
/// journal, once, so an upgrade loses no accepted document: unfinished jobs and dead letters are carried
/// over whole; done jobs are not (their documents are in the store). The old file is then renamed to
/// `journal.sqlite.imported`, so the import never runs twice.
enum SQLiteJournalImport {
    /// Imports `sqlitePath` into `journal` if that file exists; returns the jobs carried over.
    static func importIfPresent(sqlitePath: String, into journal: LogJournal) throws -> [Job] {
        guard FileManager.default.fileExists(atPath: sqlitePath) else { return [] }
        let jobs: [Job]
        do {
            let queue = try DatabaseQueue(path: sqlitePath)
            jobs = try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM jobs WHERE state IN ('queued', 'running', 'failed') "
                        + "ORDER BY created_at"
                ).compactMap(job(from:))
            }
            try queue.close()
        } catch {
            throw JournalError(
                message: "cannot import the old journal \(sqlitePath): \(error). Move it away to "
                    + "start without its unfinished jobs")
        }
        let sequence = journal.append(jobs.map { .snapshot($0) })
        let deadline = Date().addingTimeInterval(60)
        while journal.durableSequence < sequence, journal.outage == nil, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        guard journal.durableSequence >= sequence else {
            throw JournalError(
                message: "could not write the jobs imported from \(sqlitePath): "
                    + (journal.outage?.message ?? "timed out"))
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
        try FileManager.default.moveItem(atPath: sqlitePath, toPath: sqlitePath + ".imported")
        return jobs
    }

    private static func job(from row: Row) throws -> Job? {
        let decoder = JSONDecoder()
        let stagesText: String = row["stages"]
        let stages = try decoder.decode([StageDefinition].self, from: Data(stagesText.utf8))
        var document = try decoder.decode(Document.self, from: row["document"] as Data)
        let documentID: String = row["document_id"]
        document.id = documentID
        var job = Job(
            id: row["id"], pipeline: row["pipeline"], document: document, stages: stages,
            createdAt: row["created_at"])
        let results = try decoder.decode([String: JSONValue].self, from: row["results"] as Data)
        job.stageIndex = row["stage_index"]
        job.outputs = try stages.prefix(job.stageIndex).map { try WireJSON.encode(results[$0.service] ?? .object([:])) }
        job.attempt = row["attempt"]
        job.attemptsTotal = row["attempts_total"]
        job.state = JobStatus.State(rawValue: row["state"]) ?? .queued
        let errorData: Data? = row["error"]
        let historyData: Data? = row["history"]
        job.error = try errorData.map { try decoder.decode(ErrorBody.self, from: $0) }
        job.history = try historyData.map { try decoder.decode([StageAttempt].self, from: $0) } ?? []
        job.retryAt = row["retry_at"]
        job.updatedAt = row["updated_at"]
        return job
    }
}
