public import DocProtocol
public import Foundation

/// What the pipeline engine asks its owner to do, in order.
/// A change to write to the journal: the journal stores deltas, so each says what changed.
public enum JournalEntry: Sendable, Equatable {
    /// A new job: its metadata and its document, written once.
    case submitted(Job)
    /// A stage try ended or a dead letter was retried: the job's new (small) state, the try's record, and
    /// the stage's output when it succeeded.
    case progressed(JobProgress, attempt: StageAttempt?, output: Data?)
}

public enum PipelineAction: Equatable, Sendable {
    /// Write this change to the journal (before any reply that depends on it is sent).
    case persist(JournalEntry)
    /// Queue a stage request for a service. `ticket` numbers the job's dispatches (across all
    /// stages), so a late reply to an earlier dispatch can never be taken for the current one.
    /// `exclusive` when the stage's last delivery was lost with its worker: it runs on a worker alone.
    case dispatch(service: String, jobID: String, ticket: Int, body: Data, exclusive: Bool)
    /// Withdraw a dispatch that timed out from the worker holding it (who is then cut off).
    case abandon(jobID: String, ticket: Int, heldBy: PeerID)
    /// The job reached `done` or `failed` (failed jobs are the dead-letter queue).
    case finished(Job)
    /// A stage try ended (for metrics): how, whether it ended the job in the dead-letter queue, and for an
    /// answered try the lease it answered (who held it since when, for latency figures).
    case stageEnded(
        service: String, jobID: String, outcome: StageAttempt.Outcome, deadLettered: Bool, answered: StageLease? = nil)
    case log(RouterLogLevel, String)
}

/// Who held a stage request and since when (seconds since 1970).
public struct StageLease: Equatable, Sendable {
    public var worker: PeerID
    public var since: Double

    public init(worker: PeerID, since: Double) {
        self.worker = worker
        self.since = since
    }
}

/// Job states and stage order, with no I/O: decides what happens to a document next.
///
/// Stage delivery is at-least-once: a reply for a dispatch the engine no longer waits for (a late
/// reply after a retry, a duplicate after a redelivery) is counted and ignored, so a job never
/// advances twice. Time is an input (`now`, seconds since 1970), so tests drive retries and timeouts.
public struct PipelineEngine: Sendable {
    public private(set) var pipelines: [String: PipelineDefinition]
    /// Unfinished jobs by id, each with the lease of its current dispatch while a worker holds it. One table,
    /// changed in place through its index: a stage costs one probe of it when leased and one when answered.
    /// (Jobs and leases were two tables, and an answered stage took the job out and put it back: the hashes
    /// of those probes, and the re-hashing a removal does along its probe run, were a fifth of the 154 hashes
    /// per document on the loop thread, counted with a probe on `Hasher._finalize`.)
    private var tracked: [String: Tracked] = [:]
    public private(set) var counters: [String: Int] = [:]
    public let limits: EngineLimits
    public let retryPolicy: RetryPolicy
    /// False while the broker drains for shutdown: submits get 503 `shutting_down`.
    public var accepting = true
    public private(set) var activeBytes = 0
    /// Jobs waiting out a retry back-off, and when each is due (the heap finds the next one).
    private var waiting: Set<String> = []
    private var retryQueue = DeadlineQueue()
    /// Deadlines of the leases, soonest first; entries of leases that ended stay until they come due.
    private var leaseQueue = DeadlineQueue()
    /// Jobs with a worker right now.
    public private(set) var leasedCount = 0

    /// An unfinished job, and the lease of its current dispatch while a worker holds it.
    struct Tracked: Sendable {
        var job: Job
        var lease: Lease?
    }

    /// A dispatch a worker holds: the time it must be answered by, and when and by whom it was taken (the
    /// metrics time answers from it).
    struct Lease: Sendable {
        var ticket: Int
        var deadline: Double
        var holder: StageLease
    }

    public init(
        pipelines: [String: PipelineDefinition], limits: EngineLimits = EngineLimits(),
        retryPolicy: RetryPolicy = RetryPolicy()
    ) {
        self.pipelines = pipelines
        self.limits = limits
        self.retryPolicy = retryPolicy
    }

