import DocProtocol
import Foundation
import Logging

/// Turns one request body into one reply body: decode, process, time, and wrap errors as `StageResult`s.
enum StageHandler {
    static func handle(_ body: Data, worker: any DocpipeWorker, identity: String, logger: Logger) async -> Data {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000 }
        let request: StageRequest
        do {
            request = try WireJSON.decodeMessage(StageRequest.self, from: body)
        } catch {
            logger.warning("request is not a StageRequest: \(error)")
            let failure = ErrorBody(code: .badRequest, reason: "bad_request", message: error.description)
            return encode(.failure(jobID: "", stage: worker.service, error: failure, worker: identity))
        }
        var log = logger
        log[metadataKey: "job"] = "\(request.jobID)"
        log[metadataKey: "document"] = "\(request.document.id ?? "-")"
        do {
            let output = try await worker.process(request)
            log.debug("stage done", metadata: ["ms": "\(Int(elapsed()))"])
            return encode(.ok(jobID: request.jobID, stage: request.stage, output: output, durationMs: elapsed(),
                              worker: identity))
        } catch let failure as StageFailure {
            log.warning("stage failed: \(failure)")
            return encode(.failure(jobID: request.jobID, stage: request.stage, error: failure.body,
                                   durationMs: elapsed(), worker: identity))
        } catch {
            log.error("stage threw: \(error)")
            let body = ErrorBody(code: .internalError, reason: "worker_error", message: "\(error)", retryable: true)
            return encode(.failure(jobID: request.jobID, stage: request.stage, error: body, durationMs: elapsed(),
                                   worker: identity))
        }
    }

    private static func encode(_ result: StageResult) -> Data {
        (try? WireJSON.encode(result)) ?? Data(#"{"v":1,"status":"error"}"#.utf8)
    }
}
