/// Body of a `docpipe.submit` request: one document for one named pipeline (many: `SubmitBatchRequest`).
public struct SubmitRequest: Codable, Sendable, Equatable {
    public var v: Int
    public var pipeline: String
    public var document: Document

    public init(pipeline: String = "default", document: Document) {
        self.v = ProtocolVersion.current
        self.pipeline = pipeline
        self.document = document
    }
}

/// Reply to `docpipe.submit`: 202 means the job is journalled and will not be lost.
public struct SubmitReply: Codable, Sendable, Equatable {
    public var v: Int
    public var status: StatusCode
    public var jobID: String
    public var documentID: String

    public init(jobID: String, documentID: String) {
        self.v = ProtocolVersion.current
        self.status = .accepted
        self.jobID = jobID
        self.documentID = documentID
    }

    enum CodingKeys: String, CodingKey {
        case v, status
        case jobID = "job_id"
        case documentID = "document_id"
    }
}

/// Body of a `docpipe.job` request.
public struct JobQuery: Codable, Sendable, Equatable {
    public var v: Int
    public var jobID: String

    public init(jobID: String) {
        self.v = ProtocolVersion.current
        self.jobID = jobID
    }

    enum CodingKeys: String, CodingKey {
        case v
        case jobID = "job_id"
    }
}

