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
        #expect(replay.done["d1"] == nil && replay.done["old"] == nil && replay.done["d4"] != nil)

        // Under the limit nothing inside the retention goes.
        #expect(replay.compact(cutoff: 100, keepFinished: 10).map(\.id) == ["live-1", "d4", "d3", "live-2"])
        #expect(replay.compact(cutoff: 100, keepFinished: 0).map(\.id) == ["live-1", "live-2"])
    }

    /// A job that finishes is kept as the record a compaction writes for it: its metadata framed once, with
    /// no document and no outputs, the same bytes as a snapshot of the job written then; read back it is the
    /// job as the broker's archive knows it.
    @Test func aFinishedJobIsKeptAsItsSnapshotRecordWithoutBodies() throws {
        var replay = JournalReplay()
        var job = JournalTests.job("j1", content: String(repeating: "words ", count: 400), at: 50)
        replay.apply(.entry(.submitted(job)))
        let output = Data(#"{"language":"en"}"#.utf8)
        for stage in job.stages.indices {
            job.stageIndex = stage + 1
            job.state = stage + 1 == job.stages.count ? .done : .queued
            job.updatedAt = 60 + Double(stage)
            job.attemptsTotal += 1
            let attempt = StageAttempt(
                stage: job.stages[stage].service, attempt: 1, outcome: .ok, at: job.updatedAt, worker: "w",
                durationMs: 1)
            job.record(attempt)
            job.outputs.append(output)
            replay.apply(.entry(.progressed(JobProgress(job), attempt: attempt, output: output)))
            #expect((replay.jobs["j1"] == nil) == (job.state == .done))
        }
        let record = try #require(replay.done["j1"])
        var metadata = job
        metadata.dropBodies()
        #expect(record.framed == JournalCodec.framed(.snapshot(metadata)))
        #expect(record.updatedAt == job.updatedAt)
        #expect(record.framed.count < 1024, "no document in it: \(record.framed.count) bytes")
        #expect(record.framed.capacity < 1024, "no room kept for one: \(record.framed.capacity) bytes")
        #expect(replay.orderedJobs == [metadata])

        guard case .done(let id, let framed)? = replay.compact(cutoff: 0, keepFinished: 10).first else {
            Issue.record("the done job was not kept as its record")
            return
        }
        #expect(id == "j1" && framed == record.framed)
        replay.apply(.dropped(jobID: "j1"))
        #expect(replay.done.isEmpty && replay.orderedJobs.isEmpty)
    }
}
