public import DocProtocol

/// A docpipe plugin: one pipeline stage, served over MDP by `WorkerRunner`.
///
/// Contract:
/// - `service` is the MDP service name this worker registers for (for example `"summarizer"`); pipelines
///   name stages by it. It must not start with `mmi.` or `docpipe.`.
/// - `process` receives one document at one stage and returns this stage's output, a JSON object that
///   later stages read as `request.results[service]`.
/// - Throw `StageFailure` to fail the stage with a reason; `retryable: true` asks the broker to try again
///   (transient trouble), `false` fails the job (the input can never work). Any other error thrown is
///   reported as a retryable 500.
/// - Delivery is at-least-once: after a crash the same request may come again, so `process` should be
///   idempotent (same input, same output, no double side effects).
/// - `process` may run for several requests at once (`--concurrency N`, default the core count; a plugin
///   sets its own default with `WorkerRunner.main(defaultConcurrency:)`), so it must be safe to call
///   concurrently. Heartbeats go on on their own thread however long it takes.
public protocol DocpipeWorker: Sendable {
    /// The MDP service name this worker registers for; pipelines name the stage by it.
    var service: String { get }
    /// Processes one document at this stage; returns the stage's output (a JSON object).
    func process(_ request: StageRequest) async throws -> JSONValue
}

/// A stage failure a worker reports on purpose: a status code, a short reason and what went wrong.
public struct StageFailure: Error, Sendable, CustomStringConvertible {
    /// What the broker receives in the StageResult's `error`.
    public var body: ErrorBody

    /// `reason` is a short snake_case code for programs, `message` the explanation for people.
    public init(_ code: StatusCode = .unprocessable, reason: String, message: String, retryable: Bool = false) {
        body = ErrorBody(code: code, reason: reason, message: message, retryable: retryable)
    }

    public var description: String { "\(body.code) \(body.reason): \(body.message)" }
}

extension StageRequest {
    /// The output of an earlier stage, or nil when that stage has not run in this pipeline.
    public func result(of stage: String) -> JSONValue? { results[stage] }

    /// The extracted text (from the `extractor` stage), falling back to the raw content for text documents.
    public var text: String {
        if let text = results["extractor"]?["text"]?.stringValue { return text }
        return document.encoding == .utf8 ? document.content : ""
    }
}
