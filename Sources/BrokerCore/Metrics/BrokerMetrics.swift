public import DocProtocol

/// Everything the operator views count: per-stage and per-worker throughput, failures and latency,
/// whole-job latency, arrival and completion rates. Pure: time comes in as seconds since 1970.
///
/// Totals (`done`, `failed`, `retried`, `dead_lettered` per stage; jobs accepted and done) are exported
/// and restored through `persistentCounters` so they survive a broker restart; rates and histograms
/// describe the running process.
public struct BrokerMetrics: Sendable {
    /// Per-stage totals and live figures.
    public struct Stage: Sendable {
        public var done = 0
        public var failed = 0
        public var retried = 0
        public var deadLettered = 0
        public var inRate = RateWindow()
        public var outRate = RateWindow()
        public var latency = LatencyRecorder()

        public init() {}
    }

    /// Per-worker figures, keyed by the worker's id; dropped when the worker goes.
    public struct Worker: Sendable {
        public var done = 0
        public var failed = 0
        public var latency = LatencyRecorder()

        public init() {}
    }

    public private(set) var stages: [String: Stage] = [:]
    public private(set) var workers: [PeerID: Worker] = [:]
    public private(set) var endToEnd = LatencyRecorder()
    public private(set) var accepted = RateWindow()
    public private(set) var finished = RateWindow()
    public private(set) var workersKnown = 0

    public init() {}

    public mutating func workerRegistered() { workersKnown += 1 }

    public mutating func jobAccepted(at now: Double) { accepted.record(at: now) }

    /// A worker took a request of this stage.
    public mutating func stageLeased(service: String, at now: Double) {
        Self.update(&stages[service, default: Stage()]) { $0.inRate.record(at: now) }
    }

    /// A stage try ended: answered (ok or error), timed out or lost with its worker. `deadLettered` when it
    /// ended the job; `answered`, the lease a worker's answer ended (from the pipeline engine, which keeps
    /// the leases), times the answer for the stage's and the worker's latency.
    public mutating func stageEnded(
        service: String, outcome: StageAttempt.Outcome, deadLettered: Bool, answered lease: StageLease? = nil,
        at now: Double
    ) {
        let answered = outcome == .ok || outcome == .error ? lease : nil
        let milliseconds = answered.map { (now - $0.since) * 1000 } ?? 0
        // Mutated in place through the dictionary: a copy out and back would copy the histograms each time.
        Self.update(&stages[service, default: Stage()]) { stage in
            if answered != nil {
                stage.latency.record(milliseconds: milliseconds)
                stage.outRate.record(at: now)
            }
            switch outcome {
            case .ok: stage.done += 1
            case .error, .timeout, .lost:
                stage.failed += 1
                if deadLettered { stage.deadLettered += 1 } else { stage.retried += 1 }
            }
        }
        if let answered {
            Self.update(&workers[answered.worker, default: Worker()]) { worker in
                worker.latency.record(milliseconds: milliseconds)
                if outcome == .ok { worker.done += 1 } else { worker.failed += 1 }
            }
        }
    }

    private static func update<Value>(_ value: inout Value, _ body: (inout Value) -> Void) { body(&value) }

    public mutating func jobDone(createdAt: Double, at now: Double) {
        finished.record(at: now)
        endToEnd.record(milliseconds: max(0, now - createdAt) * 1000)
    }

    /// Forgets workers that are no longer connected, so the table cannot grow without bound.
    public mutating func retainWorkers(_ alive: Set<PeerID>) {
        workers = workers.filter { alive.contains($0.key) }
    }

    // MARK: persistence

    /// The totals that must survive a restart, as flat counter names.
    public var persistentCounters: [String: Int] {
        var result: [String: Int] = [:]
        for (name, stage) in stages {
            result["stage.\(name).done"] = stage.done
            result["stage.\(name).failed"] = stage.failed
            result["stage.\(name).retried"] = stage.retried
            result["stage.\(name).dead_lettered"] = stage.deadLettered
        }
        return result
    }

    public mutating func restore(_ counters: [String: Int]) {
        for (key, value) in counters where key.hasPrefix("stage.") {
            let parts = key.dropFirst("stage.".count).split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 2 else { continue }
            let field = String(parts.last!)
            let name = parts.dropLast().joined(separator: ".")
            var stage = stages[name, default: Stage()]
            switch field {
            case "done": stage.done = value
            case "failed": stage.failed = value
            case "retried": stage.retried = value
            case "dead_lettered": stage.deadLettered = value
            default: continue
            }
            stages[name] = stage
        }
    }
}
