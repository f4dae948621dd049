import DocProtocol
import DocStore
import Foundation
import WorkerKit

/// The last stage: an idempotent upsert of the document and everything earlier stages found.
///
/// Idempotent by document id and content hash, so a replayed request (at-least-once delivery) is a no-op
/// and the store holds each document exactly once.
struct StorageWriter: DocpipeWorker {
    let service = "storage-writer"
    let store: DocumentStore

    struct Output: Encodable {
        var documentId: String
        var version: Int
        var outcome: String
    }

    func process(_ request: StageRequest) async throws -> JSONValue {
        let document = try StoredDocumentBuilder.build(from: request)
        let outcome: UpsertOutcome
        do {
            outcome = try store.upsert(document)
        } catch {
            // A busy or locked database is worth another try; the broker retries with the same request.
            throw StageFailure(.internalError, reason: "store_failed", message: "\(error)", retryable: true)
        }
        let name = switch outcome {
        case .inserted: "inserted"
        case .unchanged: "unchanged"
        case .newVersion: "new_version"
        }
        return try StageOutput.encode(Output(documentId: document.id, version: outcome.version, outcome: name))
    }
}
