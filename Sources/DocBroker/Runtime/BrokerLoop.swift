import BrokerCore
import DequeModule
import DocProtocol
import Foundation
import Logging
import ZeroMQ

/// Where the loop's sends go: the ROUTER socket in the broker, a recorder in tests.
protocol FrameSink {
    /// Sends without blocking; a counter name when the peer is gone or its queue is full, nil when sent.
    mutating func send(_ frames: [Data], to peer: PeerID) -> String?
}

/// The clocks the loop reads, injected so tests can drive time.
struct BrokerClock: Sendable {
    var monotonicMillis: @Sendable () -> Millis
    var wallSeconds: @Sendable () -> Double

    static let system = BrokerClock(
        monotonicMillis: { Millis(DispatchTime.now().uptimeNanoseconds / 1_000_000) },
        wallSeconds: { Date().timeIntervalSince1970 })
}

/// The broker's per-thread state: state machines, journal, and the actions waiting to be carried out.
///
/// Events go in (`received`, `tick`); effects collect in `records` (for the journal), `outbox` (sends that
/// need no durability: dispatches to workers, heartbeats, replies from workers) and `replies` (answers of
/// the broker's own services). `flush` hands the records to the journal, sends the outbox at once, and
/// holds each reply until the journal says everything appended before it is durable: a 202 is never sent
/// for a job that is not on disk, and no reply reports a state a crash could take back.
struct BrokerLoop {
    let configuration: BrokerConfiguration
    let journal: any JobJournal
    let logger: Logger
    let endpoint: String
    let clock: BrokerClock
    let startedAt = Date()
    var router: RouterStateMachine
    var engine: PipelineEngine
    /// Finished jobs (dead letters whole, done ones as metadata), so operator queries stay in memory.
    var archive = JobArchive()
    var counters: [String: Int] = [:]
    var metrics = BrokerMetrics()
    /// Counters saved by earlier runs; shown totals are these plus this run's (they survive restarts).
    var restoredCounters: [String: Int] = [:]
    private var nextCompactionAt: Double
    private var nextCounterSaveAt: Double
    private var records: [JournalRecord] = []
    private var outbox: [(PeerID, [Data])] = []
    /// The outbox's other buffer: `flush` swaps the two, so sending one batch while the next one fills
    /// allocates nothing (copying the outbox out and emptying it made a new array every flush).
    private var sending: [(PeerID, [Data])] = []
    private var replies: [(PeerID, [Data])] = []
    /// Replies waiting for the journal, oldest first (a ring buffer: taking the head moves it out).
    private var held: Deque<(sequence: UInt64, peer: PeerID, frames: [Data])> = []
    private var lastSequence: UInt64 = 0
    /// Per-peer authorization and limits, applied before the router sees a message (Security/PeerGuard).
    var peerGuard = PeerGuard()
    var peerGuardTickAt: Millis = 0
    /// The transport connection of each authenticated peer (CURVE only), for cutting it from the broker's side.
    var peerConnections: [PeerID: PeerConnection] = [:]
    /// Bytes of unfinished documents each client submitted (by key with CURVE, else by connection), and
    /// which client each such job came from: one client may hold at most its share of `max_job_bytes`.
    var clientJobBytes: [String: Int] = [:]
    var jobOwners: [String: (client: String, bytes: Int)] = [:]
    /// How many keys the authorized-keys folder held at the last look (CURVE only).
    var authorizedKeyCount = 0
    /// What `docpipe.status` says about the journal and failover (the lease's view with a shared journal).
    var describeFailover: @Sendable () -> FailoverStatus
    /// Refusals of the broker's own services are logged one per kind a minute (see LogThrottle).
    var refusalLog = LogThrottle(window: 60)
    #if DEBUG
        /// A submit was answered since the last flush (for `FaultInjection`).
        var submitAnswered = false
    #endif
    /// When the next "journal cannot write" line is due (0: the journal is healthy, or was at the last tick).
    private var nextOutageLogAt: Double = 0
    private var refusedBeforeOutage = 0

