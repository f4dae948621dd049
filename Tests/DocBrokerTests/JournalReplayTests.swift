import BrokerCore
import DocProtocol
import Foundation
import Testing

@testable import DocBroker

/// What a compaction keeps, without files: every unfinished job, and the newest done jobs inside the
/// retention up to the limit, in journal order.
@Suite struct JournalReplayTests {
    static func done(_ id: String, at time: Double) -> Job {
        var job = JournalTests.job(id, at: time)
        job.state = .done
        job.updatedAt = time
        return job
    }

    @Test func compactionKeepsUnfinishedJobsAndTheNewestDoneOnesInJournalOrder() {
        var replay = JournalReplay()
        replay.apply(.entry(.submitted(JournalTests.job("live-1", at: 10))))
        for (id, time) in [("old", 5.0), ("d1", 101), ("d4", 104), ("d2", 102), ("d3", 103)] {
            replay.apply(.entry(.submitted(Self.done(id, at: time))))
        }
        replay.apply(.entry(.submitted(JournalTests.job("live-2", at: 11))))

        let kept = replay.compact(cutoff: 100, keepFinished: 2)
        // "old" is past the retention; of d1…d4 the two updated last stay; journal order is kept.
        #expect(kept.map(\.id) == ["live-1", "d4", "d3", "live-2"])
        #expect(replay.orderedJobs.map(\.id) == ["live-1", "d4", "d3", "live-2"])
        #expect(replay.jobs["d1"] == nil && replay.jobs["old"] == nil)

        // Under the limit nothing inside the retention goes.
        #expect(replay.compact(cutoff: 100, keepFinished: 10).map(\.id) == ["live-1", "d4", "d3", "live-2"])
        #expect(replay.compact(cutoff: 100, keepFinished: 0).map(\.id) == ["live-1", "live-2"])
    }
}