    /// Swaps in new pipeline definitions; jobs already running keep the stages they started with.
    public mutating func replacePipelines(_ pipelines: [String: PipelineDefinition]) {
        self.pipelines = pipelines
    }

    // MARK: intake

    /// Accepts a document, or says why not. The caller journals `.persist` before replying 202.
    /// `documentJSON` is the document's object as the client sent it, when the request came off the wire:
    /// forwarded as it is (with the assigned `id` spliced in) instead of encoding the decoded document again.
    public mutating func submit(_ request: SubmitRequest, documentJSON: Data? = nil, jobID: String, now: Double)
        -> Result<(job: Job, actions: [PipelineAction]), ErrorReply>
    {
        guard accepting else {
            return .failure(
                ErrorReply(
                    status: .busy, reason: "shutting_down",
                    message: "the broker is shutting down; submit again when it is back",
                    retryAfterMs: limits.retryAfterMs * 4))
        }
        guard let pipeline = pipelines[request.pipeline] else {
            let known = pipelines.keys.sorted().joined(separator: ", ")
            return .failure(
                ErrorReply(
                    status: .notFound, reason: "unknown_pipeline",
                    message: "no pipeline named '\(request.pipeline)'; known: \(known)"))
        }
        // Text content is measured and hashed where it is; only base64 content is decoded to bytes.
        let decoded = request.document.encoding == .base64 ? request.document.bytes : nil
        guard request.document.encoding != .base64 || decoded != nil else {
            return .failure(
                ErrorReply(
                    status: .badRequest, reason: "bad_request",
                    message: "document content is not valid base64"))
        }
        let byteCount = decoded?.count ?? request.document.content.utf8.count
        guard byteCount > 0 else {
            return .failure(
                ErrorReply(
                    status: .badRequest, reason: "empty_document",
                    message: "document content is empty; nothing to process"))
        }
        guard byteCount <= limits.maxDocumentBytes else {
            return .failure(
                ErrorReply(
                    status: .tooLarge, reason: "too_large",
                    message: "document is \(byteCount) bytes; the limit is \(limits.maxDocumentBytes)"))
        }
        let size = request.document.content.utf8.count
        guard tracked.count < limits.maxJobs, activeBytes + size <= limits.maxJobBytes || tracked.isEmpty else {
            counters["busy_replies", default: 0] += 1
            return .failure(
                ErrorReply(
                    status: .busy, reason: "busy",
                    message: "\(tracked.count) jobs (\(activeBytes >> 20) MiB) are unfinished; "
                        + "try again shortly", retryAfterMs: limits.retryAfterMs))
        }
        var document = request.document
        let documentID =
            document.id
            ?? (decoded.map(ContentHash.documentID(of:)) ?? ContentHash.documentID(ofText: document.content))
        document.id = documentID
        // The one time the document is encoded (if at all): every stage request forwards these bytes.
        // `documentJSON` is as `SubmitBody` gives it: validated, its `id` the document's or absent.
        let forwarded = documentJSON.flatMap {
            request.document.id != nil ? $0 : DocumentBytes.insertingID($0, id: documentID)
        }
        guard let body = forwarded ?? (try? WireJSON.encode(document))
        else {
            return .failure(
                ErrorReply(status: .badRequest, reason: "bad_request", message: "document cannot be encoded"))
        }
        let job = Job(
            id: jobID, documentID: documentID, name: document.name, pipeline: request.pipeline,
            stages: pipeline.stages, documentBody: body, contentBytes: size, createdAt: now)
        track(job)
        counters["accepted", default: 0] += 1
        var actions: [PipelineAction] = []
        actions.reserveCapacity(2)
        actions.append(.persist(.submitted(job)))
        Self.dispatchCurrent(job, into: &actions)
        return .success((job, actions))
    }

