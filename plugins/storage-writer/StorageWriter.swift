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
    let store: any DocumentStore

    func process(_ request: StageRequest) async throws -> JSONValue {
        let document = try StoredDocumentBuilder.build(from: request)
        let outcome: UpsertOutcome
        do {
            outcome = try await store.upsert(document)
        } catch {
            // A busy or locked database, or a server restarting or out of reach, is worth another try: the
            // broker retries with backoff, and the pool reconnects by itself. A document the store refuses
            // as it is would fail the same way again.
            let refused = if case DocStoreError.invalidDocument = error { true } else { false }
            throw StageFailure(.internalError, reason: "store_failed", message: "\(error)", retryable: !refused)
        }
        let done: StorageOutput.Outcome =
            switch outcome {
            case .inserted: .inserted
            case .unchanged: .unchanged
            case .newVersion: .newVersion
            }
        return try JSONValue(encoding: StorageOutput(documentID: document.id, version: outcome.version, outcome: done))
    }
}
