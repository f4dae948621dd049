import BrokerCore
import DocProtocol
import Foundation
import Testing

/// Operator figures computed from events with a fake clock.
struct BrokerMetricsTests {
    @Test func rateWindowAveragesTheLastMinute() {
        var window = RateWindow()
        for second in 0..<30 { window.record(at: 1000 + Double(second), count: 2) }
        #expect(abs(window.perSecond(at: 1029.5) - 2) < 0.01)
        // A minute later, the old events have left the window.
        #expect(window.perSecond(at: 1100) == 0)
    }

    @Test func latencyPercentilesComeFromEverySample() throws {
        var recorder = LatencyRecorder()
        for value in 1...100 { recorder.record(milliseconds: Double(value)) }
        let summary = try #require(recorder.summary())
        #expect(summary.count == 100)
        #expect(abs(summary.p50 - 50) <= 1)
        #expect(abs(summary.p95 - 95) <= 1)
        #expect(abs(summary.p99 - 99) <= 1.5)
        #expect(LatencyRecorder().summary() == nil)
    }

    @Test func stageAndWorkerFiguresFollowLeasesAndOutcomes() throws {
        let w1 = PeerID(Data("w1".utf8))
        let w2 = PeerID(Data("w2".utf8))
        var metrics = BrokerMetrics()
        metrics.stageLeased(service: "s", at: 10)
        metrics.stageEnded(
            service: "s", outcome: .ok, deadLettered: false, answered: StageLease(worker: w1, since: 10), at: 10.2)
        metrics.stageLeased(service: "s", at: 11)
        metrics.stageEnded(
            service: "s", outcome: .error, deadLettered: false, answered: StageLease(worker: w1, since: 11), at: 11.5)
        metrics.stageLeased(service: "s", at: 12)
        // A timeout answers nothing: even with its lease given, it is not timed nor put on the worker.
        metrics.stageEnded(
            service: "s", outcome: .timeout, deadLettered: true, answered: StageLease(worker: w2, since: 12), at: 20)
        let stage = try #require(metrics.stages["s"])
        #expect(stage.done == 1 && stage.failed == 2 && stage.retried == 1 && stage.deadLettered == 1)
        #expect(stage.latency.count == 2) // the timeout has no reply to time
        #expect(metrics.workers[w1]?.done == 1 && metrics.workers[w1]?.failed == 1)
        #expect(metrics.workers[w2] == nil)
        // Timed from each lease's start: 200 ms and 500 ms.
        let worker = try #require(metrics.workers[w1]?.latency.summary())
        #expect(worker.count == 2 && abs(worker.max - 500) < 5)
        metrics.retainWorkers([w1])
        #expect(metrics.workers[w2] == nil)
    }

    @Test func totalsSurviveARestartThroughPersistentCounters() {
        var first = BrokerMetrics()
        first.stageEnded(service: "extractor.v2", outcome: .ok, deadLettered: false, at: 1)
        first.stageEnded(service: "extractor.v2", outcome: .error, deadLettered: true, at: 2)
        var second = BrokerMetrics()
        second.restore(first.persistentCounters)
        #expect(second.stages["extractor.v2"]?.done == 1)
        #expect(second.stages["extractor.v2"]?.deadLettered == 1)
    }

    @Test func theEngineReportsHowEachStageTryEnded() throws {
        var engine = PipelineEngine(pipelines: [
            "p": PipelineDefinition(stages: [
                StageDefinition(
                    service: "a",
                    maxAttempts: 1)
            ])
        ])
        _ = try engine.submit(SubmitRequest(pipeline: "p", document: Document(content: "x")), jobID: "j", now: 0).get()
        let failure = ErrorBody(code: .unprocessable, reason: "bad", message: "no", retryable: false)
        let result = StageResult.failure(jobID: "j", stage: "a", error: failure, durationMs: 12, worker: "host:1")
        let actions = engine.stageReplied(jobID: "j", ticket: 1, body: [try WireJSON.encode(result)], now: 1)
        #expect(actions.contains(.stageEnded(service: "a", jobID: "j", outcome: .error, deadLettered: true)))
        guard case .finished(let job) = actions.last else {
            Issue.record("not finished")
            return
        }
        #expect(job.history.last?.worker == "host:1")
        #expect(job.history.last?.durationMs == 12)
    }
}