    /// Picks up a job read back from the journal after a restart. A job that was waiting out a back-off
    /// keeps waiting; anything that was with a worker is dispatched again (at-least-once).
    public mutating func resume(_ job: Job, now: Double) -> [PipelineAction] {
        guard !job.isFinished else { return [] }
        var job = job
        job.state = .queued
        // A back-off that ended while the broker was down is over: clear it before dispatching, as `tick`
        // does. A dispatch with `retryAt` still set looks like a waiting job, so its answer and the loss of
        // its worker were dropped as stale and the job sat leased until its stage timed out.
        if let due = job.retryAt, due <= now { job.retryAt = nil }
        track(job)
        counters["resumed", default: 0] += 1
        if let due = job.retryAt {
            wait(job.id, until: due, ticket: job.attemptsTotal)
            return []
        }
        var actions: [PipelineAction] = []
        Self.dispatchCurrent(job, into: &actions)
        return actions
    }

    /// Puts a dead-lettered job back at the stage that failed, with a fresh attempt count. Admitted like a
    /// submit: beyond the memory bounds it is refused busy and stays a dead letter.
    public mutating func retryDeadLetter(_ job: Job, now: Double) -> Result<[PipelineAction], ErrorReply> {
        guard job.state == .failed, job.currentStage != nil else { return .success([]) }
        guard tracked.count < limits.maxJobs, activeBytes + job.heldBytes <= limits.maxJobBytes || tracked.isEmpty
        else {
            counters["busy_replies", default: 0] += 1
            return .failure(
                ErrorReply(
                    status: .busy, reason: "busy",
                    message: "\(tracked.count) jobs (\(activeBytes >> 20) MiB) are unfinished; "
                        + "retry the dead letters shortly", retryAfterMs: limits.retryAfterMs))
        }
        var job = job
        job.state = .queued
        job.attempt = 1
        job.attemptsTotal += 1
        job.error = nil
        job.retryAt = nil
        job.updatedAt = now
        track(job)
        counters["dead_letters_retried", default: 0] += 1
        var actions: [PipelineAction] = [.persist(.progressed(JobProgress(job), attempt: nil, output: nil))]
        Self.dispatchCurrent(job, into: &actions)
        return .success(actions)
    }

    // MARK: progress

    /// A worker took the dispatch: its stage timeout starts now. A dispatch already leased keeps its deadline.
    /// Returns the stage's service when the lease is new (for metrics), nil when there was nothing to lease.
    @discardableResult
    public mutating func stageLeased(jobID: String, ticket: Int, now: Double, worker: PeerID = PeerID(Data()))
        -> String?
    {
        guard let slot = tracked.index(forKey: jobID),
            let (service, deadline, fresh) = Self.lease(
                &tracked.values[slot], ticket: ticket, holder: StageLease(worker: worker, since: now), now: now)
        else { return nil }
        if fresh { leasedCount += 1 }
        leaseQueue.insert(.init(deadline: deadline, jobID: jobID, ticket: ticket))
        // Ended leases leave their entries behind; rebuild before they outnumber the live ones by far.
        if leaseQueue.count > 4 * leasedCount + 4096 {
            leaseQueue = DeadlineQueue()
            for entry in tracked.values {
                guard let lease = entry.lease else { continue }
                leaseQueue.insert(.init(deadline: lease.deadline, jobID: entry.job.id, ticket: lease.ticket))
            }
        }
        return service
    }

    /// Leases the job's current dispatch `ticket` (changed where it is held: a copy of the job would retain
    /// and release each of its buffers). Gives the stage's service, the deadline, and whether the job had no
    /// lease before; nil when `ticket` is not the job's current dispatch or is leased already.
    private static func lease(_ entry: inout Tracked, ticket: Int, holder: StageLease, now: Double)
        -> (service: String, deadline: Double, fresh: Bool)?
    {
        guard entry.job.attemptsTotal == ticket, let stage = entry.job.currentStage, entry.lease?.ticket != ticket
        else { return nil }
        entry.job.state = .running
        let deadline = now + Double(stage.timeoutMs) / 1000
        let fresh = entry.lease == nil
        entry.lease = Lease(ticket: ticket, deadline: deadline, holder: holder)
        return (stage.service, deadline, fresh)
    }

