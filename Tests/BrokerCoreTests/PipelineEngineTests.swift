import BrokerCore
import DocProtocol
import Foundation
import Testing

/// Walks jobs through pipelines with hand-made stage results; no sockets, no journal.
struct PipelineEngineTests {
    let pipelines = ["default": PipelineDefinition.standard, "short": PipelineDefinition("a", "b")]

    func submit(_ engine: inout PipelineEngine, pipeline: String = "short", content: String = "hello")
        -> Result<(job: Job, actions: [PipelineAction]), ErrorReply>
    {
        engine.submit(SubmitRequest(pipeline: pipeline, document: Document(content: content)), jobID: "j1", now: 1)
    }

    func reply(_ result: StageResult) -> [Data] { [try! WireJSON.encode(result)] }

    func dispatches(_ actions: [PipelineAction]) -> [String] {
        actions.compactMap { if case .dispatch(let service, _, _, _, _) = $0 { service } else { nil } }
    }

    @Test func theNextTickIsDueAtTheEarliestStageTimeout() throws {
        var engine = PipelineEngine(pipelines: pipelines)
        #expect(engine.secondsUntilNextTick(now: 0) == nil, "nothing leased, nothing waiting")
        _ = try submit(&engine).get()
        #expect(engine.secondsUntilNextTick(now: 1) == nil, "queued, not yet with a worker")
        engine.stageLeased(jobID: "j1", ticket: 1, now: 2)
        let timeout = Double(StageDefinition.defaultTimeoutMs) / 1000
        #expect(engine.secondsUntilNextTick(now: 3) == timeout - 1)
        #expect(engine.secondsUntilNextTick(now: 2 + timeout + 5) == 0, "overdue: at once, never negative")
    }

    @Test func aResultForAnotherJobIsDroppedAndTheStageStaysLeased() throws {
        var engine = PipelineEngine(pipelines: pipelines)
        _ = try submit(&engine).get()
        engine.stageLeased(jobID: "j1", ticket: 1, now: 1)
        let heldBefore = engine.activeBytes
        let wrong = engine.stageReplied(
            jobID: "j1", ticket: 1,
            body: reply(.ok(jobID: "j9", stage: "a", output: ["x": 1])), now: 2)
        #expect(!wrong.contains { if case .persist = $0 { true } else { false } })
        #expect(dispatches(wrong).isEmpty)
        #expect(engine.counters["mismatched_reply"] == 1)
        #expect(engine.leasedCount == 1, "the stage still times out and runs again")
        #expect(engine.activeJob("j1") != nil, "the job is still held")
        #expect(engine.activeBytes == heldBefore, "and counted once")
        let right = engine.stageReplied(
            jobID: "j1", ticket: 1,
            body: reply(.ok(jobID: "j1", stage: "a", output: ["x": 1])), now: 3)
        #expect(dispatches(right) == ["b"])
    }

    @Test func jobWalksEveryStageInOrderThenFinishes() throws {
        var engine = PipelineEngine(pipelines: pipelines)
        let accepted = try submit(&engine).get()
        #expect(accepted.job.documentID.hasPrefix("doc-"))
        #expect(accepted.actions.first == .persist(.submitted(accepted.job)))
        #expect(dispatches(accepted.actions) == ["a"])

        let afterA = engine.stageReplied(
            jobID: "j1", ticket: 1,
            body: reply(.ok(jobID: "j1", stage: "a", output: ["x": 1])), now: 2)
        #expect(dispatches(afterA) == ["b"])
        // The next stage sees the previous stage's output.
        if case .dispatch(_, _, _, let body, _) = afterA.last! {
            let request = try WireJSON.decode(StageRequest.self, from: body)
            #expect(request.results["a"] == ["x": 1])
            #expect(request.stage == "b")
        }
        let afterB = engine.stageReplied(
            jobID: "j1", ticket: 2,
            body: reply(.ok(jobID: "j1", stage: "b", output: [:])), now: 3)
        guard case .finished(let job) = afterB.last else {
            Issue.record("not finished")
            return
        }
        #expect(job.state == .done)
        #expect(job.status.stagesDone == ["a", "b"])
        #expect(engine.activeCount == 0)
    }

