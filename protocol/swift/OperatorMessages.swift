/// Latency percentiles from a histogram (HdrHistogram), in milliseconds — never an average of averages.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: Int
    public var p50: Double
    public var p95: Double
    public var p99: Double
    public var max: Double

    public init(count: Int, p50: Double, p95: Double, p99: Double, max: Double) {
        self.count = count
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }
}

/// One pipeline stage (MDP service) as an operator sees it in `docpipe status`.
public struct StageStats: Codable, Sendable, Equatable {
    public var service: String
    public var queued: Int
    public var inflight: Int
    /// Age in seconds of the oldest request waiting for this stage, if any.
    public var oldestQueuedS: Double?
    /// Requests handed to this stage's workers per second, over the last minute.
    public var inPerS: Double
    /// Replies from this stage's workers per second, over the last minute.
    public var outPerS: Double
    /// Totals since the journal began (they survive broker restarts).
    public var done: Int
    public var failed: Int
    public var retried: Int
    public var deadLettered: Int
    public var workers: Int
    /// Lease → reply latency of this stage's workers.
    public var latencyMs: LatencySummary?

    public init(
        service: String, queued: Int, inflight: Int, oldestQueuedS: Double?, inPerS: Double, outPerS: Double,
        done: Int, failed: Int, retried: Int, deadLettered: Int, workers: Int, latencyMs: LatencySummary?
    ) {
        self.service = service
        self.queued = queued
        self.inflight = inflight
        self.oldestQueuedS = oldestQueuedS
        self.inPerS = inPerS
        self.outPerS = outPerS
        self.done = done
        self.failed = failed
        self.retried = retried
        self.deadLettered = deadLettered
        self.workers = workers
        self.latencyMs = latencyMs
    }

    enum CodingKeys: String, CodingKey {
        case service, queued, inflight, done, failed, retried, workers
        case oldestQueuedS = "oldest_queued_s"
        case inPerS = "in_per_s"
        case outPerS = "out_per_s"
        case deadLettered = "dead_lettered"
        case latencyMs = "latency_ms"
    }
}

/// The broker-wide figures at the top of `docpipe status`.
public struct BrokerTotals: Codable, Sendable, Equatable {
    /// Documents accepted per second over the last minute.
    public var inPerS: Double
    /// Jobs finished (done) per second over the last minute.
    public var outPerS: Double
    public var queued: Int
    public var deadLetters: Int
    public var oldestQueuedS: Double?
    /// Workers that have ever registered since the broker started (alive ones are `BrokerStatus.workers`).
    public var workersKnown: Int
    /// Submit → done latency of whole jobs.
    public var endToEndMs: LatencySummary?

    public init(
        inPerS: Double, outPerS: Double, queued: Int, deadLetters: Int, oldestQueuedS: Double?,
        workersKnown: Int, endToEndMs: LatencySummary?
    ) {
        self.inPerS = inPerS
        self.outPerS = outPerS
        self.queued = queued
        self.deadLetters = deadLetters
        self.oldestQueuedS = oldestQueuedS
        self.workersKnown = workersKnown
        self.endToEndMs = endToEndMs
    }

    enum CodingKeys: String, CodingKey {
        case queued
        case inPerS = "in_per_s"
        case outPerS = "out_per_s"
        case deadLetters = "dead_letters"
        case oldestQueuedS = "oldest_queued_s"
        case workersKnown = "workers_known"
        case endToEndMs = "end_to_end_ms"
    }
}

/// What a docpipe worker says about itself when it registers (an optional extra READY frame; plain MDP
/// workers omit it).
public struct WorkerIdentity: Codable, Sendable, Equatable {
    public var host: String?
    public var pid: Int?
    public var version: String?
    /// How many requests the worker holds at once (credit-based flow control); absent means 1, as in
    /// plain MDP. The broker caps what it honours at `WorkerIdentity.maxCredit`.
    public var credit: Int?

    /// The most requests the broker keeps outstanding with one worker, whatever it advertises.
    public static let maxCredit = 1024

    public init(host: String?, pid: Int?, version: String?, credit: Int? = nil) {
        self.host = host
        self.pid = pid
        self.version = version
        self.credit = credit
    }
}

/// Reply to `docpipe.workers`: every connected worker. Expired workers are gone from the list.
public struct WorkerList: Codable, Sendable, Equatable {
    /// One connected worker.
    public struct Worker: Codable, Sendable, Equatable {
        public enum State: String, Codable, Sendable { case idle, busy, stale }

