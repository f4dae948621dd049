import BrokerCore
import DocProtocol
import Foundation

/// The broker's own services (`docpipe.submit`, `docpipe.job`, `docpipe.status`): JSON in, JSON out.
extension BrokerLoop {
    /// `outage` is the journal's state as the caller read it once: the caller routes the reply by the same
    /// value (see `BrokerLoop.perform`), since the writer thread may change it at any moment.
    mutating func answer(service: String, body: [Data], from client: PeerID, outage: JournalOutage?) -> Data {
        let reply: Result<Data, ErrorReply>
        if let outage, Self.changesJournal(service: service, body: body) {
            counters["journal_unavailable_refusals", default: 0] += 1
            reply = .failure(
                ErrorReply(
                    status: .busy, reason: "journal_unavailable",
                    message: "the journal at \(journal.location) cannot be written (\(outage.message)); nothing new is "
                        + "accepted until it can: free disk space or fix the disk, then try again",
                    retryAfterMs: 2000))
        } else {
            reply = answerNow(service: service, body: body, from: client)
        }
        switch reply {
        case .success(let data):
            return data
        case .failure(let error):
            counters["error_replies", default: 0] += 1
            // A saturated broker refuses thousands of submits a second (503 busy); clients retry by
            // design. One line per kind of refusal a minute, with how many were not logged.
            if let held = refusalLog.admit("\(service) \(error.status) \(error.reason)", now: wallClock()) {
                logger.warning(
                    "\(service) refused: \(error.status) \(error.reason): \(error.message)",
                    metadata: held > 0 ? ["repeats_not_logged": "\(held)"] : [:])
            }
            return (try? WireJSON.encode(error)) ?? Data(#"{"status":500}"#.utf8)
        }
    }

    /// Whether a call would journal something (a submit, a dead letter retried or dropped): refused while
    /// the journal cannot write, since its reply could not be made durable.
    static func changesJournal(service: String, body: [Data]) -> Bool {
        switch service {
        case ServiceName.submit: return true
        case ServiceName.deadLetters:
            let request = try? WireJSON.decodeMessage(DeadLetterRequest.self, from: body.first ?? Data())
            return request.map { $0.op == .retry || $0.op == .drop } ?? false
        default: return false
        }
    }

    private mutating func answerNow(service: String, body: [Data], from client: PeerID) -> Result<Data, ErrorReply> {
        let reply: Result<Data, ErrorReply>
        switch service {
        case ServiceName.submit: reply = submit(body, from: client)
        case ServiceName.job: reply = jobStatus(body)
        case ServiceName.status: reply = encode(status())
        case ServiceName.deadLetters: reply = deadLetters(body)
        case ServiceName.workers: reply = encode(workerList())
        case ServiceName.jobs: reply = jobList(body)
        case ServiceName.reload:
            switch reloadPipelines() {
            case .success: reply = encode(status())
            case .failure(let error): reply = .failure(error)
            }
        default:
            reply = .failure(
                ErrorReply(
                    status: .notFound, reason: "unknown_service",
                    message: "the broker has no service '\(service)'; it has "
                        + BrokerServices.all.sorted().joined(separator: ", ")))
        }
        return reply
    }

    /// `docpipe.submit`, one document or a batch. A batch's documents are admitted one by one, each with its
    /// own job id and its own limits, exactly as if sent alone; the loop journals every accepted one before
    /// the reply leaves.
    private mutating func submit(_ body: [Data], from client: PeerID) -> Result<Data, ErrorReply> {
        let request: SubmitBody
        do {
            request = try SubmitBody.decode(body.first ?? Data())
        } catch {
            if error.reason == "bad_json" { counters["bad_body", default: 0] += 1 }
            return .failure(error)
        }
        // One client's unfinished documents may take only its share of the memory bound, so a flood from one
        // client leaves room for the others.
        let owner = peerGuard.keyName(of: client).map { "key:\($0)" } ?? "peer:\(client)"
        switch request {
        case .single(let single, let documentJSON):
            return admit(single, documentJSON: documentJSON, owner: owner).map(\.wireBytes)
        case .batch(let batch, let documentJSON):
            // The whole batch is bounded like one document: by decoded bytes, not by its base64 on the wire.
            // Counted, not copied: `bytes` made a `Data` of every document in the batch just to take its size.
            let bytes = batch.documents.reduce(0) { $0 + ($1.byteCount ?? 0) }
            guard Int64(bytes) <= configuration.maxMessageBytes else {
                return .failure(
                    ErrorReply(
                        status: .tooLarge, reason: "too_large",
                        message: "the batch holds \(bytes) document bytes; the limit is "
                            + "\(configuration.maxMessageBytes) a request; send fewer documents"))
            }
            counters["submit_batches", default: 0] += 1
            counters["submit_batch_documents", default: 0] += batch.documents.count
            var entries: [SubmitBatchReply.Entry] = []
            for (document, json) in zip(batch.documents, documentJSON) {
                switch admit(
                    SubmitRequest(pipeline: batch.pipeline, document: document), documentJSON: json, owner: owner)
                {
                case .success(let reply): entries.append(.accepted(jobID: reply.jobID, documentID: reply.documentID))
                case .failure(let error): entries.append(.refused(error))
                }
            }
            return SubmitBatchReply.summarizing(entries).flatMap { reply in
                Result { () throws(ErrorReply) -> Data in
                    do {
                        return try reply.wireBytes()
                    } catch {
                        throw ErrorReply(status: .internalError, reason: "encode", message: "\(error)")
                    }
                }
            }
        }
    }

    /// Admits one document for the client `owner` (a key name or connection): its share of the memory bound,
    /// a fresh job id, the engine's checks. A method, not a function nested in `submit`: the nested one
    /// copied the whole loop state in and out on each call (its captures), a per cent of the loop thread.
    private mutating func admit(_ single: SubmitRequest, documentJSON: Data?, owner: String)
        -> Result<SubmitReply, ErrorReply>
    {
        let share = configuration.maxJobBytesPerClient
        let size = single.document.content.utf8.count
        let held = clientJobBytes[owner] ?? 0
        if held > 0, held + size > share {
            counters["busy_replies", default: 0] += 1
            counters["client_share_refused", default: 0] += 1
            return .failure(
                ErrorReply(
                    status: .busy, reason: "busy",
                    message: "this client's unfinished documents hold \(held >> 20) MiB, its share "
                        + "of the broker (\(share >> 20) MiB); try again shortly",
                    retryAfterMs: configuration.engineLimits.retryAfterMs))
        }
        var random = SystemRandomNumberGenerator()
        let jobID = JobID.next(using: &random) { engine.isActive($0) || archive.contains(id: $0) }
        switch engine.submit(single, documentJSON: documentJSON, jobID: jobID, now: wallClock()) {
        case .failure(let error):
            return .failure(error)
        case .success(let accepted):
            clientJobBytes[owner, default: 0] += size
            jobOwners[accepted.job.id] = (owner, size)
            perform(accepted.actions)
            metrics.jobAccepted(at: wallClock())
            return .success(SubmitReply(jobID: accepted.job.id, documentID: accepted.job.documentID))
        }
    }

    /// Re-reads the pipelines from the config file. A broken file changes nothing and says why; jobs
    /// already running keep the stages they started with. Other settings need a restart.
    mutating func reloadPipelines() -> Result<Void, ErrorReply> {
        guard let path = configuration.configPath else {
            return .failure(
                ErrorReply(
                    status: .badRequest, reason: "no_config",
                    message: "the broker was started without a config file to reload"))
        }
        do {
            let base = BrokerConfiguration(journalPath: configuration.journalPath)
            let fresh = try BrokerConfigFile.load(path: path).apply(to: base)
            engine.replacePipelines(fresh.pipelines)
            peerGuard.stageServices = Self.stageServices(of: fresh.pipelines)
            counters["reloads", default: 0] += 1
            let unserved = Set(fresh.pipelines.values.flatMap { $0.stages.map(\.service) })
                .filter { !router.hasWorkers(for: $0) }.sorted()
            logger.notice(
                "pipelines reloaded",
                metadata: [
                    "config": "\(path)", "pipelines": "\(fresh.pipelines.keys.sorted().joined(separator: ","))",
                ])
            if !unserved.isEmpty {
                logger.warning("no worker serves \(unserved.joined(separator: ", ")) yet; jobs will wait for one")
            }
            return .success(())
        } catch {
            counters["reload_failures", default: 0] += 1
            logger.error("reload refused, keeping the old pipelines: \(error)")
            return .failure(ErrorReply(status: .badRequest, reason: "bad_config", message: "\(error)"))
        }
    }

    /// `docpipe.dlq`: list, show, retry or drop failed jobs (the journal is the queue).
    private mutating func deadLetters(_ body: [Data]) -> Result<Data, ErrorReply> {
        let request: DeadLetterRequest
        do {
            request = try WireJSON.decodeMessage(DeadLetterRequest.self, from: body.first ?? Data())
        } catch {
            return .failure(ErrorReply(status: .badRequest, reason: "bad_json", message: error.description))
        }
        do {
            switch request.op {
            case .list:
                let jobs = archive.deadLettersByAge
                return encode(
                    DeadLetterList(
                        total: jobs.count,
                        jobs: jobs.prefix(max(1, request.limit ?? 100))
                            .map(Self.entry)))
            case .show:
                return encode(try deadLetter(request.jobID).status)
            case .retry:
                // Through admission like submits: the ones past the memory bounds stay dead letters; the reply
                // lists those retried (a 503 busy when none fit).
                let jobs = request.all == true ? archive.deadLettersByAge : [try deadLetter(request.jobID)]
                var retried: [String] = []
                admission: for job in jobs {
                    switch engine.retryDeadLetter(job, now: wallClock()) {
                    case .success(let actions):
                        _ = archive.removeDeadLetter(id: job.id)
                        perform(actions)
                        retried.append(job.id)
                    case .failure(let busy):
                        if retried.isEmpty { return .failure(busy) }
                        break admission
                    }
                }
                return encode(DeadLetterActionReply(op: .retry, jobIDs: retried))
            case .drop:
                let ids = request.all == true ? archive.deadLettersByAge.map(\.id) : [try deadLetter(request.jobID).id]
                for id in ids {
                    _ = archive.removeDeadLetter(id: id)
                    journalDrop(id)
                }
                return encode(DeadLetterActionReply(op: .drop, jobIDs: ids))
            }
        } catch let error as ErrorReply {
            return .failure(error)
        } catch {
            return .failure(ErrorReply(status: .internalError, reason: "journal", message: "\(error)"))
        }
    }

    private func deadLetter(_ id: String?) throws -> Job {
        guard let id else {
            throw ErrorReply(status: .badRequest, reason: "bad_request", message: "job_id is required (or all: true)")
        }
        guard let job = archive.deadLetters[id] else {
            throw ErrorReply(status: .notFound, reason: "unknown_job", message: "no dead letter '\(id)'")
        }
        return job
    }

    private static func entry(_ job: Job) -> DeadLetterList.Entry {
        DeadLetterList.Entry(
            jobID: job.id, documentID: job.documentID, name: job.name, pipeline: job.pipeline,
            stage: job.currentStage?.service ?? "-", attempts: job.attempt, error: job.error, failedAt: job.updatedAt)
    }

    private func jobStatus(_ body: [Data]) -> Result<Data, ErrorReply> {
        let query: JobQuery
        do {
            query = try WireJSON.decodeMessage(JobQuery.self, from: body.first ?? Data())
        } catch {
            return .failure(ErrorReply(status: .badRequest, reason: "bad_json", message: error.description))
        }
        if let status = engine.status(of: query.jobID) { return encode(status) }
        if let job = archive.job(id: query.jobID) { return encode(job.status) }
        return .failure(ErrorReply(status: .notFound, reason: "unknown_job", message: "no job '\(query.jobID)'"))
    }

    func status() -> BrokerStatus {
        let running = engine.leasedCount
        let unfinished = engine.activeCount
        let done = archive.done.count
        let failed = archive.deadLetters.count
        let jobs = BrokerStatus.JobCounts(
            accepted: unfinished + done + failed, queued: max(0, unfinished - running), running: running,
            done: done, failed: failed)
        let view = OperatorView(
            router: router, engine: engine, metrics: metrics, now: now(),
            wallClock: wallClock())
        return BrokerStatus(
            version: configuration.version, endpoint: endpoint,
            uptimeSeconds: Date().timeIntervalSince(startedAt), workers: router.workers.count,
            services: router.serviceSnapshots(),
            pipelines: engine.pipelines.mapValues { $0.stages.map(\.service) }, jobs: jobs,
            counters: totalCounters(), totals: view.totals(deadLetters: jobs.failed), stages: view.stages(),
            access: accessSummary, role: .active, failover: describeFailover())
    }

    func workerList() -> WorkerList {
        var view = OperatorView(
            router: router, engine: engine, metrics: metrics, now: now(),
            wallClock: wallClock())
        for peer in router.workers.keys {
            if let name = peerGuard.keyName(of: peer) { view.keyNames[peer] = name }
        }
        return view.workers()
    }

    private func jobList(_ body: [Data]) -> Result<Data, ErrorReply> {
        let request: JobListRequest
        if let data = body.first, !data.isEmpty {
            do {
                request = try WireJSON.decodeMessage(JobListRequest.self, from: data)
            } catch {
                return .failure(ErrorReply(status: .badRequest, reason: "bad_json", message: error.description))
            }
        } else {
            request = JobListRequest()
        }
        let limit = max(1, min(request.limit ?? 50, 1000))
        var candidates: [Job] = []
        if request.state == nil || request.state == .queued || request.state == .running {
            candidates += engine.activeJobs
        }
        if request.state == nil || request.state == .done { candidates += archive.done.values }
        if request.state == nil || request.state == .failed { candidates += archive.deadLetters.values }
        let entries =
            candidates
            .filter { job in
                (request.pipeline == nil || job.pipeline == request.pipeline)
                    && (request.state == nil || job.state == request.state)
            }
            .sorted { ($0.updatedAt, $0.id) > ($1.updatedAt, $1.id) }
            .prefix(limit)
            .map { job in
                JobList.Entry(
                    jobID: job.id, documentID: job.documentID, name: job.name, pipeline: job.pipeline,
                    state: job.state, stage: job.state == .done ? nil : job.currentStage?.service,
                    attempts: job.attempt, createdAt: job.createdAt, updatedAt: job.updatedAt)
            }
        return encode(JobList(jobs: Array(entries)))
    }

    private func encode(_ value: some Encodable) -> Result<Data, ErrorReply> {
        do {
            return .success(try WireJSON.encode(value))
        } catch {
            return .failure(ErrorReply(status: .internalError, reason: "encode", message: "\(error)"))
        }
    }
}