    init(
        configuration: BrokerConfiguration, journal: any JobJournal, logger: Logger, endpoint: String,
        clock: BrokerClock = .system
    ) {
        self.configuration = configuration
        self.journal = journal
        self.logger = logger
        self.endpoint = endpoint
        self.clock = clock
        self.router = RouterStateMachine(heartbeat: configuration.heartbeat, limits: configuration.routerLimits)
        self.engine = PipelineEngine(
            pipelines: configuration.pipelines, limits: configuration.engineLimits,
            retryPolicy: configuration.retryPolicy)
        let since = clock.wallSeconds()
        describeFailover = { FailoverStatus(journal: "log", roleSince: since) }
        nextCompactionAt = clock.wallSeconds() + 5
        nextCounterSaveAt = clock.wallSeconds() + 5
    }

    func now() -> Millis { clock.monotonicMillis() }

    func wallClock() -> Double { clock.wallSeconds() }

    func millisUntilNextTick() -> Millis {
        let routerWait = router.millisUntilNextTick(now: now())
        guard let engineWait = engine.secondsUntilNextTick(now: wallClock()) else { return routerWait }
        return min(routerWait, Millis(engineWait * 1000))
    }

    /// Messages taken from the socket in one batch at most, before `flush` sends what the batch produced.
    ///
    /// Everything a batch sends — the next stages' requests too — leaves at its end, so a long batch keeps
    /// workers waiting: at 512, a loaded batch took milliseconds, the workers went dry meanwhile, and a fifth
    /// of the machine sat idle in `make bench`'s pipeline cells with no part of it saturated. Smaller batches
    /// cost more per document (more flushes, journal wake-ups and smaller sends, for the workers too): 16 and
    /// 32 lost more than they won, 64 helped at credit 64 but not at credit 16. Paired against 512, 128 gave
    /// 1.06× docs/s at credit 64 with one worker a stage (4 pairs; idle 21 → 12 %) and 1.07× at credit 16 with
    /// two (3 pairs), the broker's CPU per document unchanged.
    static let batchMessages = 128

    /// Replies waiting for the journal.
    var heldReplies: Int { held.count }

    /// Every counter since the journal began: earlier runs' plus this run's.
    func totalCounters() -> [String: Int] {
        var all = restoredCounters
        for source in [counters, router.counters, engine.counters] { all.merge(source, uniquingKeysWith: +) }
        return all
    }

    mutating func appendRecord(_ record: JournalRecord) { records.append(record) }

    /// Queues the counter totals for the journal (they survive restarts).
    mutating func saveCounters() {
        records.append(.counters(totalCounters().merging(metrics.persistentCounters, uniquingKeysWith: { $1 })))
    }

    /// Takes what the journal read back: unfinished jobs resume, finished ones go to the archive, counters
    /// are restored.
    mutating func recover(from contents: JournalContents) {
        if contents.tornBytes > 0 {
            logger.warning(
                "cut a torn record off the end of the journal (a crash during a write)",
                metadata: ["bytes": "\(contents.tornBytes)", "journal": "\(journal.location)"])
        }
        if !contents.quarantined.isEmpty {
            let damaged = contents.quarantined.map { "\($0.bytes) bytes at \($0.offset)" }.joined(separator: ", ")
            logger.error(
                """
                the journal had damaged records between whole ones; they were moved aside and the broker starts \
                with everything else (a job whose submit record was damaged is missing; one whose progress record \
                was damaged repeats that stage)
                """,
                metadata: [
                    "journal": "\(journal.location)", "quarantine": "\(contents.quarantinePath ?? "")",
                    "damaged": "\(damaged)",
                ])
            counters["journal_records_quarantined", default: 0] += contents.quarantined.count
        }
        metrics.restore(contents.counters)
        restoredCounters = contents.counters.filter { !$0.key.hasPrefix("stage.") }
        var resumed = 0
        for job in contents.jobs {
            if job.isFinished {
                archive.add(job)
            } else {
                resumed += 1
                perform(engine.resume(job, now: wallClock()))
            }
        }
        if resumed > 0 { logger.info("resuming unfinished jobs from the journal", metadata: ["count": "\(resumed)"]) }
    }

    // MARK: events

    mutating func received(_ frames: [Data]) {
        guard let identity = frames.first, !identity.isEmpty else { return }
        perform(router.received(from: PeerID(identity), frames: Array(frames.dropFirst()), now: now()))
    }

