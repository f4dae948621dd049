import DocClient
import DocProtocol
import Foundation
import PostgresTesting
import ZeroMQ

/// The shared PostgreSQL journal (#13) against the embedded one, and failover, in one run.
///
/// *Journal*: the pipeline phase's 4-stage no-op pipeline (same feeder, workers and documents) at credit
/// 16 with each workers-per-stage count, once with the embedded journal (`journal.log`, fdatasync) and
/// once with `--journal postgres://…` on a throwaway PostgreSQL server on this machine (fsync on), a
/// fresh database per cell. *Failover*: two brokers on one PostgreSQL journal; while the no-op pipeline
/// runs through the active one, it is SIGKILLed; the figures are the time from the kill until the
/// standby's `docpipe.status` says `role: active`, until the first document leaves the last stage
/// through it, and until every job the killed broker had accepted has done so.
///
/// The server is started by the phase and stopped by its pid at the end, on an error and on Ctrl-C,
/// as the store phase's is.
struct JournalBenchmark {
    var documents: Int
    var workersPerStage: [Int]
    var inflight: Int
    var latencySamples: Int
    var timeoutSeconds: Int
    /// Documents through the last stage before the active broker is killed.
    var documentsBeforeKill: Int
    /// Batch sizes of `docpipe.submit` tried besides single documents, each one more cell per journal.
    var submitBatches: [Int] = []
    var credit = 16
    /// Workers per stage in the failover run.
    var failoverWorkersPerStage = 2
    /// Unfinished jobs at most while the failover run feeds the active broker.
    var failoverInflight = 256
    /// How often the standby's `docpipe.status` is asked after the kill.
    static let statusPollMs = 25
    /// New documents submitted to the new active broker once it has taken over.
    static let documentsAfterTakeover = 500

    struct Journal: Codable, Equatable {
        /// The best cell's rate.
        var documentsPerSecond: Double
        var best: PipelineBenchmark.Cell
        var latencyUnloaded: LatencySummary
        var cells: [PipelineBenchmark.Cell]

        enum CodingKeys: String, CodingKey {
            case best, cells
            case documentsPerSecond = "documents_per_second"
            case latencyUnloaded = "latency_unloaded"
        }
    }

    struct Figures: Codable, Equatable {
        var postgresVersion: String
        var durability: String
        var credit: Int
        var documentsPerCell: Int
        var inflight: Int
        var embedded: Journal
        var postgres: Journal
        /// PostgreSQL's best cell over the embedded journal's best cell.
        var postgresRatio: Double
        /// The same ratio for each workers-per-stage count ("2", "8").
        var postgresRatioByWorkers: [String: Double]
        var target: Double
        var targetMet: Bool

        enum CodingKeys: String, CodingKey {
            case durability, credit, embedded, postgres, target, inflight
            case postgresVersion = "postgres_version"
            case documentsPerCell = "documents_per_cell"
            case postgresRatio = "postgres_ratio"
            case postgresRatioByWorkers = "postgres_ratio_by_workers_per_stage"
            case targetMet = "target_met"
        }
    }

    struct Failover: Codable, Equatable {
        var credit: Int
        var workersPerStage: Int
        var inflight: Int
        /// Jobs through the last stage, and jobs accepted, before the kill.
        var doneBeforeKill: Int
        var acceptedBeforeKill: Int
        /// Accepted but not yet through the last stage when the active broker was killed.
        var unfinishedAtKill: Int
        /// Kill → the standby's `docpipe.status` says `role: active` (polled every `status_poll_ms`).
        var takeoverMs: Double
        /// Kill → the first document through the last stage served by the new active broker.
        var firstDocumentAfterKillMs: Double
        /// Kill → the last job submitted to the killed broker (accepted, or journalled with the reply lost)
        /// through the last stage via the new one. Every accepted job must come through: the run fails,
        /// naming how many are missing, when one does not.
        var resumedDoneMs: Double
        /// New documents submitted to the new active broker after the takeover (all come through).
        var documentsAfterTakeover: Int
        /// Jobs through the new broker whose submit reply the client never saw (journalled, then the kill).
        var unacknowledgedResumed: Int
        /// Jobs the last stage reported twice (at-least-once: answered to the dead broker, run again).
        var repeated: Int
        var statusPollMs: Int
        /// How soon a bench worker turned away by the standby sends READY again.
        var workerRetryMs: Int
        /// From the new active broker's status.
        var failovers: Int
        var leaseEpoch: Int?

