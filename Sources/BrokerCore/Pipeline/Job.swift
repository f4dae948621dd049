public import DocProtocol
public import Foundation

/// A document on its way through a pipeline: everything needed to resume it after a crash.
///
/// The document and the stage outputs are held as the JSON bytes they arrived as (`documentBody` encoded
/// once at submit, `outputs` as each worker sent them); the next stage's request is assembled from those
/// bytes (`stageRequestBody`), so the broker never re-parses or re-encodes them. `document` and `results`
/// decode them for the rare readers that want values (operators, tests).
public struct Job: Sendable, Equatable {
    public var id: String
    public var documentID: String
    /// The document's file name, if the submitter gave one (for operator listings).
    public var name: String?
    public var pipeline: String
    public var stages: [StageDefinition]
    /// Index into `stages` of the stage being worked on; `stages.count` once done.
    public var stageIndex: Int
    /// Attempt number of the current stage, from 1.
    public var attempt: Int
    public var attemptsTotal: Int
    public var state: JobStatus.State
    public var error: ErrorBody?
    /// How each stage try ended, oldest first (bounded: the latest `Job.historyLimit`).
    public var history: [StageAttempt] = []
    /// When a retry waiting out its back-off is due (seconds since 1970); nil when not waiting.
    public var retryAt: Double?
    /// Seconds since 1970.
    public var createdAt: Double
    public var updatedAt: Double
    /// The `Document` as JSON (its `id` filled in); empty once the job is done and its body dropped.
    public var documentBody: Data
    /// The output of each finished stage, in stage order (`outputs[i]` belongs to `stages[i]`), as raw JSON.
    public var outputs: [Data] = []
    /// Bytes of document content held for this job (for the broker's memory bound).
    public var contentBytes: Int

    public static let historyLimit = 50

    public init(
        id: String, documentID: String, name: String?, pipeline: String, stages: [StageDefinition],
        documentBody: Data, contentBytes: Int, createdAt: Double
    ) {
        self.id = id
        self.documentID = documentID
        self.name = name
        self.pipeline = pipeline
        self.stages = stages
        self.stageIndex = 0
        self.attempt = 1
        self.attemptsTotal = 1
        self.state = .queued
        self.error = nil
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.documentBody = documentBody
        self.contentBytes = contentBytes
    }

    /// A job for a decoded document (its id must be set): for tests and tools; the broker encodes once at submit.
    public init(id: String, pipeline: String, document: Document, stages: [StageDefinition], createdAt: Double) {
        self.init(
            id: id, documentID: document.id ?? ContentHash.documentID(for: document), name: document.name,
            pipeline: pipeline, stages: stages, documentBody: (try? WireJSON.encode(document)) ?? Data(),
            contentBytes: document.content.utf8.count, createdAt: createdAt)
    }

    public var currentStage: StageDefinition? { stageIndex < stages.count ? stages[stageIndex] : nil }

    /// What the job makes the broker hold, for its memory bound: the document's content and every stage
    /// output kept for the stages after it.
    public var heldBytes: Int { contentBytes + outputs.reduce(0) { $0 + $1.count } }
    public var isFinished: Bool { state == .done || state == .failed }

    /// The document, decoded (nil once its body was dropped).
    public var document: Document? { try? WireJSON.decode(Document.self, from: documentBody) }

    /// The finished stages' outputs by service name, decoded.
    public var results: [String: JSONValue] {
        var results: [String: JSONValue] = [:]
        for (index, output) in outputs.enumerated() where index < stages.count {
            results[stages[index].service] = (try? WireJSON.decode(JSONValue.self, from: output)) ?? .object([:])
        }
        return results
    }

    public var status: JobStatus {
        JobStatus(
            jobID: id, documentID: documentID, pipeline: pipeline, state: state,
            stage: isFinished ? nil : currentStage?.service,
            stagesDone: stages.prefix(stageIndex).map(\.service), attempts: attempt,
            results: results, error: error, history: history.isEmpty ? nil : history, createdAt: createdAt,
            updatedAt: updatedAt)
    }

    public mutating func record(_ attempt: StageAttempt) {
        // Room for one try per stage at the first: growing 1, 2, 4 was three allocations per document.
        if history.isEmpty { history.reserveCapacity(min(stages.count, Self.historyLimit)) }
        history.append(attempt)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }

    /// The body of the message a worker of the current stage receives, assembled from held bytes.
    public var stageRequestBody: Data? {
        guard let stage = currentStage else { return nil }
        var results: [(String, Data)] = []
        results.reserveCapacity(min(outputs.count, stageIndex))
        for (index, output) in outputs.prefix(stageIndex).enumerated() {
            // A service that appears twice in a pipeline shows its latest output, as `results` always has.
            if let earlier = results.firstIndex(where: { $0.0 == stages[index].service }) {
                results[earlier].1 = output
            } else {
                results.append((stages[index].service, output))
            }
        }
        return StageRequestBytes.assemble(
            jobID: id, pipeline: pipeline, stage: stage.service, attempt: attempt,
            document: documentBody, results: results)
    }

    /// Lets go of the document and outputs (a done job keeps only its metadata).
    public mutating func dropBodies() {
        documentBody = Data()
        outputs = []
    }
}
