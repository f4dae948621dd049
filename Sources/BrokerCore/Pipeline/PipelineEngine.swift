public import DocProtocol
public import Foundation

/// What the pipeline engine asks its owner to do, in order.
public enum PipelineAction: Equatable, Sendable {
    /// Write the job's new state to the journal (before anything that depends on it is sent).
    case persist(Job)
    /// Queue a stage request for a service. `ticket` numbers the job's dispatches (across all
    /// stages), so a late reply to an earlier dispatch can never be taken for the current one.
    case dispatch(service: String, jobID: String, ticket: Int, body: Data)
    /// The job reached `done` or `failed`.
    case finished(Job)
    case log(RouterLogLevel, String)
}

/// Job states and stage order, with no I/O: decides what happens to a document next.
///
/// Stage delivery is at-least-once: a reply for an attempt the engine no longer waits for (a late
/// reply after a retry, a duplicate after a redelivery) is counted and ignored, so a job never
/// advances twice.
public struct PipelineEngine: Sendable {
    public private(set) var pipelines: [String: PipelineDefinition]
    public private(set) var active: [String: Job] = [:]
    public private(set) var counters: [String: Int] = [:]

    /// Documents larger than this (decoded bytes) are refused with 413 at submit.
    public let maxDocumentBytes: Int

    public init(pipelines: [String: PipelineDefinition], maxDocumentBytes: Int = 64 << 20) {
        self.pipelines = pipelines
        self.maxDocumentBytes = maxDocumentBytes
    }

    /// Swaps in new pipeline definitions; jobs already running keep the stages they started with.
    public mutating func replacePipelines(_ pipelines: [String: PipelineDefinition]) {
        self.pipelines = pipelines
    }

    /// Accepts a document, or says why not. The caller journals `.persist` before replying 202.
    public mutating func submit(_ request: SubmitRequest, jobID: String, now: Double)
        -> Result<(job: Job, actions: [PipelineAction]), ErrorReply>
    {
        guard let pipeline = pipelines[request.pipeline] else {
            let known = pipelines.keys.sorted().joined(separator: ", ")
            return .failure(ErrorReply(status: .notFound, reason: "unknown_pipeline",
                                       message: "no pipeline named '\(request.pipeline)'; known: \(known)"))
        }
        guard let bytes = request.document.bytes else {
            return .failure(ErrorReply(status: .badRequest, reason: "bad_request",
                                       message: "document content is not valid base64"))
        }
        guard !bytes.isEmpty else {
            return .failure(ErrorReply(status: .badRequest, reason: "empty_document",
                                       message: "document content is empty; nothing to process"))
        }
        guard bytes.count <= maxDocumentBytes else {
            return .failure(ErrorReply(status: .tooLarge, reason: "too_large",
                                       message: "document is \(bytes.count) bytes; the limit is \(maxDocumentBytes)"))
        }
        var document = request.document
        let documentID = document.id ?? ContentHash.documentID(for: document)
        document.id = documentID
        let job = Job(
            id: jobID, documentID: documentID, pipeline: request.pipeline, document: document,
            stages: pipeline.stages, stageIndex: 0, attempt: 1, attemptsTotal: 1, results: [:], state: .queued,
            error: nil, createdAt: now, updatedAt: now)
        active[jobID] = job
        counters["accepted", default: 0] += 1
        return .success((job, [.persist(job)] + dispatchCurrent(job)))
    }

    /// Picks up a job read back from the journal after a restart.
    public mutating func resume(_ job: Job) -> [PipelineAction] {
        guard !job.isFinished else { return [] }
        active[job.id] = job
        counters["resumed", default: 0] += 1
        return dispatchCurrent(job)
    }

    /// A worker answered a stage request.
    public mutating func stageReplied(jobID: String, ticket: Int, body: [Data], now: Double) -> [PipelineAction] {
        guard var job = active[jobID], let stage = job.currentStage, job.attemptsTotal == ticket else {
            counters["stale_replies", default: 0] += 1
            return [.log(.debug, "ignored a late or duplicate reply for job \(jobID) ticket \(ticket)")]
        }
        let result: StageResult
        do {
            result = try WireJSON.decodeMessage(StageResult.self, from: body.first ?? Data())
        } catch {
            counters["bad_stage_results", default: 0] += 1
            let failure = ErrorBody(code: .internalError, reason: "bad_stage_result",
                                    message: "worker for '\(stage.service)' sent an unreadable result: \(error)",
                                    retryable: true)
            return failStage(&job, stage: stage, error: failure, now: now)
        }
        job.updatedAt = now
        switch result.status {
        case .ok:
            job.results[stage.service] = result.output ?? .object([:])
            job.stageIndex += 1
            job.attempt = 1
            job.error = nil
            if job.currentStage == nil {
                job.state = .done
                active[jobID] = nil
                counters["done", default: 0] += 1
                return [.persist(job), .finished(job)]
            }
            job.state = .queued
            job.attemptsTotal += 1
            active[jobID] = job
            return [.persist(job)] + dispatchCurrent(job)
        case .error:
            let error = result.error
                ?? ErrorBody(code: .internalError, reason: "unspecified", message: "stage failed without an error body")
            return failStage(&job, stage: stage, error: error, now: now)
        }
    }

    /// Status of a job the engine is still working on.
    public func status(of jobID: String) -> JobStatus? { active[jobID]?.status }

    /// Marks jobs as handed to a worker (for status views); called when a dispatch leaves the queue.
    public mutating func markRunning(_ jobID: String) {
        active[jobID]?.state = .running
    }

    private mutating func failStage(_ job: inout Job, stage: StageDefinition, error: ErrorBody, now: Double)
        -> [PipelineAction]
    {
        job.updatedAt = now
        job.error = error
        if error.retryable, job.attempt < stage.maxAttempts {
            job.attempt += 1
            job.attemptsTotal += 1
            job.state = .queued
            active[job.id] = job
            counters["retried", default: 0] += 1
            return [.persist(job), .log(.warning, "job \(job.id) stage \(stage.service) attempt \(job.attempt - 1) "
                                    + "failed (\(error.reason)); retrying")] + dispatchCurrent(job)
        }
        job.state = .failed
        active[job.id] = nil
        counters["failed", default: 0] += 1
        return [.persist(job), .log(.warning, "job \(job.id) failed at \(stage.service): \(error.message)"),
                .finished(job)]
    }

    private func dispatchCurrent(_ job: Job) -> [PipelineAction] {
        guard let request = job.stageRequest, let body = try? WireJSON.encode(request) else { return [] }
        return [.dispatch(service: request.stage, jobID: job.id, ticket: job.attemptsTotal, body: body)]
    }
}