    mutating func tick() {
        perform(router.tick(now: now()))
        perform(engine.tick(now: wallClock()))
        let wall = wallClock()
        reportJournalOutage(at: wall)
        if wall >= nextCounterSaveAt {
            nextCounterSaveAt = wall + 5
            saveCounters()
            metrics.retainWorkers(Set(router.workers.keys))
        }
        if wall >= nextCompactionAt {
            // The journal compacts its file on its own thread; the loop only forgets old done jobs in memory.
            nextCompactionAt = wall + 60
            let removed = archive.prune(doneBefore: wall - configuration.retentionSeconds)
            if removed > 0 { counters["compacted", default: 0] += removed }
        }
    }

    /// A journal that cannot write is logged when it starts failing and then once a minute, with what is
    /// waiting and what was refused; and once when it writes again.
    private mutating func reportJournalOutage(at wall: Double) {
        let refused = counters["journal_unavailable_refusals"] ?? 0
        if let outage = journal.outage {
            guard wall >= nextOutageLogAt else { return }
            if nextOutageLogAt == 0 { counters["journal_outages", default: 0] += 1 }
            nextOutageLogAt = wall + 60
            logger.error(
                "the journal cannot write; submits are refused (503 journal_unavailable) and writes are retried until the disk is back",
                metadata: [
                    "journal": "\(journal.location)", "error": "\(outage.message)",
                    "failing_for_s": "\(Int(wall - outage.since.timeIntervalSince1970))",
                    "failed_writes": "\(outage.failedWrites)", "unsynced_bytes": "\(outage.unsyncedBytes)",
                    "replies_waiting": "\(heldReplies)", "submits_refused": "\(refused - refusedBeforeOutage)",
                ])
        } else if nextOutageLogAt != 0 {
            nextOutageLogAt = 0
            logger.notice(
                "the journal writes again; accepting submits",
                metadata: [
                    "journal": "\(journal.location)", "submits_refused": "\(refused - refusedBeforeOutage)",
                ])
            refusedBeforeOutage = refused
        } else {
            refusedBeforeOutage = refused
        }
    }

    // MARK: effects

    mutating func perform(_ actions: [RouterAction]) {
        for action in actions {
            switch action {
            case .send(let peer, let frames):
                outbox.append((peer, frames))
            case .stageReplied(let jobID, let ticket, let body, _):
                perform(engine.stageReplied(jobID: jobID, ticket: ticket, body: body, now: wallClock()))
            case .leased(let jobID, let ticket, let worker):
                // The service comes back from the engine: reading it through `engine.activeJob(jobID)` copied
                // the whole job out of the table (a retain and release of each of its buffers) every stage.
                let now = wallClock()
                if let service = engine.stageLeased(jobID: jobID, ticket: ticket, now: now, worker: worker) {
                    metrics.stageLeased(service: service, at: now)
                }
            case .stageLost(let jobID, let ticket, _, let reason):
                perform(engine.stageLost(jobID: jobID, ticket: ticket, reason: reason, now: wallClock()))
            case .callInternal(let service, let client, let body, let version):
                // While the journal cannot write, nothing that changes it is accepted, so there is nothing for
                // a reply to wait for: queries and refusals go out at once (a query may then show progress
                // not yet on disk). Otherwise every reply waits until what came before it is durable.
                // The outage is read once, here: the journal's writer sets it from its own thread, and reading
                // it again after answering let a submit accepted just before an outage began send its 202 at
                // once, before its record was durable (a job lost in FailoverTests when the active broker was
                // cut off from its PostgreSQL journal).
                let outage = journal.outage
                let reply = MDP.clientReply(
                    service: service, body: [answer(service: service, body: body, from: client, outage: outage)],
                    version: version)
                if outage != nil { outbox.append((client, reply)) } else { replies.append((client, reply)) }
                #if DEBUG
                    if service == ServiceName.submit { submitAnswered = true }
                #endif
            case .log(let level, let message):
                log(level, message)
            }
        }
    }

