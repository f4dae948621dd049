public import DocProtocol
public import Foundation

/// A job's small state after a stage try or a retry: what a `.progressed` journal entry carries.
///
/// Not the whole `Job`: a `Job` value holds a dozen references (its strings, document, outputs, history),
/// and every copy retains and releases each of them. A progress entry is copied into the loop's record
/// list, handed to the journal's writer and replayed into its mirror; as whole jobs those copies were a
/// tenth of the broker's retain/release time in the pipeline profile. The document and the earlier outputs
/// are already in the journal; the entry adds only what changed.
public struct JobProgress: Sendable, Equatable {
    public var id: String
    public var state: JobStatus.State
    public var stageIndex: Int
    public var attempt: Int
    public var attemptsTotal: Int
    public var retryAt: Double?
    public var updatedAt: Double
    public var error: ErrorBody?

    public init(_ job: Job) {
        self.init(
            id: job.id, state: job.state, stageIndex: job.stageIndex, attempt: job.attempt,
            attemptsTotal: job.attemptsTotal, retryAt: job.retryAt, updatedAt: job.updatedAt, error: job.error)
    }

    public init(
        id: String, state: JobStatus.State, stageIndex: Int, attempt: Int, attemptsTotal: Int, retryAt: Double?,
        updatedAt: Double, error: ErrorBody?
    ) {
        self.id = id
        self.state = state
        self.stageIndex = stageIndex
        self.attempt = attempt
        self.attemptsTotal = attemptsTotal
        self.retryAt = retryAt
        self.updatedAt = updatedAt
        self.error = error
    }
}

extension Job {
    /// Applies a journalled change: the new small state, the try's record, and the finished stage's output
    /// (the stage before `progress.stageIndex`, which replaces any output of that stage or later). A job that
    /// is done drops its document and outputs, as the engine does.
    public mutating func apply(_ progress: JobProgress, attempt: StageAttempt?, output: Data?) {
        state = progress.state
        stageIndex = progress.stageIndex
        self.attempt = progress.attempt
        attemptsTotal = progress.attemptsTotal
        retryAt = progress.retryAt
        updatedAt = progress.updatedAt
        error = progress.error
        if let attempt { record(attempt) }
        if let output {
            outputs.removeSubrange(min(max(0, progress.stageIndex - 1), outputs.count)...)
            outputs.append(output)
        }
        if state == .done { dropBodies() }
    }
}