    /// A worker answered a stage request.
    public mutating func stageReplied(jobID: String, ticket: Int, body: [Data], now: Double) -> [PipelineAction] {
        // The job is changed where it is held (`tracked.values[slot]`): a copy of it would make appending to
        // its history and outputs copy both arrays.
        guard let slot = tracked.index(forKey: jobID), let stage = Self.awaitedStage(&tracked.values[slot], ticket)
        else { return staleReply(jobID: jobID, ticket: ticket) }
        let result: RawStageResult
        do {
            result = try RawStageResult.parse(body.first ?? Data())
        } catch {
            let answered = endLease(at: slot, ticket: ticket)
            counters["bad_stage_results", default: 0] += 1
            let failure = ErrorBody(
                code: .internalError, reason: "bad_stage_result",
                message: "worker for '\(stage.service)' sent an unreadable result: \(error)",
                retryable: true)
            var job = removeEntry(at: slot).job
            return failStage(&job, stage: stage, error: failure, outcome: .error, now: now, answered: answered)
        }
        guard result.jobID == jobID else {
            // A result for another job under this request's address: never applied. The lease stays, so
            // the stage times out and runs again if no right answer comes.
            counters["mismatched_reply", default: 0] += 1
            return [
                .log(
                    .warning,
                    "a worker for '\(stage.service)' answered job \(jobID)'s request with a result "
                        + "for job \(result.jobID); dropped")
            ]
        }
        let answered = endLease(at: slot, ticket: ticket)
        switch result.status {
        case .ok:
            // One array for all three (`[…] + dispatchCurrent(job)` allocated three).
            var actions: [PipelineAction] = []
            actions.reserveCapacity(3)
            let (heldChange, done) = Self.advance(
                &tracked.values[slot], past: stage, result: result, now: now, answered: answered, into: &actions)
            activeBytes += heldChange // its output now counts against the memory bound too
            if done {
                let job = removeEntry(at: slot).job
                waiting.remove(jobID)
                counters["done", default: 0] += 1
                actions.append(.finished(job))
            }
            return actions
        case .error:
            let error =
                result.error
                ?? ErrorBody(code: .internalError, reason: "unspecified", message: "stage failed without an error body")
            var job = removeEntry(at: slot).job
            return failStage(
                &job, stage: stage, error: error, outcome: .error, now: now, worker: result.worker,
                durationMs: result.durationMs, answered: answered)
        }
    }

    /// The stage whose answer `ticket` would be, when the job waits for exactly that (not for another dispatch,
    /// not out a back-off).
    private static func awaitedStage(_ entry: inout Tracked, _ ticket: Int) -> StageDefinition? {
        guard entry.job.attemptsTotal == ticket, entry.job.retryAt == nil else { return nil }
        return entry.job.currentStage
    }

    /// Moves the job past a stage that succeeded: records the try, keeps the output, and appends the metrics
    /// note, the journal entry and the next stage's dispatch (none when that was the last stage). Gives the
    /// change in the bytes the job holds, and whether it is done.
    private static func advance(
        _ entry: inout Tracked, past stage: StageDefinition, result: RawStageResult, now: Double,
        answered: StageLease?, into actions: inout [PipelineAction]
    ) -> (heldChange: Int, done: Bool) {
        let heldBefore = entry.job.heldBytes
        entry.job.updatedAt = now
        entry.job.record(
            StageAttempt(
                stage: stage.service, attempt: entry.job.attempt, outcome: .ok, at: now,
                worker: result.worker, durationMs: result.durationMs))
        actions.append(
            .stageEnded(
                service: stage.service, jobID: entry.job.id, outcome: .ok, deadLettered: false, answered: answered))
        let output = result.output ?? Data("{}".utf8)
        entry.job.outputs.removeSubrange(min(entry.job.stageIndex, entry.job.outputs.count)...)
        // Room for every stage's output at once: one allocation, not three.
        if entry.job.outputs.isEmpty { entry.job.outputs.reserveCapacity(entry.job.stages.count) }
        entry.job.outputs.append(output)
        entry.job.stageIndex += 1
        entry.job.attempt = 1
        entry.job.error = nil
        let attempt = entry.job.history.last
        let done = entry.job.currentStage == nil
        if done {
            entry.job.state = .done
        } else {
            entry.job.state = .queued
            entry.job.attemptsTotal += 1
        }
        actions.append(.persist(.progressed(JobProgress(entry.job), attempt: attempt, output: output)))
        if !done { dispatchCurrent(entry.job, into: &actions) }
        return (entry.job.heldBytes - heldBefore, done)
    }

