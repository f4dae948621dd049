public import BrokerCore
public import Foundation

/// The broker's durable record of accepted work, behind the narrow interface the broker loop needs.
///
/// Contract (every implementation, embedded or on a database server):
/// - `append` never blocks on the disk: it queues the records and returns their sequence number at once,
///   so dispatches to workers go out without waiting (at-least-once allows a stage to run again after a
///   crash that lost its journalled result).
/// - Records become durable in order, in groups (group commit: one sync per batch, however many jobs are
///   in it). `durableSequence` says how far; `onDurable` is called, from any thread, each time it moves.
///   The loop holds every reply a client can act on (a submit's 202, a job's state) until its records are
///   durable.
/// - `recover` reads back what was appended, in order, skipping a torn tail left by a crash.
/// - Compaction (dropping finished work) happens behind the interface and never runs on the loop thread.
public protocol JobJournal: AnyObject, Sendable {
    /// What a restarting broker resumes from: every job the journal still holds, and the saved counters.
    func recover() throws -> JournalContents
    /// Queues records for writing; returns the sequence number they will have once durable.
    func append(_ records: [JournalRecord]) -> UInt64
    /// The highest sequence number known to be on stable storage.
    var durableSequence: UInt64 { get }
    /// Called from the writer whenever `durableSequence` advances (or a write fails).
    func setOnDurable(_ callback: @escaping @Sendable () -> Void)
    /// Set while records cannot be made durable (a full disk, an I/O error); the journal keeps them and
    /// keeps trying, and the broker accepts no new work until this clears.
    var outage: JournalOutage? { get }
    /// Writes what is queued, syncs, and stops the writer.
    func close()
    /// Where the journal lives, for log lines.
    var location: String { get }
}

/// One change to the journal.
public enum JournalRecord: Sendable, Equatable {
    /// A job's change: a new job (with its document) or a stage try's outcome.
    case entry(JournalEntry)
    /// A whole job as it stands (compaction rewrites live jobs this way).
    case snapshot(Job)
    /// A dead letter an operator dropped.
    case dropped(jobID: String)
    /// Counter totals since the journal began (the last one read back wins).
    case counters([String: Int])
}

/// The journal cannot write right now: since when, the last error, and how far behind it is.
public struct JournalOutage: Sendable, Equatable {
    public var since: Date
    public var message: String
    public var failedWrites = 0
    public var unsyncedBytes = 0

    public init(since: Date, message: String) {
        self.since = since
        self.message = message
    }
}

/// What `recover` finds: jobs in the order first journalled, and the latest counters.
public struct JournalContents: Sendable {
    public var jobs: [Job] = []
    public var counters: [String: Int] = [:]
    /// Bytes of a torn tail that recovery cut off (a crash in the middle of a write).
    public var tornBytes = 0
    /// Damaged records found between whole ones, moved aside to `quarantinePath` so the broker could start.
    public var quarantined: [Damage] = []
    public var quarantinePath: String?

    public struct Damage: Sendable, Equatable {
        public var offset: Int
        public var bytes: Int
    }

    public init(jobs: [Job] = [], counters: [String: Int] = [:], tornBytes: Int = 0) {
        self.jobs = jobs
        self.counters = counters
        self.tornBytes = tornBytes
    }
}

/// The journal could not be opened, read or written; the message names the file and the cause.
public struct JournalError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
