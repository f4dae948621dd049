import BrokerCore
import DocBroker
import DocStore
import DocStorePostgres
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The journal on PostgreSQL, for one lease term: the same contract as the embedded `LogJournal` (see
/// `JobJournal`), so the broker loop cannot tell them apart.
///
/// - Group commit: `append` queues records and returns; a writer task takes everything queued, writes it
///   in one transaction (one multi-row `INSERT … SELECT FROM unnest(…)`), and advances `durableSequence`
///   when it has committed. While one transaction runs the loop keeps appending, and the next covers it.
/// - Append-only deltas: each record is one row holding the record exactly as the log file frames it.
/// - Bodies dropped at done: when a job finishes, the same transaction deletes its rows and writes one
///   metadata row in their place (`done_at` set), so a finished job's document and outputs leave the
///   database at once; pruning deletes those metadata rows after the retention, a thousand at a time
///   (short transactions that autovacuum can keep up with).
/// - Fencing: every transaction first checks, `FOR SHARE`, that this term's lease is still held and
///   unexpired; if not, nothing is written and the journal reports an outage, so a broker that lost its
///   lease cannot write after a standby took over.
final class PostgresJournal: JobJournal {
    /// Rows waiting to be written: built as records arrive, so a failed write keeps them and the next
    /// attempt writes them together with whatever arrived since.
    private struct Batch {
        var rows: [Row] = []
        /// Jobs finished (done) or dropped since the last write: their earlier rows are deleted.
        var finishedIDs: Set<String> = []
        /// Finished jobs whose metadata row is still to be written.
        var doneIDs: Set<String> = []
        var counters: Row?

        var isEmpty: Bool { rows.isEmpty && finishedIDs.isEmpty && counters == nil }

        /// A job's record becomes a row, unless it finishes the job: then the job's rows go and its metadata
        /// row is written in their place.
        mutating func add(_ record: JournalRecord, of jobID: String, kind: JournalSchema.Kind, done: Bool) {
            if done {
                finishedIDs.insert(jobID)
                doneIDs.insert(jobID)
            } else {
                rows.append(Row(jobID: jobID, kind: kind, doneAt: 0, record: PostgresJournal.frame(record)))
            }
        }
    }

    private struct Row {
        var jobID: String
        var kind: JournalSchema.Kind
        var doneAt: Double
        var record: ByteBuffer
    }

    private struct Pending {
        var records: [JournalRecord] = []
        var sequence: UInt64 = 0
        var closing = false
        var onDurable: (@Sendable () -> Void)?
    }

    let url: PostgresURL
    let epoch: Int
    let retentionSeconds: Double
    let logger: Logger
    var location: String { url.redacted }
    private let pending = Mutex(Pending())
    private let mirror = Mutex(JournalReplay())
    private let durable = Atomic<UInt64>(0)
    private let outageBox = Mutex<JournalOutage?>(nil)
    private let wake: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    private let writer = Mutex<Task<Void, Never>?>(nil)
    private let connectionBox = Mutex<PostgresConnection?>(nil)

    init(url: PostgresURL, epoch: Int, retentionSeconds: Double, logger: Logger) throws {
        self.url = url
        self.epoch = epoch
        self.retentionSeconds = retentionSeconds
        self.logger = logger
        (wake, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    private var quietLogger: Logger {
        var quiet = logger
        quiet.logLevel = .critical
        return quiet
    }

    // MARK: JobJournal

    func recover() throws -> JournalContents {
        do {
            return try recoverRows()
        } catch {
            throw JournalError(message: JournalErrors.describe(error, location: location))
        }
    }

    private func recoverRows() throws -> JournalContents {
        let connection = try blocking { try await self.connect() }
        connectionBox.withLock { $0 = connection }
        let logger = quietLogger
        let replay = try blocking { () -> JournalReplay in
            var replay = JournalReplay()
            let rows = try await connection.query(
                "SELECT record FROM docpipe_broker.journal ORDER BY seq", logger: logger)
            for try await buffer in rows.decode(ByteBuffer.self) {
                for record in JournalCodec.read(Data(buffer: buffer)).records { replay.apply(record) }
            }
            return replay
        }
        mirror.withLock { $0 = replay }
        startWriter()
        return JournalContents(jobs: replay.orderedJobs, counters: replay.counters)
    }

    func append(_ records: [JournalRecord]) -> UInt64 {
        let sequence = pending.withLock { state -> UInt64 in
            state.records.append(contentsOf: records)
            state.sequence += 1
            return state.sequence
        }
        wakeContinuation.yield()
        return sequence
    }

    var durableSequence: UInt64 { durable.load(ordering: .acquiring) }

    func setOnDurable(_ callback: @escaping @Sendable () -> Void) {
        pending.withLock { $0.onDurable = callback }
    }

    var outage: JournalOutage? { outageBox.withLock { $0 } }

    /// Writes what is queued (trying for up to five seconds), then stops the writer. A broker that lost its
    /// lease closes its journal too: its writes are refused, so this returns within the bound.
    func close() {
        let first = pending.withLock { state -> Bool in
            defer { state.closing = true }
            return !state.closing
        }
        guard first else { return }
        wakeContinuation.yield()
        let task = writer.withLock { $0 }
        let finished = DispatchSemaphore(value: 0)
        Task {
            await task?.value
            finished.signal()
        }
        _ = finished.wait(timeout: .now() + .seconds(5))
        // Closing the connection also fails a write still hanging on an unresponsive server.
        let connection = connectionBox.withLock { box -> PostgresConnection? in
            defer { box = nil }
            return box
        }
        let closed = DispatchSemaphore(value: 0)
        Task {
            try? await connection?.close()
            closed.signal()
        }
        _ = closed.wait(timeout: .now() + .seconds(2))
        wakeContinuation.finish()
    }

    // MARK: the writer

    private func startWriter() {
        writer.withLock { task in
            guard task == nil else { return }
            task = Task { await self.writeLoop() }
        }
    }

    private func writeLoop() async {
        var batch = Batch()
        var batchSequence: UInt64 = 0
        var backoffMs = 50
        var nextPruneAt = Date().addingTimeInterval(60)
        var iterator = wake.makeAsyncIterator()
        while true {
            let failing = !batch.isEmpty
            if failing {
                try? await Task.sleep(for: .milliseconds(backoffMs))
            } else {
                _ = await iterator.next()
            }
            let (records, sequence, closing, callback) = pending.withLock { state in
                defer { state.records = [] }
                return (state.records, state.sequence, state.closing, state.onDurable)
            }
            if !records.isEmpty {
                add(records, to: &batch)
                batchSequence = sequence
            }
            if !batch.isEmpty {
                do {
                    try await write(batch)
                    batch = Batch()
                    backoffMs = 50
                    outageBox.withLock { $0 = nil }
                    durable.store(batchSequence, ordering: .releasing)
                } catch {
                    let message = JournalErrors.describe(error, location: location)
                    outageBox.withLock { outage in
                        if outage == nil { outage = JournalOutage(since: Date(), message: message) }
                        outage?.message = message
                        outage?.failedWrites += 1
                        outage?.unsyncedBytes = batch.rows.reduce(0) { $0 + $1.record.readableBytes }
                    }
                    backoffMs = min(backoffMs * 2, 2000)
                    if closing { return }
                }
                callback?()
            }
            if batch.isEmpty, Date() >= nextPruneAt {
                nextPruneAt = Date().addingTimeInterval(60)
                try? await prune()
            }
            if closing, batch.isEmpty { return }
        }
    }

    /// Replays `records` into the mirror and turns them into rows: a job that finishes keeps only its
    /// metadata row (written from the mirror), a dropped job none, counters only the latest.
    private func add(_ records: [JournalRecord], to batch: inout Batch) {
        mirror.withLock { mirror in
            for record in records {
                mirror.apply(record)
                switch record {
                case .entry(.submitted(let job)), .snapshot(let job):
                    batch.add(record, of: job.id, kind: .job, done: job.state == .done)
                case .entry(.progressed(let progress, _, _)):
                    batch.add(record, of: progress.id, kind: .progress, done: progress.state == .done)
                case .dropped(let jobID):
                    batch.finishedIDs.insert(jobID)
                    batch.doneIDs.remove(jobID)
                case .counters:
                    batch.counters = Row(jobID: "", kind: .counters, doneAt: 0, record: Self.frame(record))
                }
            }
        }
    }

    fileprivate static func frame(_ record: JournalRecord) -> ByteBuffer {
        ByteBuffer(bytes: JournalCodec.framed(record))
    }

    /// The rows to insert for `batch`: its own (but none of a job it finished: those are deleted), then a
    /// metadata row for each job it finished.
    private func rows(of batch: Batch) -> [Row] {
        var rows = batch.finishedIDs.isEmpty ? batch.rows : batch.rows.filter { !batch.finishedIDs.contains($0.jobID) }
        let now = Date().timeIntervalSince1970
        mirror.withLock { mirror in
            for id in batch.doneIDs.sorted() {
                guard let record = mirror.done[id] else { continue }
                rows.append(Row(jobID: id, kind: .job, doneAt: now, record: ByteBuffer(bytes: record.framed)))
            }
        }
        if let counters = batch.counters { rows.append(counters) }
        return rows
    }

    private func connect() async throws -> PostgresConnection {
        let configuration = try PostgresSettings.connection(url)
        let logger = quietLogger
        return try await Deadline.run(within: .seconds(5), what: "the journal database") {
            try await PostgresConnection.connect(configuration: configuration, id: 3, logger: logger)
        }
    }

    private func liveConnection() async throws -> PostgresConnection {
        if let connection = connectionBox.withLock({ $0 }), !connection.isClosed { return connection }
        let connection = try await connect()
        let stale = connectionBox.withLock { box -> PostgresConnection? in
            defer { box = connection }
            return box
        }
        // A connection the server dropped still has to be closed on this side before it is let go.
        try? await stale?.close()
        return connection
    }

    /// Writes `batch` in one round trip and transaction (see `JournalBatchStatement`). (The first version
    /// sent BEGIN, the fence, the deletes, the insert and COMMIT one by one: five round trips per batch,
    /// which the bench's journal phase showed as the writer waiting, not working.)
    private func write(_ batch: Batch) async throws {
        let connection = try await liveConnection()
        let rows = rows(of: batch)
        let statement = JournalBatchStatement(
            epoch: epoch, finished: Array(batch.finishedIDs), replacesCounters: batch.counters != nil,
            jobIDs: rows.map(\.jobID), kinds: rows.map(\.kind.rawValue), doneAt: rows.map(\.doneAt),
            records: rows.map(\.record))
        let logger = quietLogger
        let held = try await closing(after: 30_000, { try? await connection.close() }) { () -> Bool in
            var count = 0
            for try await value in try await connection.execute(statement, logger: logger) { count = value }
            return count > 0
        }
        guard held else {
            throw JournalError(
                message: "this broker no longer holds the journal's lease (epoch \(epoch)); "
                    + "another broker is active")
        }
    }

    /// Fails the transaction unless this term's lease is still held and unexpired; `FOR SHARE` makes a
    /// standby's takeover wait until the transaction has committed.
    private static func fence(_ connection: PostgresConnection, epoch: Int, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            SELECT epoch FROM docpipe_broker.lease
            WHERE name = 'broker' AND epoch = \(epoch) AND expires_at > clock_timestamp()
            FOR SHARE
            """, logger: logger)
        var held = false
        for try await _ in rows.decode(Int.self) { held = true }
        guard held else {
            throw JournalError(
                message: "this broker no longer holds the journal's lease (epoch \(epoch)); "
                    + "another broker is active")
        }
    }

    /// Deletes finished jobs' metadata older than the retention, a thousand rows per transaction, and
    /// forgets them in the mirror.
    private func prune() async throws {
        let connection = try await liveConnection()
        let epoch = epoch
        let logger = quietLogger
        let retention = retentionSeconds
        while true {
            let deleted = try await connection.withTransaction(logger: logger) { connection -> Int in
                try await Self.fence(connection, epoch: epoch, logger: logger)
                let rows = try await connection.query(
                    """
                    WITH old AS (
                        SELECT seq FROM docpipe_broker.journal
                        WHERE done_at < clock_timestamp() - make_interval(secs => \(retention))
                        LIMIT 1000)
                    DELETE FROM docpipe_broker.journal j USING old WHERE j.seq = old.seq
                    RETURNING j.seq
                    """, logger: logger)
                var count = 0
                for try await _ in rows.decode(Int.self) { count += 1 }
                return count
            }
            if deleted < 1000 { break }
        }
        let cutoff = Date().timeIntervalSince1970 - retention
        mirror.withLock { _ = $0.compact(cutoff: cutoff, keepFinished: Int.max) }
    }
}