    /// The worker holding this dispatch was lost before it answered (it crashed, disconnected, went silent or
    /// was cut off). That is a failed attempt like an error: journalled, retried with back-off — on a worker
    /// of its own, so a document that kills its worker cannot take other documents down with it twice — and
    /// after the stage's `max_attempts` the job is dead-lettered with reason `worker_lost`.
    public mutating func stageLost(jobID: String, ticket: Int, reason: String, now: Double) -> [PipelineAction] {
        guard let slot = tracked.index(forKey: jobID), let stage = Self.awaitedStage(&tracked.values[slot], ticket)
        else {
            counters["stale_losses", default: 0] += 1
            return []
        }
        var job = removeEntry(at: slot).job
        counters["workers_lost", default: 0] += 1
        let error = ErrorBody(
            code: .busy, reason: "worker_lost",
            message: "the worker holding the document for '\(stage.service)' was lost before it "
                + "answered: \(reason)", retryable: true)
        return failStage(&job, stage: stage, error: error, outcome: .lost, now: now)
    }

    /// Time passed: dispatch retries whose back-off is over, and time out stages held too long.
    public mutating func tick(now: Double) -> [PipelineAction] {
        var actions: [PipelineAction] = []
        while let entry = retryQueue.popDue(now: now) {
            guard waiting.contains(entry.jobID), let slot = tracked.index(forKey: entry.jobID),
                Self.endBackOff(&tracked.values[slot], ticket: entry.ticket, now: now)
            else { continue }
            waiting.remove(entry.jobID)
            Self.dispatchCurrent(tracked.values[slot].job, into: &actions)
        }
        while let entry = leaseQueue.popDue(now: now) {
            let jobID = entry.jobID
            guard let slot = tracked.index(forKey: jobID), let lease = tracked.values[slot].lease,
                lease.ticket == entry.ticket, lease.deadline <= now
            else { continue }
            _ = endLease(at: slot, ticket: lease.ticket)
            guard tracked.values[slot].job.attemptsTotal == lease.ticket,
                let stage = tracked.values[slot].job.currentStage
            else { continue }
            var job = removeEntry(at: slot).job
            counters["timeouts", default: 0] += 1
            let error = ErrorBody(
                code: StatusCode(504), reason: "timeout",
                message: "no answer from '\(stage.service)' within \(stage.timeoutMs) ms",
                retryable: true)
            actions.append(.abandon(jobID: jobID, ticket: lease.ticket, heldBy: lease.holder.worker))
            actions += failStage(&job, stage: stage, error: error, outcome: .timeout, now: now)
        }
        return actions
    }

    // MARK: queries

    /// Whether the engine is working on this job (without copying the job out).
    public func isActive(_ jobID: String) -> Bool { tracked.index(forKey: jobID) != nil }

    /// How many jobs the engine is working on.
    public var activeCount: Int { tracked.count }

    /// A job the engine is working on.
    public func activeJob(_ jobID: String) -> Job? { tracked[jobID]?.job }

    /// Every job the engine is working on, in no particular order.
    public var activeJobs: [Job] { tracked.values.map(\.job) }

    /// Status of a job the engine is still working on.
    public func status(of jobID: String) -> JobStatus? { tracked[jobID]?.job.status }

    /// Seconds until `tick` has something to do (nil when nothing waits).
    ///
    /// Entries left behind by leases that already ended may make this early; `tick` then finds nothing to do.
    public func secondsUntilNextTick(now: Double) -> Double? {
        // Asked before every poll: no array built for two values.
        let due = min(retryQueue.earliest?.deadline ?? .infinity, leaseQueue.earliest?.deadline ?? .infinity)
        return due.isFinite ? max(0, due - now) : nil
    }

    // MARK: internals

