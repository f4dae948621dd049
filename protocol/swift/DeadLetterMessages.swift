/// One try of one stage of a job: who had it, how it ended. A job's history is what an operator reads
/// to see why it ended up in the dead-letter queue.
public struct StageAttempt: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        /// The stage succeeded.
        case ok
        /// The worker answered with an error (or an unreadable result).
        case error
        /// No answer within the stage's timeout.
        case timeout
        /// The worker holding the request was lost (it disconnected, went silent or was cut off) before it
        /// answered; the error's reason is `worker_lost`.
        case lost
    }

    public var stage: String
    public var attempt: Int
    public var outcome: Outcome
    public var error: ErrorBody?
    /// Seconds since 1970, when the outcome was recorded.
    public var at: Double
    /// The worker that answered ("host:pid" for docpipe workers), when known.
    public var worker: String?
    /// How long the worker took, as it reported.
    public var durationMs: Double?

    public init(
        stage: String, attempt: Int, outcome: Outcome, error: ErrorBody? = nil, at: Double,
        worker: String? = nil, durationMs: Double? = nil
    ) {
        self.stage = stage
        self.attempt = attempt
        self.outcome = outcome
        self.error = error
        self.at = at
        self.worker = worker
        self.durationMs = durationMs
    }

    enum CodingKeys: String, CodingKey {
        case stage, attempt, outcome, error, at, worker
        case durationMs = "duration_ms"
    }
}

/// Body of a `docpipe.dlq` request: look at or act on the dead-letter queue (failed jobs).
public struct DeadLetterRequest: Codable, Sendable, Equatable {
    public enum Operation: String, Codable, Sendable, CaseIterable { case list, show, retry, drop }

    public var v: Int
    public var op: Operation
    /// The job to show, retry or drop; absent for `list`, or with `all` for `retry`/`drop`.
    public var jobID: String?
    /// `retry`/`drop` every dead letter.
    public var all: Bool?
    /// At most this many entries for `list` (default 100).
    public var limit: Int?

    public init(op: Operation, jobID: String? = nil, all: Bool? = nil, limit: Int? = nil) {
        self.v = ProtocolVersion.current
        self.op = op
        self.jobID = jobID
        self.all = all
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey {
        case v, op, all, limit
        case jobID = "job_id"
    }
}

/// Reply to `docpipe.dlq` `list`: the dead letters, oldest failure first.
public struct DeadLetterList: Codable, Sendable, Equatable {
    /// One failed job, with the reason it failed.
    public struct Entry: Codable, Sendable, Equatable {
        public var jobID: String
        public var documentID: String
        public var name: String?
        public var pipeline: String
        public var stage: String
        public var attempts: Int
        public var error: ErrorBody?
        public var failedAt: Double

        public init(
            jobID: String, documentID: String, name: String?, pipeline: String, stage: String, attempts: Int,
            error: ErrorBody?, failedAt: Double
        ) {
            self.jobID = jobID
            self.documentID = documentID
            self.name = name
            self.pipeline = pipeline
            self.stage = stage
            self.attempts = attempts
            self.error = error
            self.failedAt = failedAt
        }

        enum CodingKeys: String, CodingKey {
            case name, pipeline, stage, attempts, error
            case jobID = "job_id"
            case documentID = "document_id"
            case failedAt = "failed_at"
        }
    }

    public var v: Int
    public var status: StatusCode
    public var total: Int
    public var jobs: [Entry]

    public init(total: Int, jobs: [Entry]) {
        self.v = ProtocolVersion.current
        self.status = .ok
        self.total = total
        self.jobs = jobs
    }
}

/// Reply to `docpipe.dlq` `retry` or `drop`: which jobs were acted on.
public struct DeadLetterActionReply: Codable, Sendable, Equatable {
    public var v: Int
    public var status: StatusCode
    public var op: DeadLetterRequest.Operation
    public var jobIDs: [String]

    public init(op: DeadLetterRequest.Operation, jobIDs: [String]) {
        self.v = ProtocolVersion.current
        self.status = .ok
        self.op = op
        self.jobIDs = jobIDs
    }

    enum CodingKeys: String, CodingKey {
        case v, status, op
        case jobIDs = "job_ids"
    }
}
