public import BrokerCore
import Foundation

/// Rebuilds job state from journal records, in order: what recovery and compaction both need.
///
/// Done jobs are kept as the record a compaction writes for them — the framed snapshot of their metadata
/// (no document, no outputs) — encoded once, when the job finished. A compaction then copies those bytes
/// instead of encoding every retained done job again (up to `keepFinished`, 100,000 by default, each
/// time the file is compacted): the writer thread spent about a third of its time there in the pipeline
/// profile of 2026-12-05, and a done `Job` value held more memory than its record does.
public struct JournalReplay: Sendable {
    /// Unfinished and failed jobs, whole.
    public private(set) var jobs: [String: Job] = [:]
    /// Done jobs: when they finished (for retention) and their snapshot record, framed.
    public private(set) var done: [String: DoneRecord] = [:]
    private var order: [String] = []
    public private(set) var counters: [String: Int] = [:]

    public struct DoneRecord: Sendable {
        public var updatedAt: Double
        public var framed: [UInt8]
    }

    /// What a compaction keeps of a job: the job itself, or a done job's record as it is to be written.
    public enum Kept: Sendable {
        case job(Job)
        case done(id: String, framed: [UInt8])

        public var id: String {
            switch self {
            case .job(let job): job.id
            case .done(let id, _): id
            }
        }
    }

    public init() {}

    public mutating func apply(_ record: JournalRecord) {
        switch record {
        case .entry(.submitted(let job)), .snapshot(let job):
            // Each table is probed once and nothing is copied out of it (a subscript read copies the value).
            let known: Bool
            if job.state == .done {
                let wasJob = jobs.removeValue(forKey: job.id) != nil
                known = done.updateValue(Self.doneRecord(job), forKey: job.id) != nil || wasJob
            } else {
                let wasDone = done.removeValue(forKey: job.id) != nil
                known = jobs.updateValue(job, forKey: job.id) != nil || wasDone
            }
            if !known { order.append(job.id) }
        case .entry(.progressed(let progress, let attempt, let output)):
            guard let index = jobs.index(forKey: progress.id) else { return }
            jobs.values[index].apply(progress, attempt: attempt, output: output)
            if progress.state == .done, let job = jobs.removeValue(forKey: progress.id) {
                done[job.id] = Self.doneRecord(job)
            }
        case .dropped(let jobID):
            jobs[jobID] = nil
            done[jobID] = nil
        case .counters(let saved):
            counters = saved
        }
    }

    private static func doneRecord(_ job: Job) -> DoneRecord {
        var metadata = job
        metadata.dropBodies()
        let framed = JournalCodec.framed(.snapshot(metadata))
        // Copied to an array of its own size: `framed` reserves room for a document, and a hundred thousand
        // retained records would each keep that slack. (Converting a whole-array slice may keep the buffer.)
        let tight = [UInt8](unsafeUninitializedCapacity: framed.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: framed)
        }
        return DoneRecord(updatedAt: job.updatedAt, framed: tight)
    }

    /// The job by id, done ones decoded from their record (for rare readers: recovery, tests).
    public func job(id: String) -> Job? {
        if let job = jobs[id] { return job }
        return done[id].flatMap { Self.decode($0.framed) }
    }

    private static func decode(_ framed: [UInt8]) -> Job? {
        guard case .snapshot(let job)? = JournalCodec.read(Data(framed)).records.first else { return nil }
        return job
    }

    /// Jobs in the order they were first journalled.
    public var orderedJobs: [Job] { order.compactMap { job(id: $0) } }

    /// What a compaction keeps, in journal order: every unfinished or failed job whole, and the newest
    /// `keepFinished` done jobs (their records) updated at or after `cutoff`. Forgets the done jobs it
    /// does not keep, so the replay stays as small as the compacted file.
    public mutating func compact(cutoff: Double, keepFinished: Int) -> [Kept] {
        // Only (time, id) pairs are sorted, and only when there are more than `keepFinished`.
        var recent: [(updatedAt: Double, id: String)] = []
        for (id, record) in done where record.updatedAt >= cutoff { recent.append((record.updatedAt, id)) }
        if recent.count > keepFinished {
            recent.sort { $0.updatedAt > $1.updatedAt }
            recent.removeSubrange(max(0, keepFinished)...)
        }
        let keptDone = Set(recent.map(\.id))
        var kept: [Kept] = []
        var keptOrder: [String] = []
        for id in order {
            if let job = jobs[id] {
                kept.append(.job(job))
            } else if let record = done[id] {
                guard keptDone.contains(id) else {
                    done[id] = nil
                    continue
                }
                kept.append(.done(id: id, framed: record.framed))
            } else {
                continue
            }
            keptOrder.append(id)
        }
        order = keptOrder
        return kept
    }
}