/// Where a job is: its state, the stage it waits on, and every stage result so far.
public struct JobStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case queued, running, done, failed
    }

    public var v: Int
    public var status: StatusCode
    public var jobID: String
    public var documentID: String
    public var pipeline: String
    public var state: State
    /// The stage being worked on, or nil once the job has finished.
    public var stage: String?
    public var stagesDone: [String]
    public var attempts: Int
    public var results: [String: JSONValue]
    public var error: ErrorBody?
    /// Every stage try that did not simply succeed first time, and every success: why a job is where it is.
    public var history: [StageAttempt]?
    /// Seconds since 1970, UTC.
    public var createdAt: Double
    public var updatedAt: Double

    public init(
        jobID: String, documentID: String, pipeline: String, state: State, stage: String?,
        stagesDone: [String], attempts: Int, results: [String: JSONValue], error: ErrorBody?,
        history: [StageAttempt]? = nil, createdAt: Double, updatedAt: Double
    ) {
        self.v = ProtocolVersion.current
        self.status = .ok
        self.jobID = jobID
        self.documentID = documentID
        self.pipeline = pipeline
        self.state = state
        self.stage = stage
        self.stagesDone = stagesDone
        self.attempts = attempts
        self.results = results
        self.error = error
        self.history = history
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case v, status, pipeline, state, stage, attempts, results, error, history
        case jobID = "job_id"
        case documentID = "document_id"
        case stagesDone = "stages_done"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// Reply to `docpipe.status`: a snapshot of the broker.
public struct BrokerStatus: Codable, Sendable, Equatable {
    /// One MDP service: its queue and the workers that serve it.
    public struct Service: Codable, Sendable, Equatable {
        public var name: String
        public var queued: Int
        public var inflight: Int
        public var workers: Int
        public var idle: Int

        public init(name: String, queued: Int, inflight: Int, workers: Int, idle: Int) {
            self.name = name
            self.queued = queued
            self.inflight = inflight
            self.workers = workers
            self.idle = idle
        }
    }

    /// Jobs the broker knows, by state, since its journal began.
    public struct JobCounts: Codable, Sendable, Equatable {
        public var accepted: Int
        public var queued: Int
        public var running: Int
        public var done: Int
        public var failed: Int

        public init(accepted: Int = 0, queued: Int = 0, running: Int = 0, done: Int = 0, failed: Int = 0) {
            self.accepted = accepted
            self.queued = queued
            self.running = running
            self.done = done
            self.failed = failed
        }
    }

    public var v: Int
    public var status: StatusCode
    public var version: String
    public var endpoint: String
    public var uptimeSeconds: Double
    public var workers: Int
    public var services: [Service]
    public var pipelines: [String: [String]]
    public var jobs: JobCounts
    /// Protocol violations and other events worth counting, by name (`bad_frame`, `bad_json`, …).
    public var counters: [String: Int]
    /// Broker-wide rates, queue and latency figures (absent from brokers before 0.2).
    public var totals: BrokerTotals?
    /// Per-stage figures for every service that has workers, queued work or history.
    public var stages: [StageStats]?
    /// Who can reach the broker and with what rights, in a sentence (absent from brokers before 0.3).
    public var access: String?
    /// `active` or `standby` (absent from brokers before 0.5, which are always active).
    public var role: BrokerRole?
    /// The lease and failover history when brokers share a PostgreSQL journal; the journal kind otherwise.
    public var failover: FailoverStatus?

    public init(
        version: String, endpoint: String, uptimeSeconds: Double, workers: Int, services: [Service],
        pipelines: [String: [String]], jobs: JobCounts, counters: [String: Int], totals: BrokerTotals? = nil,
        stages: [StageStats]? = nil, access: String? = nil, role: BrokerRole? = nil, failover: FailoverStatus? = nil
    ) {
        self.v = ProtocolVersion.current
        self.status = .ok
        self.version = version
        self.endpoint = endpoint
        self.uptimeSeconds = uptimeSeconds
        self.workers = workers
        self.services = services
        self.pipelines = pipelines
        self.jobs = jobs
        self.counters = counters
        self.totals = totals
        self.stages = stages
        self.access = access
        self.role = role
        self.failover = failover
    }

    enum CodingKeys: String, CodingKey {
        case v, status, version, endpoint, workers, services, pipelines, jobs, counters, totals, stages, access
        case role, failover
        case uptimeSeconds = "uptime_s"
    }
}

/// Whether a broker is the one serving (`active`) or waiting to take over (`standby`).
public enum BrokerRole: String, Codable, Sendable, Equatable {
    case active
    case standby
}

/// What `docpipe.status` says about failover: which journal, who holds the lease, since when, and how often
/// it changed hands.
public struct FailoverStatus: Codable, Sendable, Equatable {
    /// `log` (the data folder's journal file: one broker) or `postgres` (shared: one active, any standbys).
    public var journal: String
    /// When this broker took its current role (Unix seconds).
    public var roleSince: Double
    /// The endpoint of the broker holding the lease, as the journal last said (absent when none holds it).
    public var activeEndpoint: String?
    /// When the active broker took the lease (Unix seconds).
    public var activeSince: Double?
    /// The lease's epoch: it grows by one each time the lease changes hands (PostgreSQL only).
    public var leaseEpoch: Int?
    /// How many times the lease passed from one broker to another since the journal began.
    public var failovers: Int
    /// When that last happened (Unix seconds).
    public var lastFailoverAt: Double?

    public init(
        journal: String, roleSince: Double, activeEndpoint: String? = nil, activeSince: Double? = nil,
        leaseEpoch: Int? = nil, failovers: Int = 0, lastFailoverAt: Double? = nil
    ) {
        self.journal = journal
        self.roleSince = roleSince
        self.activeEndpoint = activeEndpoint
        self.activeSince = activeSince
        self.leaseEpoch = leaseEpoch
        self.failovers = failovers
        self.lastFailoverAt = lastFailoverAt
    }

    enum CodingKeys: String, CodingKey {
        case journal, failovers
        case roleSince = "role_since"
        case activeEndpoint = "active_endpoint"
        case activeSince = "active_since"
        case leaseEpoch = "lease_epoch"
        case lastFailoverAt = "last_failover_at"
    }
}

/// The body of any failed reply from a `docpipe.*` service.
public struct ErrorReply: Codable, Sendable, Equatable, Error {
    public var v: Int
    public var status: StatusCode
    public var reason: String
    public var message: String
    public var retryAfterMs: Int?

    public init(status: StatusCode, reason: String, message: String, retryAfterMs: Int? = nil) {
        self.v = ProtocolVersion.current
        self.status = status
        self.reason = reason
        self.message = message
        self.retryAfterMs = retryAfterMs
    }

    public init(_ error: ErrorBody) {
        self.init(status: error.code, reason: error.reason, message: error.message)
    }

    enum CodingKeys: String, CodingKey {
        case v, status, reason, message
        case retryAfterMs = "retry_after_ms"
    }
}

/// Just enough of a reply to learn its status before decoding the rest.
public struct ReplyHead: Decodable, Sendable {
    public var status: StatusCode
}
