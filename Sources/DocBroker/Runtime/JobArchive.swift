import BrokerCore
import DocProtocol
import Foundation

/// Finished jobs in memory: the dead-letter queue (whole, so they can be retried) and the metadata of
/// recently done jobs (for `docpipe job` and `docpipe jobs`), so operator queries never touch the disk.
///
/// Bounds: done jobs are kept for the retention period and at most `keepDone` of them; only the newest
/// `keepResults` keep their stage outputs (what `docpipe job` shows as results right after a run).
struct JobArchive {
    private(set) var done: [String: Job] = [:]
    private var doneOrder: [String] = []
    private var doneHead = 0
    private(set) var deadLetters: [String: Job] = [:]
    let keepDone: Int
    let keepResults: Int

    init(keepDone: Int = 100_000, keepResults: Int = 1_000) {
        self.keepDone = keepDone
        self.keepResults = keepResults
    }

    mutating func add(_ job: Job) {
        switch job.state {
        case .failed:
            deadLetters[job.id] = job
        case .done:
            var kept = job
            kept.documentBody = Data()
            if done.updateValue(kept, forKey: job.id) == nil { doneOrder.append(job.id) }
            let liveCount = doneOrder.count - doneHead
            if liveCount > keepResults {
                let index = doneOrder.count - keepResults - 1
                // Through the table's index: the optional-chained `done[id]?.outputs = []` allocated in the
                // dictionary's `modify` accessor, three times per finished job.
                if index >= doneHead, let slot = done.index(forKey: doneOrder[index]) { done.values[slot].outputs = [] }
            }
            while doneOrder.count - doneHead > keepDone { removeOldestDone() }
        case .queued, .running:
            break
        }
    }

    func job(id: String) -> Job? { done[id] ?? deadLetters[id] }

    /// Whether the archive knows this job id (without copying the job out).
    func contains(id: String) -> Bool { done.index(forKey: id) != nil || deadLetters.index(forKey: id) != nil }

    mutating func removeDeadLetter(id: String) -> Job? { deadLetters.removeValue(forKey: id) }

    /// Forgets done jobs older than the cut-off (seconds since 1970).
    mutating func prune(doneBefore cutoff: Double) -> Int {
        var removed = 0
        while doneHead < doneOrder.count {
            guard let job = done[doneOrder[doneHead]] else {
                doneHead += 1
                continue
            }
            guard job.updatedAt < cutoff else { break }
            removeOldestDone()
            removed += 1
        }
        return removed
    }

    private mutating func removeOldestDone() {
        done[doneOrder[doneHead]] = nil
        doneHead += 1
        if doneHead > 4096, doneHead * 2 > doneOrder.count {
            doneOrder.removeFirst(doneHead)
            doneHead = 0
        }
    }

    /// Dead letters, oldest failure first.
    var deadLettersByAge: [Job] { deadLetters.values.sorted { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) } }
}