        public var id: String
        public var service: String
        public var host: String?
        public var pid: Int?
        public var version: String?
        /// "MDP/0.1" or "MDP/0.2".
        public var protocolVersion: String
        public var state: State
        /// Seconds since the broker last heard from it.
        public var lastHeartbeatS: Double
        /// Requests it holds now, at most `credit`.
        public var inflight: Int
        /// How many requests the broker keeps outstanding with it (its advertised credit, clamped; 1 for
        /// plain MDP workers). Nil from a broker that predates the field.
        public var credit: Int?
        public var done: Int
        public var failed: Int
        public var latencyMs: LatencySummary?
        public var uptimeS: Double
        /// The name of the CURVE key the worker authenticated with, when the broker uses CURVE.
        public var key: String?

        public init(
            id: String, service: String, host: String?, pid: Int?, version: String?, protocolVersion: String,
            state: State, lastHeartbeatS: Double, inflight: Int, credit: Int? = nil, done: Int, failed: Int,
            latencyMs: LatencySummary?, uptimeS: Double, key: String? = nil
        ) {
            self.id = id
            self.service = service
            self.host = host
            self.pid = pid
            self.version = version
            self.protocolVersion = protocolVersion
            self.state = state
            self.lastHeartbeatS = lastHeartbeatS
            self.inflight = inflight
            self.credit = credit
            self.done = done
            self.failed = failed
            self.latencyMs = latencyMs
            self.uptimeS = uptimeS
            self.key = key
        }

        enum CodingKeys: String, CodingKey {
            case id, service, host, pid, version, state, inflight, credit, done, failed, key
            case protocolVersion = "protocol"
            case lastHeartbeatS = "last_heartbeat_s"
            case latencyMs = "latency_ms"
            case uptimeS = "uptime_s"
        }
    }

    public var v: Int
    public var status: StatusCode
    public var workers: [Worker]

    public init(workers: [Worker]) {
        self.v = ProtocolVersion.current
        self.status = .ok
        self.workers = workers
    }
}

/// Body of a `docpipe.jobs` request: recent and in-flight jobs, optionally filtered.
public struct JobListRequest: Codable, Sendable, Equatable {
    public var v: Int
    public var state: JobStatus.State?
    public var pipeline: String?
    public var limit: Int?

    public init(state: JobStatus.State? = nil, pipeline: String? = nil, limit: Int? = nil) {
        self.v = ProtocolVersion.current
        self.state = state
        self.pipeline = pipeline
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey { case v, state, pipeline, limit }

    /// Every field is optional, `v` included, so `{}` means "recent jobs, no filter".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        v = try c.decodeIfPresent(Int.self, forKey: .v) ?? ProtocolVersion.current
        state = try c.decodeIfPresent(JobStatus.State.self, forKey: .state)
        pipeline = try c.decodeIfPresent(String.self, forKey: .pipeline)
        limit = try c.decodeIfPresent(Int.self, forKey: .limit)
    }
}

/// Reply to `docpipe.jobs`: newest first.
public struct JobList: Codable, Sendable, Equatable {
    /// One job, in brief.
    public struct Entry: Codable, Sendable, Equatable {
        public var jobID: String
        public var documentID: String
        public var name: String?
        public var pipeline: String
        public var state: JobStatus.State
        public var stage: String?
        public var attempts: Int
        public var createdAt: Double
        public var updatedAt: Double

        public init(
            jobID: String, documentID: String, name: String?, pipeline: String, state: JobStatus.State,
            stage: String?, attempts: Int, createdAt: Double, updatedAt: Double
        ) {
            self.jobID = jobID
            self.documentID = documentID
            self.name = name
            self.pipeline = pipeline
            self.state = state
            self.stage = stage
            self.attempts = attempts
            self.createdAt = createdAt
            self.updatedAt = updatedAt
        }

        enum CodingKeys: String, CodingKey {
            case name, pipeline, state, stage, attempts
            case jobID = "job_id"
            case documentID = "document_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    public var v: Int
    public var status: StatusCode
    public var jobs: [Entry]

    public init(jobs: [Entry]) {
        self.v = ProtocolVersion.current
        self.status = .ok
        self.jobs = jobs
    }
}
