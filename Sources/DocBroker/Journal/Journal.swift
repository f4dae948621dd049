public import BrokerCore
public import DocProtocol
import Foundation
internal import GRDB

/// The broker's write-ahead record of every accepted job and each stage transition (SQLite, WAL).
///
/// Why SQLite and not an append-only log: a job's state is a row that changes in place a few times,
/// restart needs "every unfinished job", and `docpipe.job` needs lookups by id — all one-liners in SQL,
/// with crash safety we don't have to write. Writes come in batches: the broker commits everything one
/// loop iteration produced in one transaction (group commit), then sends the replies that depend on it,
/// so a 202 is never sent for a job that is not on disk.
public final class Journal: Sendable {
    private let queue: DatabaseQueue
    public let path: String

    public init(path: String) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // FULL: a transaction that returned is on disk, so a 202 survives power loss too. Group
            // commit keeps this affordable (one fsync per batch of jobs, not per job).
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in _ = try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try Self.migrator.migrate(queue)
        } catch {
            throw JournalError(message: "cannot open journal \(path): \(error)")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-jobs") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    id TEXT PRIMARY KEY NOT NULL,
                    document_id TEXT NOT NULL,
                    pipeline TEXT NOT NULL,
                    state TEXT NOT NULL,
                    stage_index INTEGER NOT NULL,
                    attempt INTEGER NOT NULL,
                    attempts_total INTEGER NOT NULL,
                    stages TEXT NOT NULL,
                    document BLOB NOT NULL,
                    results BLOB NOT NULL,
                    error BLOB,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX jobs_unfinished ON jobs(state) WHERE state IN ('queued', 'running');
                """)
        }
        migrator.registerMigration("v2-history-and-retries") { db in
            try db.execute(sql: """
                ALTER TABLE jobs ADD COLUMN history BLOB;
                ALTER TABLE jobs ADD COLUMN retry_at REAL;
                CREATE INDEX jobs_by_state_and_time ON jobs(state, updated_at);
                """)
        }
        migrator.registerMigration("v3-counters-and-names") { db in
            try db.execute(sql: """
                CREATE TABLE counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
                ALTER TABLE jobs ADD COLUMN name TEXT;
                CREATE INDEX jobs_by_time ON jobs(updated_at);
                """)
        }
        return migrator
    }

    /// Writes the latest state of each job in one transaction.
    ///
    /// The document itself is written once, when the job is first journalled; later transitions only
    /// touch the small columns.
    public func record(_ jobs: [Job]) throws {
        guard !jobs.isEmpty else { return }
        let encoder = JSONEncoder()
        try queue.write { db in
            for job in jobs {
                let results = try encoder.encode(job.results)
                let error = try job.error.map { try encoder.encode($0) }
                let history = try encoder.encode(job.history)
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = ?, stage_index = ?, attempt = ?, attempts_total = ?,
                        results = ?, error = ?, history = ?, retry_at = ?, updated_at = ? WHERE id = ?
                        """,
                    arguments: [job.state.rawValue, job.stageIndex, job.attempt, job.attemptsTotal, results, error,
                                history, job.retryAt, job.updatedAt, job.id])
                if db.changesCount == 0 {
                    try db.execute(
                        sql: """
                            INSERT INTO jobs (id, document_id, pipeline, state, stage_index, attempt, attempts_total,
                            stages, document, results, error, history, retry_at, created_at, updated_at, name)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [job.id, job.documentID, job.pipeline, job.state.rawValue, job.stageIndex,
                                    job.attempt, job.attemptsTotal, String(decoding: try encoder.encode(job.stages),
                                                                           as: UTF8.self),
                                    try encoder.encode(job.document), results, error, history, job.retryAt,
                                    job.createdAt, job.updatedAt, job.document.name])
                }
            }
        }
    }

    /// Jobs accepted but not finished, oldest first: what a restarted broker resumes.
    public func unfinishedJobs() throws -> [Job] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at")
                .map(Self.job(from:))
        }
    }

    public func job(id: String) throws -> Job? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(Self.job(from:))
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T { try queue.read(body) }
    func write<T>(_ body: (Database) throws -> T) throws -> T { try queue.write(body) }

    /// Failed jobs (the dead-letter queue), oldest failure first, and how many there are in all.
    public func deadLetters(limit: Int) throws -> (total: Int, jobs: [Job]) {
        try queue.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE state = 'failed'") ?? 0
            let jobs = try Row.fetchAll(
                db, sql: "SELECT * FROM jobs WHERE state = 'failed' ORDER BY updated_at LIMIT ?", arguments: [limit])
                .map(Self.job(from:))
            return (total, jobs)
        }
    }

    /// Deletes a dead letter for good; false when there is no failed job with that id.
    public func dropDeadLetter(id: String) throws -> Bool {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM jobs WHERE id = ? AND state = 'failed'", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Removes finished (`done`) jobs last changed before `cutoff` (seconds since 1970), so the journal
    /// does not grow without bound. Failed jobs stay: they are the dead-letter queue.
    public func compact(doneBefore cutoff: Double) throws -> Int {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM jobs WHERE state = 'done' AND updated_at < ?", arguments: [cutoff])
            return db.changesCount
        }
    }

    /// How many jobs are in each state, for status reports.
    public func stateCounts() throws -> [JobStatus.State: Int] {
        try queue.read { db in
            var counts: [JobStatus.State: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state") {
                if let state = JobStatus.State(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    private static func job(from row: Row) throws -> Job {
        let decoder = JSONDecoder()
        let stagesText: String = row["stages"]
        let errorData: Data? = row["error"]
        let historyData: Data? = row["history"]
        return Job(
            id: row["id"], documentID: row["document_id"], pipeline: row["pipeline"],
            document: try decoder.decode(Document.self, from: row["document"] as Data),
            stages: try decoder.decode([StageDefinition].self, from: Data(stagesText.utf8)),
            stageIndex: row["stage_index"], attempt: row["attempt"], attemptsTotal: row["attempts_total"],
            results: try decoder.decode([String: JSONValue].self, from: row["results"] as Data),
            state: JobStatus.State(rawValue: row["state"]) ?? .queued,
            error: try errorData.map { try decoder.decode(ErrorBody.self, from: $0) },
            history: try historyData.map { try decoder.decode([StageAttempt].self, from: $0) } ?? [],
            retryAt: row["retry_at"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}

/// The journal could not be opened or written; the message names the file and the cause.
public struct JournalError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
