/// What the broker sends a worker: one document at one stage of one job.
///
/// `results` holds the outputs of the stages already done, keyed by stage service name, so a stage
/// reads what it needs from earlier ones (the classifier reads `request.output(of: ExtractorOutput.self)`).
public struct StageRequest: Codable, Sendable, Equatable {
    public var v: Int
    public var jobID: String
    public var pipeline: String
    public var stage: String
    public var attempt: Int
    public var document: Document
    public var results: [String: JSONValue]

    public init(
        jobID: String, pipeline: String, stage: String, attempt: Int, document: Document,
        results: [String: JSONValue] = [:]
    ) {
        self.v = ProtocolVersion.current
        self.jobID = jobID
        self.pipeline = pipeline
        self.stage = stage
        self.attempt = attempt
        self.document = document
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case v, pipeline, stage, attempt, document, results
        case jobID = "job_id"
    }
}

/// What a worker answers: the stage's output, or an error that says whether a retry may help.
public struct StageResult: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable { case ok, error }

    public var v: Int
    public var jobID: String
    public var stage: String
    public var status: Outcome
    public var output: JSONValue?
    public var error: ErrorBody?
    public var durationMs: Double?
    public var worker: String?

    public static func ok(
        jobID: String, stage: String, output: JSONValue, durationMs: Double? = nil, worker: String? = nil
    ) -> StageResult {
        StageResult(
            jobID: jobID, stage: stage, status: .ok, output: output, error: nil,
            durationMs: durationMs, worker: worker)
    }

    public static func failure(
        jobID: String, stage: String, error: ErrorBody, durationMs: Double? = nil, worker: String? = nil
    ) -> StageResult {
        StageResult(
            jobID: jobID, stage: stage, status: .error, output: nil, error: error,
            durationMs: durationMs, worker: worker)
    }

    public init(
        jobID: String, stage: String, status: Outcome, output: JSONValue?, error: ErrorBody?,
        durationMs: Double? = nil, worker: String? = nil
    ) {
        self.v = ProtocolVersion.current
        self.jobID = jobID
        self.stage = stage
        self.status = status
        self.output = output
        self.error = error
        self.durationMs = durationMs
        self.worker = worker
    }

    enum CodingKeys: String, CodingKey {
        case v, stage, status, output, error, worker
        case jobID = "job_id"
        case durationMs = "duration_ms"
    }
}

/// An error as carried inside other messages: a status code, a short machine code, a human message.
public struct ErrorBody: Codable, Sendable, Equatable, Error {
    public var code: StatusCode
    public var reason: String
    public var message: String
    public var retryable: Bool

    public init(code: StatusCode, reason: String, message: String, retryable: Bool = false) {
        self.code = code
        self.reason = reason
        self.message = message
        self.retryable = retryable
    }
}
