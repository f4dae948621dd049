public import DocProtocol

/// A document on its way through a pipeline: everything needed to resume it after a crash.
public struct Job: Codable, Sendable, Equatable {
    public var id: String
    public var documentID: String
    public var pipeline: String
    public var document: Document
    public var stages: [StageDefinition]
    /// Index into `stages` of the stage being worked on; `stages.count` once done.
    public var stageIndex: Int
    /// Attempt number of the current stage, from 1.
    public var attempt: Int
    public var attemptsTotal: Int
    public var results: [String: JSONValue]
    public var state: JobStatus.State
    public var error: ErrorBody?
    /// How each stage try ended, oldest first (bounded: the latest `Job.historyLimit`).
    public var history: [StageAttempt] = []
    /// When a retry waiting out its back-off is due (seconds since 1970); nil when not waiting.
    public var retryAt: Double?
    /// Seconds since 1970.
    public var createdAt: Double
    public var updatedAt: Double

    public static let historyLimit = 50

    public init(
        id: String, documentID: String, pipeline: String, document: Document, stages: [StageDefinition],
        stageIndex: Int, attempt: Int, attemptsTotal: Int, results: [String: JSONValue], state: JobStatus.State,
        error: ErrorBody?, history: [StageAttempt] = [], retryAt: Double? = nil, createdAt: Double, updatedAt: Double
    ) {
        self.id = id
        self.documentID = documentID
        self.pipeline = pipeline
        self.document = document
        self.stages = stages
        self.stageIndex = stageIndex
        self.attempt = attempt
        self.attemptsTotal = attemptsTotal
        self.results = results
        self.state = state
        self.error = error
        self.history = history
        self.retryAt = retryAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var currentStage: StageDefinition? { stageIndex < stages.count ? stages[stageIndex] : nil }
    public var isFinished: Bool { state == .done || state == .failed }

    public var status: JobStatus {
        JobStatus(
            jobID: id, documentID: documentID, pipeline: pipeline, state: state,
            stage: isFinished ? nil : currentStage?.service,
            stagesDone: stages.prefix(stageIndex).map(\.service), attempts: attempt,
            results: results, error: error, history: history.isEmpty ? nil : history, createdAt: createdAt,
            updatedAt: updatedAt)
    }

    mutating func record(_ attempt: StageAttempt) {
        history.append(attempt)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }

    /// Bytes of document content held in memory for this job (for the broker's memory bound).
    public var contentBytes: Int { document.content.utf8.count }

    /// The message a worker of the current stage receives.
    public var stageRequest: StageRequest? {
        guard let stage = currentStage else { return nil }
        return StageRequest(jobID: id, pipeline: pipeline, stage: stage.service, attempt: attempt,
                            document: document, results: results)
    }
}