    @Test func unknownPipelineAndEmptyDocumentAreRefused() {
        var engine = PipelineEngine(pipelines: pipelines)
        guard case .failure(let unknown) = submit(&engine, pipeline: "nope") else {
            Issue.record()
            return
        }
        #expect(unknown.status == .notFound)
        #expect(unknown.message.contains("short"))
        guard case .failure(let empty) = submit(&engine, content: "") else {
            Issue.record()
            return
        }
        #expect(empty.status == .badRequest)
        var small = PipelineEngine(pipelines: pipelines, limits: EngineLimits(maxDocumentBytes: 4))
        guard case .failure(let large) = submit(&small, content: "hello") else {
            Issue.record()
            return
        }
        #expect(large.status == .tooLarge)
        #expect(engine.activeCount == 0)
    }

    /// The engine keeps each lease's worker and start, and hands them on with the answer that ends it
    /// (the metrics time answers from them); a timeout ends a lease with nothing answered.
    @Test func anAnswerCarriesTheLeaseItEnded() throws {
        var engine = PipelineEngine(pipelines: pipelines)
        _ = try submit(&engine).get()
        let w1 = PeerID(Data("w1".utf8))
        engine.stageLeased(jobID: "j1", ticket: 1, now: 2, worker: w1)
        let answer = engine.stageReplied(
            jobID: "j1", ticket: 1, body: reply(.ok(jobID: "j1", stage: "a", output: ["x": 1])), now: 2.5)
        #expect(
            answer.first
                == .stageEnded(
                    service: "a", jobID: "j1", outcome: .ok, deadLettered: false,
                    answered: StageLease(worker: w1, since: 2)))
        engine.stageLeased(jobID: "j1", ticket: 2, now: 3, worker: PeerID(Data("w2".utf8)))
        let late = engine.tick(now: 3 + Double(StageDefinition.defaultTimeoutMs) / 1000 + 1)
        let ended = late.compactMap { action -> StageLease?? in
            if case .stageEnded(_, _, .timeout, _, let answered) = action { answered } else { nil }
        }
        #expect(ended.count == 1 && ended[0] == nil)
    }

    /// Text is measured and hashed where it is; base64 content by its decoded bytes.
    @Test func base64ContentIsCheckedAndNamedByItsDecodedBytes() throws {
        func base64(_ content: String) -> SubmitRequest {
            SubmitRequest(
                pipeline: "short",
                document: Document(id: nil, name: nil, contentType: nil, encoding: .base64, content: content))
        }
        var engine = PipelineEngine(pipelines: pipelines, limits: EngineLimits(maxDocumentBytes: 4))
        for (content, reason) in [("%%%", "bad_request"), ("", "empty_document"), ("aGVsbG8=", "too_large")] {
            guard case .failure(let refused) = engine.submit(base64(content), jobID: "j", now: 0) else {
                Issue.record("\(content) was accepted")
                continue
            }
            #expect(refused.reason == reason, "\(content)")
        }
        // "aGVs" is four characters and three bytes: within the limit of 4 as bytes.
        let job = try engine.submit(base64("aGVs"), jobID: "j", now: 0).get().job
        #expect(job.documentID == ContentHash.documentID(of: Data("hel".utf8)))
        let text = try engine.submit(
            SubmitRequest(pipeline: "short", document: Document(content: "hel")), jobID: "t", now: 0
        )
        .get().job
        #expect(text.documentID == job.documentID, "the same bytes as text and as base64 are the same document")
        #expect(ContentHash.documentID(ofText: "hel") == ContentHash.documentID(for: Document(content: "hel")))
    }

    @Test func retryableErrorsBackOffThenRetryUpToMaxAttemptsThenDeadLetter() throws {
        var engine = PipelineEngine(pipelines: [
            "p": PipelineDefinition(stages: [
                StageDefinition(
                    service: "a",
                    maxAttempts: 2)
            ])
        ])
        _ = try engine.submit(SubmitRequest(pipeline: "p", document: Document(content: "x")), jobID: "j", now: 0).get()
        let transient = ErrorBody(code: .busy, reason: "overloaded", message: "try later", retryable: true)
        let first = engine.stageReplied(
            jobID: "j", ticket: 1,
            body: reply(.failure(jobID: "j", stage: "a", error: transient)), now: 1)
        // Not at once: after the back-off (500 ms ± 25%).
        #expect(dispatches(first).isEmpty)
        #expect(dispatches(engine.tick(now: 1.3)).isEmpty)
        #expect(dispatches(engine.tick(now: 1.7)) == ["a"])
        #expect(engine.activeJob("j")?.attempt == 2)
        let second = engine.stageReplied(
            jobID: "j", ticket: 2,
            body: reply(.failure(jobID: "j", stage: "a", error: transient)), now: 2)
        guard case .finished(let job) = second.last else {
            Issue.record("not finished")
            return
        }
        #expect(job.state == .failed)
        #expect(job.error?.reason == "overloaded")
        #expect(job.history.map(\.outcome) == [.error, .error])
        #expect(engine.counters["dead_lettered"] == 1)

        // An operator retries the dead letter: back at stage a, attempt 1, with a new ticket.
        var later = PipelineEngine(pipelines: [:])
        let again = try later.retryDeadLetter(job, now: 10).get()
        guard case .dispatch("a", "j", let ticket, _, _) = again.last else {
            Issue.record("no dispatch")
            return
        }
        #expect(ticket == 3)
        #expect(later.activeJob("j")?.attempt == 1)
    }

    @Test func backoffGrowsExponentiallyWithBoundedJitter() {
        let policy = RetryPolicy(baseMs: 100, maxMs: 1000, jitter: 0.5)
        for attempt in 1...8 {
            let expected = min(1000, 100 * pow(2, Double(attempt - 1))) / 1000
            let delay = policy.delay(after: attempt, jobID: "job-\(attempt)")
            #expect(delay >= expected * 0.75 && delay <= expected * 1.25)
        }
        #expect(policy.delay(after: 3, jobID: "a") != policy.delay(after: 3, jobID: "b"))
    }

    @Test func aStageHeldPastItsTimeoutIsAbandonedAndRetried() throws {
        var engine = PipelineEngine(pipelines: [
            "p": PipelineDefinition(stages: [
                StageDefinition(service: "a", maxAttempts: 2, timeoutMs: 1000)
            ])
        ])
        _ = try engine.submit(SubmitRequest(pipeline: "p", document: Document(content: "x")), jobID: "j", now: 0).get()
        let holder = PeerID(Data("w".utf8))
        engine.stageLeased(jobID: "j", ticket: 1, now: 0, worker: holder)
        #expect(engine.tick(now: 0.9).isEmpty)
        let timedOut = engine.tick(now: 1.1)
        #expect(timedOut.contains(.abandon(jobID: "j", ticket: 1, heldBy: holder)), "withdrawn from its holder")
        #expect(engine.counters["timeouts"] == 1)
        #expect(engine.activeJob("j")?.history.last?.outcome == .timeout)
        // The late answer from the stuck worker is ignored.
        _ = engine.stageReplied(jobID: "j", ticket: 1, body: reply(.ok(jobID: "j", stage: "a", output: [:])), now: 1.2)
        #expect(engine.activeJob("j")?.stageIndex == 0)
    }

    func exclusiveFlags(_ actions: [PipelineAction]) -> [Bool] {
        actions.compactMap { if case .dispatch(_, _, _, _, let exclusive) = $0 { exclusive } else { nil } }
    }

    @Test func aDeliveryLostWithItsWorkerIsAFailedAttemptAndEndsInTheDeadLetterQueue() throws {
        var engine = PipelineEngine(
            pipelines: [
                "p": PipelineDefinition(stages: [
                    StageDefinition(service: "a", maxAttempts: 3, timeoutMs: 60_000)
                ])
            ],
            retryPolicy: RetryPolicy(baseMs: 100, maxMs: 1000, jitter: 0))
        let accepted = try engine.submit(
            SubmitRequest(pipeline: "p", document: Document(content: "poison")), jobID: "j",
            now: 0
        ).get()
        #expect(exclusiveFlags(accepted.actions) == [false])
        var now = 0.0
        var ticket = 1
        for attempt in 1...3 {
            engine.stageLeased(jobID: "j", ticket: ticket, now: now)
            now += 0.01
            let lost = engine.stageLost(jobID: "j", ticket: ticket, reason: "worker sent DISCONNECT", now: now)
            // Journalled like any failed attempt, with the lease given up.
            guard
                case .persist(.progressed(let job, let recorded, nil)) = lost.first(where: {
                    if case .persist = $0 { true } else { false }
                })
            else {
                Issue.record("not journalled")
                return
            }
            #expect(
                recorded?.outcome == .lost && recorded?.error?.reason == "worker_lost" && recorded?.attempt == attempt)
            #expect(engine.leasedCount == 0)
            if attempt < 3 {
                #expect(job.state == .queued && job.retryAt != nil)
                #expect(engine.tick(now: now + 0.01).isEmpty, "the back-off is waited out first")
                now = job.retryAt! + 0.001
                let retried = engine.tick(now: now)
                // The retry runs alone on a worker.
                #expect(exclusiveFlags(retried) == [true])
                ticket = job.attemptsTotal
            } else {
                #expect(job.state == .failed)
                #expect(job.error?.reason == "worker_lost")
                let finished = lost.compactMap { action -> Job? in
                    if case .finished(let job) = action { job } else { nil }
                }
                #expect(finished.map(\.id) == [job.id])
                #expect(finished.first?.history.map(\.outcome) == [.lost, .lost, .lost])
            }
        }
        #expect(engine.activeCount == 0)
        #expect(engine.counters["workers_lost"] == 3 && engine.counters["dead_lettered"] == 1)
    }

    @Test func aLossForAnotherDispatchIsIgnored() throws {
        var engine = PipelineEngine(pipelines: pipelines)
        _ = try submit(&engine).get()
        engine.stageLeased(jobID: "j1", ticket: 1, now: 1)
        #expect(engine.stageLost(jobID: "j1", ticket: 7, reason: "x", now: 2).isEmpty)
        #expect(engine.stageLost(jobID: "nope", ticket: 1, reason: "x", now: 2).isEmpty)
        #expect(engine.counters["stale_losses"] == 2)
        #expect(engine.activeJob("j1")?.history.isEmpty == true)
    }

    @Test func leasingTheSameDispatchAgainNeverExtendsItsDeadline() throws {
        var engine = PipelineEngine(pipelines: [
            "p": PipelineDefinition(stages: [
                StageDefinition(service: "a", maxAttempts: 2, timeoutMs: 1000)
            ])
        ])
        _ = try engine.submit(SubmitRequest(pipeline: "p", document: Document(content: "x")), jobID: "j", now: 0).get()
        engine.stageLeased(jobID: "j", ticket: 1, now: 0)
        engine.stageLeased(jobID: "j", ticket: 1, now: 0.8)
        #expect(engine.tick(now: 1.1).contains(.abandon(jobID: "j", ticket: 1, heldBy: PeerID(Data()))))
    }

    @Test func stageOutputsCountAgainstTheMemoryBoundAndDeadLetterRetriesAreAdmitted() throws {
        var engine = PipelineEngine(pipelines: pipelines, limits: EngineLimits(maxJobBytes: 2_500))
        _ = try engine.submit(
            SubmitRequest(pipeline: "short", document: Document(content: String(repeating: "x", count: 1000))),
            jobID: "j1", now: 0
        ).get()
        #expect(engine.activeBytes == 1000)
        let big = JSONValue.object(["text": .string(String(repeating: "y", count: 1000))])
        _ = engine.stageReplied(jobID: "j1", ticket: 1, body: reply(.ok(jobID: "j1", stage: "a", output: big)), now: 1)
        #expect(engine.activeBytes > 2000, "the held output counts")
        // A second 1000-byte document would have fitted next to the document alone, not next to its output.
        guard
            case .failure(let busy) = engine.submit(
                SubmitRequest(pipeline: "short", document: Document(content: String(repeating: "z", count: 1000))),
                jobID: "j2", now: 2)
        else {
            Issue.record("admitted past the bound")
            return
        }
        #expect(busy.reason == "busy")

        // A dead letter retried past the bound is refused busy and stays a dead letter.
        var failed = Job(
            id: "d1", pipeline: "short", document: Document(id: "doc-d1", content: String(repeating: "w", count: 1000)),
            stages: PipelineDefinition("a", "b").stages, createdAt: 0)
        failed.state = .failed
        guard case .failure(let refused) = engine.retryDeadLetter(failed, now: 3) else {
            Issue.record("retried past the bound")
            return
        }
        #expect(refused.status == .busy)
        #expect(engine.activeJob("d1") == nil)
    }

    @Test func submitsBeyondTheBoundsAreRefusedBusyWithARetryHint() throws {
        var engine = PipelineEngine(pipelines: pipelines, limits: EngineLimits(maxJobs: 2, retryAfterMs: 250))
        for id in ["1", "2"] {
            _ = try engine.submit(SubmitRequest(pipeline: "short", document: Document(content: id)), jobID: id, now: 0)
                .get()
        }
        guard
            case .failure(let busy) = engine.submit(
                SubmitRequest(pipeline: "short", document: Document(content: "3")),
                jobID: "3", now: 0)
        else {
            Issue.record()
            return
        }
        #expect(busy.status == .busy)
        #expect(busy.retryAfterMs == 250)
        var bytes = PipelineEngine(pipelines: pipelines, limits: EngineLimits(maxJobBytes: 10))
        _ = try bytes.submit(
            SubmitRequest(pipeline: "short", document: Document(content: "12345678")), jobID: "a",
            now: 0
        ).get()
        #expect(bytes.activeBytes == 8)
        guard
            case .failure = bytes.submit(
                SubmitRequest(pipeline: "short", document: Document(content: "12345")),
                jobID: "b", now: 0)
        else {
            Issue.record()
            return
        }
        engine.accepting = false
        guard
            case .failure(let closing) = engine.submit(
                SubmitRequest(
                    pipeline: "short",
                    document: Document(
                        content: "4")), jobID: "4", now: 0)
        else {
            Issue.record()
            return
        }
        #expect(closing.reason == "shutting_down")
    }

    @Test func permanentErrorFailsAtOnce() throws {
        var engine = PipelineEngine(pipelines: pipelines)
        _ = try submit(&engine).get()
        let permanent = ErrorBody(code: .unprocessable, reason: "binary", message: "cannot read", retryable: false)
        let out = engine.stageReplied(
            jobID: "j1", ticket: 1,
            body: reply(.failure(jobID: "j1", stage: "a", error: permanent)), now: 1)
        #expect(dispatches(out).isEmpty)
        #expect(engine.counters["dead_lettered"] == 1)
    }

    @Test func staleAndGarbageRepliesNeverAdvanceAJobTwice() throws {
        var engine = PipelineEngine(pipelines: pipelines)
        _ = try submit(&engine).get()
        let ok = reply(.ok(jobID: "j1", stage: "a", output: [:]))
        _ = engine.stageReplied(jobID: "j1", ticket: 1, body: ok, now: 1)
        // A duplicate of the same reply (redelivery) is ignored.
        let dup = engine.stageReplied(jobID: "j1", ticket: 1, body: ok, now: 2)
        #expect(dispatches(dup).isEmpty)
        #expect(engine.activeJob("j1")?.stageIndex == 1)
        #expect(engine.counters["stale_replies"] == 1)
        // Unknown job.
        _ = engine.stageReplied(jobID: "zz", ticket: 1, body: ok, now: 3)
        #expect(engine.counters["stale_replies"] == 2)
        // Garbage body: counted, retried.
        let garbage = engine.stageReplied(jobID: "j1", ticket: 2, body: [Data("not json".utf8)], now: 4)
        #expect(engine.counters["bad_stage_results"] == 1)
        #expect(dispatches(garbage).isEmpty)
        #expect(dispatches(engine.tick(now: 60)) == ["b"])
    }

    /// The job as a journal gives it back: the submitted job with every change `actions` persisted applied.
    func journalled(_ submitted: Job, _ actions: [PipelineAction]) -> Job? {
        var job = submitted
        var changed = false
        for case .persist(.progressed(let progress, let attempt, let output)) in actions {
            job.apply(progress, attempt: attempt, output: output)
            changed = true
        }
        return changed ? job : nil
    }

    @Test func resumedJobContinuesAtItsStage() throws {
        var first = PipelineEngine(pipelines: pipelines)
        let submitted = try submit(&first).get().job
        let out = first.stageReplied(
            jobID: "j1", ticket: 1, body: reply(.ok(jobID: "j1", stage: "a", output: [:])),
            now: 1)
        guard let saved = journalled(submitted, out) else {
            Issue.record("nothing persisted")
            return
        }
        var restarted = PipelineEngine(pipelines: pipelines)
        #expect(dispatches(restarted.resume(saved, now: 2)) == ["b"])
    }

    /// A broker killed while a job waited out its retry back-off, and restarted after the back-off ended,
    /// dispatches the job at once. That dispatch must be live: its answer applied, its lost worker noticed.
    /// (It once kept the past `retryAt`, so the answer and the loss were both ignored as stale and the job
    /// sat leased until its stage timed out: ChaosTests, with the broker killed twice.)
    @Test func aJobResumedAfterItsBackOffTakesTheAnswerAndTheLossOfItsNextAttempt() throws {
        var first = PipelineEngine(pipelines: pipelines)
        let submitted = try submit(&first).get().job
        first.stageLeased(jobID: "j1", ticket: 1, now: 1)
        let lost = first.stageLost(jobID: "j1", ticket: 1, reason: "expired", now: 2)
        guard let saved = journalled(submitted, lost), let due = saved.retryAt else {
            Issue.record("the lost attempt was not persisted with a back-off")
            return
        }
        // Restarted after the back-off: dispatched at once, and the answer moves the job on.
        var answered = PipelineEngine(pipelines: pipelines)
        #expect(dispatches(answered.resume(saved, now: due + 5)) == ["a"])
        answered.stageLeased(jobID: "j1", ticket: saved.attemptsTotal, now: due + 5)
        let next = answered.stageReplied(
            jobID: "j1", ticket: saved.attemptsTotal,
            body: reply(.ok(jobID: "j1", stage: "a", output: [:])), now: due + 6)
        #expect(dispatches(next) == ["b"])
        #expect(answered.counters["stale_replies"] == nil)
        // Or its worker dies too: that is a loss, with a retry, not a silent wait for the timeout.
        var abandoned = PipelineEngine(pipelines: pipelines)
        _ = abandoned.resume(saved, now: due + 5)
        abandoned.stageLeased(jobID: "j1", ticket: saved.attemptsTotal, now: due + 5)
        let again = abandoned.stageLost(jobID: "j1", ticket: saved.attemptsTotal, reason: "expired", now: due + 6)
        #expect(abandoned.counters["stale_losses"] == nil)
        #expect(abandoned.activeJob("j1")?.attempt == 3, "\(again)")
        // Restarted during the back-off: it waits for the rest of it.
        var early = PipelineEngine(pipelines: pipelines)
        #expect(dispatches(early.resume(saved, now: due - 0.1)).isEmpty)
        #expect(dispatches(early.tick(now: due)) == ["a"])
    }

    @Test func pipelineValidationNamesTheProblem() {
        #expect(throws: PipelineConfigError.self) { try PipelineValidator.validate([:]) }
        #expect(throws: PipelineConfigError.self) {
            try PipelineValidator.validate(["x": PipelineDefinition(stages: [])])
        }
        #expect(throws: PipelineConfigError.self) {
            try PipelineValidator.validate(["x": PipelineDefinition("docpipe.x")])
        }
        #expect(throws: Never.self) { try PipelineValidator.validate(["default": .standard]) }
    }

    @Test func stagesDecodeFromNamesOrObjects() throws {
        let json = #"{"stages": ["a", {"service": "b", "max_attempts": 5}]}"#
        let pipeline = try JSONDecoder().decode(PipelineDefinition.self, from: Data(json.utf8))
        #expect(pipeline.stages == [StageDefinition(service: "a"), StageDefinition(service: "b", maxAttempts: 5)])
    }
}
