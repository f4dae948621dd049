import BrokerCore
import DocProtocol
import Foundation
import Logging
import ZeroMQ

/// The broker's per-thread state: state machines, journal, and the actions waiting to be carried out.
///
/// Events go in (`received`, `tick`); effects collect in `journalBatch` and `outbox`; `flush` commits the
/// journal first and only then sends, which is what makes a 202 reply a durable promise.
struct BrokerLoop {
    let configuration: BrokerConfiguration
    let journal: Journal
    let logger: Logger
    let endpoint: String
    let startedAt = Date()
    var router: RouterStateMachine
    var engine: PipelineEngine
    var counters: [String: Int] = [:]
    var metrics = BrokerMetrics()
    /// Counters saved by earlier runs; shown totals are these plus this run's (they survive restarts).
    var restoredCounters: [String: Int] = [:]
    private var nextCompactionAt = Date().addingTimeInterval(5)
    private var nextCounterSaveAt = Date().addingTimeInterval(5)
    private var journalBatch: [String: Job] = [:]
    private var journalOrder: [String] = []
    private var outbox: [(PeerID, [Data])] = []
    /// Per-peer authorization and limits, applied before the router sees a message (Security/PeerGuard).
    var peerGuard = PeerGuard()
    var peerGuardTickAt: Millis = 0
    /// Refusals of the broker's own services are logged one per kind a minute (see LogThrottle).
    var refusalLog = LogThrottle(window: 60)

    init(configuration: BrokerConfiguration, journal: Journal, logger: Logger, endpoint: String) {
        self.configuration = configuration
        self.journal = journal
        self.logger = logger
        self.endpoint = endpoint
        self.router = RouterStateMachine(heartbeat: configuration.heartbeat, limits: configuration.routerLimits)
        self.engine = PipelineEngine(pipelines: configuration.pipelines, limits: configuration.engineLimits,
                                     retryPolicy: configuration.retryPolicy)
    }

    static func now() -> Millis { Millis(DispatchTime.now().uptimeNanoseconds / 1_000_000) }

    static func wallClock() -> Double { Date().timeIntervalSince1970 }

    func millisUntilNextTick() -> Millis {
        let routerWait = router.millisUntilNextTick(now: Self.now())
        guard let engineWait = engine.secondsUntilNextTick(now: Self.wallClock()) else { return routerWait }
        return min(routerWait, Millis(engineWait * 1000))
    }

    /// Loads counters from earlier runs: stage totals go back into the metrics, the rest is a baseline.
    mutating func restoreCounters() throws {
        let saved = try journal.loadCounters()
        metrics.restore(saved)
        restoredCounters = saved.filter { !$0.key.hasPrefix("stage.") }
    }

    /// Every counter since the journal began: earlier runs' plus this run's.
    func totalCounters() -> [String: Int] {
        var all = restoredCounters
        for source in [counters, router.counters, engine.counters] { all.merge(source, uniquingKeysWith: +) }
        return all
    }

    mutating func saveCounters() {
        do {
            try journal.saveCounters(totalCounters().merging(metrics.persistentCounters, uniquingKeysWith: { $1 }))
        } catch {
            logger.error("could not save counters to the journal: \(error)")
        }
    }

    mutating func resumeUnfinishedJobs() throws {
        let jobs = try journal.unfinishedJobs()
        if !jobs.isEmpty { logger.info("resuming unfinished jobs from the journal", metadata: ["count": "\(jobs.count)"]) }
        for job in jobs { perform(engine.resume(job, now: Self.wallClock())) }
    }

    // MARK: events

    mutating func received(_ frames: [Data]) {
        guard let identity = frames.first, !identity.isEmpty else { return }
        perform(router.received(from: PeerID(identity), frames: Array(frames.dropFirst()), now: Self.now()))
    }

