public import DocProtocol

/// A docpipe plugin: one pipeline stage, served over MDP by `WorkerRunner`.
///
/// Contract:
/// - `service` is the MDP service name this worker registers for (for example `"summarizer"`); pipelines
///   name stages by it. It must not start with `mmi.` or `docpipe.`.
/// - `process` receives one document at one stage and returns this stage's output, a JSON object that
///   later stages read as `request.results[service]`.
/// - Throw `StageFailure` to fail the stage with a reason; `retryable: true` asks the broker to try again
///   (transient trouble), `false` fails the job (the input can never work). A `StageOutputError` (an
///   earlier stage's output that does not fit its contract, from `request.output(of:)`) fails the job with
///   422 `bad_stage_output`. Any other error thrown is reported as a retryable 500.
/// - The built-in stages' outputs have types in DocProtocol (`ExtractorOutput`, `ClassifierOutput`,
///   `SummarizerOutput`, `StorageOutput`): read them with `request.output(of:)`, and a stage that
///   produces one returns `try JSONValue(encoding: output)`.
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
    /// The output of an earlier stage as JSON, or nil when that stage has not run in this pipeline.
    /// For the built-in stages, `output(of: ExtractorOutput.self)` (DocProtocol) reads it typed.
    public func result(of stage: String) -> JSONValue? { results[stage] }

    /// The extracted text (the `extractor` stage's `ExtractorOutput.text`), or the raw content of a UTF-8
    /// document when the extractor has not run. Throws `StageOutputError` when the extractor's output does
    /// not fit its contract; WorkerKit fails the stage with 422 `bad_stage_output` then.
    public func extractedText() throws(StageOutputError) -> String {
        try output(of: ExtractorOutput.self)?.text ?? rawText
    }

    /// `extractedText()` for code that cannot throw: an extractor output that breaks its contract reads
    /// as absent.
    public var text: String { (try? extractedText()) ?? rawText }

    /// The document's own content when it is UTF-8 text, else "": what a stage reads without an extractor.
    public var rawText: String { document.encoding == .utf8 ? document.content : "" }
}