        enum CodingKeys: String, CodingKey {
            case credit, inflight, repeated, failovers
            case workersPerStage = "workers_per_stage"
            case doneBeforeKill = "done_before_kill"
            case acceptedBeforeKill = "accepted_before_kill"
            case unfinishedAtKill = "unfinished_at_kill"
            case takeoverMs = "takeover_ms"
            case firstDocumentAfterKillMs = "first_document_after_kill_ms"
            case resumedDoneMs = "resumed_done_ms"
            case documentsAfterTakeover = "documents_after_takeover"
            case unacknowledgedResumed = "unacknowledged_resumed"
            case statusPollMs = "status_poll_ms"
            case workerRetryMs = "worker_retry_ms"
            case leaseEpoch = "lease_epoch"
        }
    }

    static let target = 5_000.0

    func run() throws -> (journal: Figures, failover: Failover) {
        say("journal: starting a throwaway PostgreSQL server (fsync on)…")
        let server: ThrowawayPostgres
        do {
            server = try ThrowawayPostgres(durable: true)
        } catch {
            throw BenchError(
                message: "journal: PostgreSQL could not be started, so the journal phase cannot run: \(error)")
        }
        let cleanup = ChildRegistry.addCleanup { server.destroy() }
        defer {
            server.destroy()
            ChildRegistry.removeCleanup(cleanup)
        }
        let version = try server.psql("SHOW server_version").trimmingCharacters(in: .whitespacesAndNewlines)

        var pipeline = PipelineBenchmark(
            documents: documents, credits: [credit], workersPerStage: workersPerStage,
            inflight: inflight, latencySamples: latencySamples,
            timeoutSeconds: timeoutSeconds, submitBatches: submitBatches)
        say("journal: the pipeline with the embedded journal…")
        let embedded = Self.journal(try pipeline.run())
        var databases = 0
        pipeline.journal = {
            databases += 1
            let name = "journal_\(databases)"
            try server.psql("CREATE DATABASE \(name)")
            return server.url(database: name)
        }
        pipeline.journalServerCpuMicros = { server.pid.map { ServerCPU.micros(postmaster: $0) } }
        say("journal: the pipeline with the PostgreSQL journal…")
        let postgres = Self.journal(try pipeline.run())

        var byWorkers: [String: Double] = [:]
        for cell in postgres.cells {
            if let base = embedded.cells.first(where: {
                $0.workersPerStage == cell.workersPerStage && $0.submitBatch == cell.submitBatch
            }), base.documentsPerSecond > 0 {
                let key = "\(cell.workersPerStage)" + (cell.submitBatch > 1 ? "/batch\(cell.submitBatch)" : "")
                byWorkers[key] = cell.documentsPerSecond / base.documentsPerSecond
            }
        }
        let figures = Figures(
            postgresVersion: version,
            durability: "PostgreSQL fsync=on, synchronous_commit=on; embedded journal fdatasync per group commit",
            credit: credit, documentsPerCell: documents, inflight: inflight, embedded: embedded, postgres: postgres,
            postgresRatio: embedded.documentsPerSecond > 0
                ? postgres.documentsPerSecond / embedded.documentsPerSecond
                : 0,
            postgresRatioByWorkers: byWorkers, target: Self.target,
            targetMet: postgres.documentsPerSecond >= Self.target)

        try server.psql("CREATE DATABASE failover")
        let failover = try measureFailover(journal: server.url(database: "failover"))
        return (figures, failover)
    }

    private static func journal(_ figures: PipelineBenchmark.Figures) -> Journal {
        Journal(
            documentsPerSecond: figures.documentsPerSecond, best: figures.best,
            latencyUnloaded: figures.latencyUnloaded, cells: figures.cells)
    }

    // MARK: - Failover