    mutating func perform(_ actions: [PipelineAction]) {
        for action in actions {
            switch action {
            case .persist(let entry):
                records.append(.entry(entry))
            case .dispatch(let service, let jobID, let ticket, let body, let exclusive):
                perform(
                    router.enqueue(
                        service: service, origin: .stage(jobID: jobID, ticket: ticket), body: [body],
                        now: now(), exclusive: exclusive))
            case .abandon(let jobID, let ticket, let peer):
                perform(router.abandon(jobID: jobID, ticket: ticket, heldBy: peer, now: now()))
            case .stageEnded(let service, _, let outcome, let deadLettered, let answered):
                metrics.stageEnded(
                    service: service, outcome: outcome, deadLettered: deadLettered, answered: answered,
                    at: wallClock())
            case .finished(let job):
                if job.state == .done { metrics.jobDone(createdAt: job.createdAt, at: wallClock()) }
                if let owner = jobOwners.removeValue(forKey: job.id) {
                    let left = (clientJobBytes[owner.client] ?? 0) - owner.bytes
                    clientJobBytes[owner.client] = left > 0 ? left : nil
                }
                archive.add(job)
                // Per job at debug only: info-level logs must not grow with the number of documents.
                logger.debug(
                    "job \(job.state.rawValue)",
                    metadata: [
                        "job": "\(job.id)", "document": "\(job.documentID)", "pipeline": "\(job.pipeline)",
                        "error": "\(job.error?.message ?? "")",
                    ])
            case .log(let level, let message):
                log(level, message)
            }
        }
    }

    /// Queues frames for one peer, bypassing the router (the peer guard's own answers).
    mutating func send(_ frames: [Data], to peer: PeerID) { outbox.append((peer, frames)) }

    /// Hands this batch's records to the journal, sends what needs no durability at once, and sends the
    /// replies whose records are durable by now (the rest wait for `flush` after the journal's next sync).
    mutating func flush(to sink: inout some FrameSink) throws {
        #if DEBUG
            if submitAnswered, FaultInjection.active == .exitAfterSend {
                // The wrong order, on purpose: the 202 leaves, then the process dies before the journal has it.
                for (peer, frames) in replies { deliver(frames, to: peer, on: &sink) }
                Thread.sleep(forTimeInterval: 0.3) // ZeroMQ's I/O thread puts it on the wire
                FaultInjection.exit(.exitAfterSend)
            }
        #endif
        while !outbox.isEmpty || !records.isEmpty || !replies.isEmpty {
            if !records.isEmpty {
                lastSequence = journal.append(records)
                records.removeAll(keepingCapacity: true)
            }
            for (peer, frames) in replies { held.append((lastSequence, peer, frames)) }
            replies.removeAll(keepingCapacity: true)
            swap(&outbox, &sending)
            // A failed delivery may re-queue work (more sends, more records): the loop goes round again.
            for (peer, frames) in sending { deliver(frames, to: peer, on: &sink) }
            sending.removeAll(keepingCapacity: true)
        }
        let durable = journal.durableSequence
        #if DEBUG
            if submitAnswered, FaultInjection.active == .exitBeforeSend, let first = held.first,
                first.sequence <= durable
            {
                // The submit is durable and its 202 about to leave: die between the two.
                FaultInjection.exit(.exitBeforeSend)
            }
        #endif
        while let first = held.first, first.sequence <= durable {
            let reply = held.removeFirst()
            deliver(reply.frames, to: reply.peer, on: &sink)
        }
        if !outbox.isEmpty || !records.isEmpty { try flush(to: &sink) }
    }

    private mutating func deliver(_ frames: [Data], to peer: PeerID, on sink: inout some FrameSink) {
        if let failure = sink.send(frames, to: peer) {
            counters[failure, default: 0] += 1
            perform(router.deliveryFailed(to: peer, now: now()))
        }
    }

    private func log(_ level: RouterLogLevel, _ message: String) {
        switch level {
        case .debug: logger.debug("\(message)")
        case .info: logger.info("\(message)")
        case .warning: logger.warning("\(message)")
        }
    }
}

extension BrokerLoop {
    /// Journals that an operator dropped a dead letter, so it does not come back after a restart.
    mutating func journalDrop(_ jobID: String) { appendRecord(.dropped(jobID: jobID)) }
}