    private mutating func failStage(
        _ job: inout Job, stage: StageDefinition, error: ErrorBody, outcome: StageAttempt.Outcome, now: Double,
        worker: String? = nil, durationMs: Double? = nil, answered: StageLease? = nil
    ) -> [PipelineAction] {
        job.updatedAt = now
        job.error = error
        job.record(
            StageAttempt(
                stage: stage.service, attempt: job.attempt, outcome: outcome, error: error, at: now,
                worker: worker, durationMs: durationMs))
        let willRetry = error.retryable && job.attempt < stage.maxAttempts
        let ended = PipelineAction.stageEnded(
            service: stage.service, jobID: job.id, outcome: outcome, deadLettered: !willRetry, answered: answered)
        if willRetry {
            let delay = retryPolicy.delay(after: job.attempt, jobID: job.id)
            job.attempt += 1
            job.attemptsTotal += 1
            job.state = .queued
            job.retryAt = now + delay
            track(job)
            wait(job.id, until: now + delay, ticket: job.attemptsTotal)
            counters["retried", default: 0] += 1
            return [
                ended, .persist(.progressed(JobProgress(job), attempt: job.history.last, output: nil)),
                .log(
                    .warning,
                    "job \(job.id) stage \(stage.service) attempt \(job.attempt - 1) "
                        + "failed (\(error.reason)); retrying in \(Int(delay * 1000)) ms"),
            ]
        }
        job.state = .failed
        waiting.remove(job.id)
        counters["dead_lettered", default: 0] += 1
        return [
            ended, .persist(.progressed(JobProgress(job), attempt: job.history.last, output: nil)),
            .log(
                .warning,
                "job \(job.id) dead-lettered at \(stage.service) after "
                    + "\(job.attempt) attempt(s): \(error.message)"), .finished(job),
        ]
    }

    private mutating func staleReply(jobID: String, ticket: Int) -> [PipelineAction] {
        counters["stale_replies", default: 0] += 1
        return [.log(.debug, "ignored a late or duplicate reply for job \(jobID) ticket \(ticket)")]
    }

    /// Starts tracking a job (new, resumed or retried from the dead letters), with no lease.
    private mutating func track(_ job: Job) {
        let held = job.heldBytes
        if let previous = tracked.updateValue(Tracked(job: job), forKey: job.id) {
            activeBytes -= previous.job.heldBytes
            if previous.lease != nil { leasedCount -= 1 }
        }
        activeBytes += held
    }

    /// Stops tracking a job (it finished, or `failStage` decides what becomes of it): the byte and lease
    /// counts follow.
    private mutating func removeEntry(at slot: [String: Tracked].Index) -> Tracked {
        let entry = tracked.remove(at: slot).value
        activeBytes -= entry.job.heldBytes
        if entry.lease != nil { leasedCount -= 1 }
        return entry
    }

    /// Ends the job's lease, whichever dispatch it was for; gives who held it when that was `ticket`.
    private mutating func endLease(at slot: [String: Tracked].Index, ticket: Int) -> StageLease? {
        guard let lease = Self.takeLease(&tracked.values[slot]) else { return nil }
        leasedCount -= 1
        return lease.ticket == ticket ? lease.holder : nil
    }

    private static func takeLease(_ entry: inout Tracked) -> Lease? {
        defer { entry.lease = nil }
        return entry.lease
    }

    /// Ends a back-off that is over, when `ticket` is still the job's dispatch; says whether it did.
    private static func endBackOff(_ entry: inout Tracked, ticket: Int, now: Double) -> Bool {
        guard entry.job.attemptsTotal == ticket, let due = entry.job.retryAt, due <= now else { return false }
        entry.job.retryAt = nil
        return true
    }

    private mutating func wait(_ jobID: String, until due: Double, ticket: Int) {
        waiting.insert(jobID)
        retryQueue.insert(.init(deadline: due, jobID: jobID, ticket: ticket))
    }

    private static func dispatchCurrent(_ job: Job, into actions: inout [PipelineAction]) {
        guard let stage = job.currentStage, let body = job.stageRequestBody else { return }
        let exclusive = job.history.last.map { $0.outcome == .lost && $0.stage == stage.service } ?? false
        actions.append(
            .dispatch(
                service: stage.service, jobID: job.id, ticket: job.attemptsTotal, body: body,
                exclusive: exclusive))
    }
}