    mutating func tick() {
        perform(router.tick(now: Self.now()))
        perform(engine.tick(now: Self.wallClock()))
        if Date() >= nextCounterSaveAt {
            nextCounterSaveAt = Date().addingTimeInterval(5)
            saveCounters()
            metrics.retainWorkers(Set(router.workers.keys.map(\.description)))
        }
        if Date() >= nextCompactionAt {
            nextCompactionAt = Date().addingTimeInterval(60)
            do {
                let removed = try journal.compact(doneBefore: Self.wallClock() - configuration.retentionSeconds)
                if removed > 0 {
                    counters["compacted", default: 0] += removed
                    logger.info("compacted finished jobs out of the journal", metadata: ["count": "\(removed)"])
                }
            } catch {
                logger.error("journal compaction failed: \(error)")
            }
        }
    }

    // MARK: effects

    mutating func perform(_ actions: [RouterAction]) {
        for action in actions {
            switch action {
            case .send(let peer, let frames):
                outbox.append((peer, frames))
            case .stageReplied(let jobID, let ticket, let body, _):
                perform(engine.stageReplied(jobID: jobID, ticket: ticket, body: body, now: Self.wallClock()))
            case .leased(let jobID, let ticket, let worker):
                engine.stageLeased(jobID: jobID, ticket: ticket, now: Self.wallClock())
                if let service = engine.active[jobID]?.currentStage?.service {
                    metrics.stageLeased(service: service, worker: worker.description, jobID: jobID,
                                        at: Self.wallClock())
                }
            case .callInternal(let service, let client, let body, let version):
                let reply = answer(service: service, body: body)
                outbox.append((client, MDP.clientReply(service: service, body: [reply], version: version)))
            case .log(let level, let message):
                log(level, message)
            }
        }
    }

    mutating func perform(_ actions: [PipelineAction]) {
        for action in actions {
            switch action {
            case .persist(let job):
                if journalBatch.updateValue(job, forKey: job.id) == nil { journalOrder.append(job.id) }
            case .dispatch(let service, let jobID, let ticket, let body):
                perform(router.enqueue(service: service, origin: .stage(jobID: jobID, ticket: ticket), body: [body],
                                       now: Self.now()))
            case .abandon(let jobID, let ticket):
                perform(router.abandon(jobID: jobID, ticket: ticket, now: Self.now()))
            case .stageEnded(let service, let jobID, let outcome, let deadLettered):
                metrics.stageEnded(service: service, jobID: jobID, outcome: outcome, deadLettered: deadLettered,
                                   at: Self.wallClock())
            case .finished(let job):
                if job.state == .done { metrics.jobDone(createdAt: job.createdAt, at: Self.wallClock()) }
                logger.info("job \(job.state.rawValue)", metadata: [
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

    /// Commits the journal batch, then sends everything queued. Undeliverable sends feed back into the router.
    mutating func flush(to socket: Socket) throws {
        if !journalOrder.isEmpty {
            try journal.record(journalOrder.compactMap { journalBatch[$0] })
            journalBatch.removeAll(keepingCapacity: true)
            journalOrder.removeAll(keepingCapacity: true)
        }
        while !outbox.isEmpty {
            let batch = outbox
            outbox.removeAll(keepingCapacity: true)
            for (peer, frames) in batch where !Self.deliver(frames, to: peer, on: socket, counters: &counters) {
                perform(router.deliveryFailed(to: peer, now: Self.now()))
            }
            // A failed delivery may have re-queued work whose state must be journalled first.
            if !journalOrder.isEmpty {
                try journal.record(journalOrder.compactMap { journalBatch[$0] })
                journalBatch.removeAll(keepingCapacity: true)
                journalOrder.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Sends without blocking; false when the peer is gone or its queue is full.
    private static func deliver(_ frames: [Data], to peer: PeerID, on socket: Socket, counters: inout [String: Int])
        -> Bool
    {
        do {
            if try socket.send([peer.bytes] + frames, dontWait: true) { return true }
            counters["send_would_block", default: 0] += 1
        } catch {
            counters[error.isHostUnreachable ? "peer_unreachable" : "send_failed", default: 0] += 1
        }
        return false
    }

    private func log(_ level: RouterLogLevel, _ message: String) {
        switch level {
        case .debug: logger.debug("\(message)")
        case .info: logger.info("\(message)")
        case .warning: logger.warning("\(message)")
        }
    }
}
