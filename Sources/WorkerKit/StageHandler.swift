public import DocProtocol
import Foundation
public import Logging

/// Turns one request body into one reply body: decode, process, time, and wrap errors as `StageResult`s.
enum StageHandler {
    static func handle(_ body: Data, worker: any DocpipeWorker, identity: String, logger: Logger) async -> Data {
        let request: StageRequest
        do {
            request = try WireJSON.decodeMessage(StageRequest.self, from: body)
        } catch {
            logger.warning("request is not a StageRequest: \(error)")
            let failure = ErrorBody(code: .badRequest, reason: "bad_request", message: error.description)
            return encode(.failure(jobID: "", stage: worker.service, error: failure, worker: identity))
        }
        return encode(await result(for: request, worker: worker, identity: identity, logger: logger))
    }

    /// Runs `process` and maps its outcome to the StageResult the broker gets: output, a `StageFailure`
    /// as given, any other error as a retryable 500 (a bug or transient trouble, not the document's fault).
    static func result(
        for request: StageRequest, worker: any DocpipeWorker, identity: String?, logger: Logger
    ) async -> StageResult {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000 }
        var log = logger
        log[metadataKey: "job"] = "\(request.jobID)"
        log[metadataKey: "document"] = "\(request.document.id ?? "-")"
        log[metadataKey: "stage"] = "\(request.stage)"
        do {
            let output = try await worker.process(request)
            log.debug("stage done", metadata: ["ms": "\(Int(elapsed()))"])
            return .ok(
                jobID: request.jobID, stage: request.stage, output: output, durationMs: elapsed(),
                worker: identity)
        } catch let failure as StageFailure {
            log.warning("stage failed: \(failure)")
            return .failure(
                jobID: request.jobID, stage: request.stage, error: failure.body,
                durationMs: elapsed(), worker: identity)
        } catch let broken as StageOutputError {
            // The earlier output is already recorded; a retry would read the same bytes.
            log.warning("stage failed: \(broken)")
            return .failure(
                jobID: request.jobID, stage: request.stage, error: broken.errorBody,
                durationMs: elapsed(), worker: identity)
        } catch {
            log.error("stage threw: \(error)")
            let body = ErrorBody(code: .internalError, reason: "worker_error", message: "\(error)", retryable: true)
            return .failure(
                jobID: request.jobID, stage: request.stage, error: body, durationMs: elapsed(),
                worker: identity)
        }
    }

    private static func encode(_ result: StageResult) -> Data {
        (try? WireJSON.encode(result)) ?? Data(#"{"v":1,"status":"error"}"#.utf8)
    }
}

extension DocpipeWorker {
    /// Runs `process` for one request exactly as `WorkerRunner` does, without a broker: the returned
    /// `StageResult` is what the broker would receive (`ok` with the output, or `error` with the
    /// `StageFailure`'s body, or a retryable 500 `worker_error` for any other error).
    ///
    /// For tests and for embedding a stage in another program; `WorkerKitTesting` builds on it.
    public func stageResult(
        for request: StageRequest, logger: Logger = Logger(label: "docpipe.stage")
    ) async -> StageResult {
        await StageHandler.result(for: request, worker: self, identity: nil, logger: logger)
    }
}
