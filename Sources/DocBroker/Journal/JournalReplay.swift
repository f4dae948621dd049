public import BrokerCore
import Foundation

/// Rebuilds job state from journal records, in order: what recovery and compaction both need.
public struct JournalReplay: Sendable {
    public private(set) var jobs: [String: Job] = [:]
    private var order: [String] = []
    public private(set) var counters: [String: Int] = [:]

    public init() {}

    public mutating func apply(_ record: JournalRecord) {
        switch record {
        case .entry(.submitted(let job)), .snapshot(let job):
            if jobs.updateValue(job, forKey: job.id) == nil { order.append(job.id) }
        case .entry(.progressed(let progress, let attempt, let output)):
            jobs[progress.id]?.apply(progress, attempt: attempt, output: output)
        case .dropped(let jobID):
            jobs[jobID] = nil
        case .counters(let saved):
            counters = saved
        }
    }

    /// Jobs in the order they were first journalled.
    public var orderedJobs: [Job] { order.compactMap { jobs[$0] } }

    /// What a compaction keeps, in journal order: every unfinished or failed job whole, and the newest
    /// `keepFinished` done jobs (metadata only) updated at or after `cutoff`. Forgets the done jobs it
    /// does not keep, so the replay stays as small as the compacted file.
    public mutating func compact(cutoff: Double, keepFinished: Int) -> [Job] {
        let recentDone = jobs.values.filter { $0.state == .done && $0.updatedAt >= cutoff }
            .sorted { $0.updatedAt > $1.updatedAt }.prefix(keepFinished).map(\.id)
        let keptDone = Set(recentDone)
        var kept: [Job] = []
        var keptOrder: [String] = []
        for id in order {
            guard let job = jobs[id] else { continue }
            if job.state == .done, !keptDone.contains(id) {
                jobs[id] = nil
                continue
            }
            kept.append(job)
            keptOrder.append(id)
        }
        order = keptOrder
        return kept
    }
}