    private func measureFailover(journal: String) throws -> Failover {
        let stages = PipelineBenchmark.stages
        let config = BrokerProcess.config(stages: stages)
        say(
            "failover: two brokers on one PostgreSQL journal, \(failoverWorkersPerStage) workers/stage, "
                + "killing the active one after \(documentsBeforeKill) documents…")
        let first = try BrokerProcess(
            config: config, label: "failover-a", timeoutSeconds: timeoutSeconds,
            journal: journal)
        var brokers = [first]
        let context = Context()
        let reports = try Socket(context, .pull)
        var pool: [ChildProcess] = []
        defer {
            for worker in pool { worker.stop(graceSeconds: 1) }
            for broker in brokers { broker.stop() }
            reports.close()
        }
        try first.waitForStatus("the first broker active", timeoutSeconds: timeoutSeconds) { $0.role == .active }
        let second = try BrokerProcess(
            config: config, label: "failover-b", timeoutSeconds: timeoutSeconds,
            journal: journal)
        brokers.append(second)
        let secondClient = try DocpipeClient(broker: second.endpoint, timeoutMs: 1_000)
        guard try secondClient.status().role == .standby else {
            throw BenchError(message: "failover: the second broker on the journal is not a standby")
        }

        try reports.setLinger(milliseconds: 0)
        try reports.bind("tcp://127.0.0.1:*")
        let reportEndpoint = reports.lastEndpoint!
        for (index, stage) in stages.enumerated() {
            let last = index == stages.count - 1
            for number in 0..<failoverWorkersPerStage {
                pool.append(
                    try ChildProcess(
                        name: "noop-\(stage)-\(number)", executable: BenchPaths.bench,
                        arguments: [
                            "noop-worker", "--broker", "\(first.endpoint),\(second.endpoint)", "--service", stage,
                            "--credit", "\(credit)",
                        ] + (last ? ["--report", reportEndpoint] : []),
                        logFolder: first.folder))
            }
        }
        try first.waitForWorkers(stages, count: failoverWorkersPerStage, timeoutSeconds: timeoutSeconds)

        let client = try Socket(context, .dealer)
        defer { client.close() }
        try client.setLinger(milliseconds: 0)
        try client.setSendHighWaterMark(100_000)
        try client.setSendTimeout(milliseconds: 10_000)
        try client.connect(first.endpoint)

        var accepted = Set<String>()
        var finished = Set<String>()
        var repeated = 0
        var submitted = 0
        var killAt: UInt64 = 0
        var firstAfterKill: UInt64 = 0
        var takeoverAt: UInt64 = 0
        var lastStatusPoll: UInt64 = 0
        var acceptedAtKill = Set<String>()
        var unfinishedAtKill = 0
        var submittedAtKill = 0
        var finishedSequence: [String: UInt64] = [:]
        var doneBeforeKill = 0
        var allDoneAt: UInt64 = 0
        var lastResumedAt: UInt64 = 0
        var newDocumentsThrough = 0
        let started = monotonicNanos()
        let deadline = started + UInt64(timeoutSeconds) * 1_000_000_000
        var lastCheck = started
        var newStatus: BrokerStatus?

        // The client's second connection: once the standby has taken over, new documents go there too, so
        // documents come through the new active broker even when the kill left nothing unfinished.
        let clientB = try Socket(context, .dealer)
        defer { clientB.close() }
        try clientB.setLinger(milliseconds: 0)
        try clientB.setSendHighWaterMark(100_000)
        try clientB.setSendTimeout(milliseconds: 10_000)
        try clientB.connect(second.endpoint)
        var submittedAfter = 0

        while true {
            if killAt == 0 || takeoverAt != 0 {
                let sender = killAt == 0 ? client : clientB
                while submitted - finished.count < failoverInflight,
                    killAt == 0 || submittedAfter < Self.documentsAfterTakeover
                {
                    let document = PipelineBenchmark.document(submitted)
                    let body = try WireJSON.encode(SubmitRequest(document: document))
                    guard try sender.send(MDP.clientRequest(service: ServiceName.submit, body: [body])) else {
                        throw BenchError(message: "failover: the broker took no submit for 10 s")
                    }
                    submitted += 1
                    if killAt != 0 { submittedAfter += 1 }
                }
            }
            let readable = try poll([client, reports, clientB], timeoutMilliseconds: 5)
            if readable[2] {
                while let frames = try clientB.receive(dontWait: true) {
                    let reply = try MDP.decodeAtClient(frames)
                    guard reply.service == ServiceName.submit else { continue }
                    _ = try DocpipeClient.decodeReply(reply.body, as: SubmitReply.self)
                }
            }
            if readable[0] {
                while let frames = try client.receive(dontWait: true) {
                    let reply = try MDP.decodeAtClient(frames)
                    guard reply.service == ServiceName.submit else { continue }
                    let answer = try DocpipeClient.decodeReply(reply.body, as: SubmitReply.self)
                    // Sent by the killed broker before it died, even when it arrives after the kill.
                    accepted.insert(answer.jobID)
                }
            }
            if readable[1] {
                while let frames = try reports.receive(dontWait: true) {
                    guard frames.count >= 4, let sequence = frames[1].littleEndianUInt64,
                        let at = frames[2].littleEndianUInt64,
                        let from = frames[3].littleEndianUInt64
                    else { throw BenchError(message: "failover: malformed report from the last stage") }
                    // After the kill, a job answered to the dead broker is not through: it was not journalled.
                    guard killAt == 0 || at < killAt || from == 1 else { continue }
                    let job = String(decoding: frames[0], as: UTF8.self)
                    guard finished.insert(job).inserted else {
                        repeated += 1
                        continue
                    }
                    finishedSequence[job] = sequence
                    if killAt != 0, from == 1 {
                        if firstAfterKill == 0 || at < firstAfterKill { firstAfterKill = at }
                        if sequence < UInt64(submittedAtKill) {
                            lastResumedAt = max(lastResumedAt, at)
                        } else {
                            newDocumentsThrough += 1
                        }
                    }
                }
            }
            let now = monotonicNanos()
            if killAt == 0, finished.count >= documentsBeforeKill {
                // Mid-run: the window is full of unfinished jobs when the active broker dies.
                doneBeforeKill = finished.count
                acceptedAtKill = accepted
                unfinishedAtKill = accepted.subtracting(finished).count
                submittedAtKill = submitted
                first.killHard()
                killAt = monotonicNanos()
                say(
                    "failover: killed the active broker (pid \(first.pid)) with "
                        + "\(unfinishedAtKill) accepted jobs unfinished (\(accepted.count) accepted, \(submitted) submitted)…"
                )
                continue
            }
            if killAt != 0, takeoverAt == 0, now - lastStatusPoll >= UInt64(Self.statusPollMs) * 1_000_000 {
                lastStatusPoll = now
                if let status = try? secondClient.status(), status.role == .active {
                    takeoverAt = monotonicNanos()
                    newStatus = status
                }
            }
            if killAt != 0, allDoneAt == 0, acceptedAtKill.isSubset(of: finished) {
                allDoneAt = monotonicNanos()
            }
            // Done when every accepted job and every new document is through; the new broker resumes the
            // jobs it found unfinished in the journal before it has any new one to dispatch.
            if takeoverAt != 0, allDoneAt != 0, newDocumentsThrough >= Self.documentsAfterTakeover { break }
            if now - lastCheck > 500_000_000 {
                lastCheck = now
                for child in pool { try child.checkRunning() }
                try second.child.checkRunning()
            }
            guard now < deadline else {
                throw BenchError(
                    message: "failover: after \(timeoutSeconds) s: killed \(killAt != 0), "
                        + "standby active \(takeoverAt != 0), "
                        + "\(acceptedAtKill.subtracting(finished).count) accepted jobs not through\n"
                        + second.child.logTail())
            }
        }
        // The last resumed job's time as its last-stage worker took it (the bench's loop sees it later).
        let allDone = lastResumedAt != 0 ? lastResumedAt : firstAfterKill
        // Submitted to the killed broker, never acknowledged, yet through: journalled just before the kill.
        let resumed = finishedSequence.filter { $0.value < UInt64(submittedAtKill) && !accepted.contains($0.key) }
            .count
        func ms(_ at: UInt64) -> Double { at > killAt ? Double(at - killAt) / 1e6 : 0 }
        return Failover(
            credit: credit, workersPerStage: failoverWorkersPerStage, inflight: failoverInflight,
            doneBeforeKill: doneBeforeKill, acceptedBeforeKill: acceptedAtKill.count,
            unfinishedAtKill: unfinishedAtKill,
            takeoverMs: ms(takeoverAt), firstDocumentAfterKillMs: ms(firstAfterKill), resumedDoneMs: ms(allDone),
            documentsAfterTakeover: Self.documentsAfterTakeover,
            unacknowledgedResumed: resumed, repeated: repeated,
            statusPollMs: Self.statusPollMs, workerRetryMs: Int(NoopWorker.standbyRetryNanos / 1_000_000),
            failovers: newStatus?.failover?.failovers ?? 0, leaseEpoch: newStatus?.failover?.leaseEpoch)
    }

    private func say(_ message: String) {
        FileHandle.standardError.write(Data("docpipe-bench: \(message)\n".utf8))
    }
}

/// CPU time of a server and every process it forked (PostgreSQL's backends and background workers),
/// from /proc: the processes alive now, so a backend that exited in between is not counted.
enum ServerCPU {
    static func micros(postmaster: Int32) -> UInt64 {
        let ticks = UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1))
        var total: UInt64 = 0
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // fields[0] is state (field 3), fields[1] ppid, fields[11] / fields[12] utime / stime.
            guard fields.count > 12, let parent = Int32(fields[1]), pid == postmaster || parent == postmaster,
                let user = UInt64(fields[11]), let system = UInt64(fields[12])
            else { continue }
            total += user + system
        }
        return total * 1_000_000 / ticks
    }
}
