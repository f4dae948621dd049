public import DocProtocol
import Foundation
import Logging
public import WorkerKit

/// Runs a `DocpipeWorker` in-process, without sockets: build the `StageRequest` the broker would send,
/// call the worker, look at what it returns.
///
/// ```swift
/// import Testing
/// import WorkerKitTesting
///
/// @Test func shouts() async throws {
///     let output = try await WorkerTestKit.run(Shouter(), text: "hello")
///     #expect(output["loud"] == "HELLO")
/// }
/// ```
///
/// `run` returns the output or rethrows what `process` threw; `result` returns the `StageResult` the
/// broker would get, with errors mapped exactly as `WorkerRunner` maps them. For a test through a real
/// broker and a real pipeline, use `TestBroker`.
public enum WorkerTestKit {
    /// A UTF-8 text document with its id filled in, as the broker fills it in before the first stage.
    public static func document(
        _ text: String, name: String? = nil, contentType: String? = nil, metadata: [String: String] = [:]
    ) -> Document {
        var document = Document(name: name, contentType: contentType, content: text, metadata: metadata)
        document.id = ContentHash.documentID(for: document)
        return document
    }

    /// The `StageRequest` the broker sends `stage`: attempt 1 of a made-up job unless told otherwise.
    public static func request(
        stage: String, document: Document, results: [String: JSONValue] = [:], pipeline: String = "test",
        attempt: Int = 1, jobID: String = "job-0000000000000001"
    ) -> StageRequest {
        var document = document
        if document.id == nil { document.id = ContentHash.documentID(for: document) }
        return StageRequest(
            jobID: jobID, pipeline: pipeline, stage: stage, attempt: attempt, document: document,
            results: results)
    }

    /// Calls `worker.process` once and returns its output; throws whatever `process` throws.
    public static func run(
        _ worker: some DocpipeWorker, document: Document, results: [String: JSONValue] = [:], attempt: Int = 1
    ) async throws -> JSONValue {
        try await worker.process(
            request(
                stage: worker.service, document: document, results: results,
                attempt: attempt))
    }

    /// `run` for a plain-text document; `results` defaults to what the extractor would say about the text,
    /// so a stage that reads `request.text` or `results["extractor"]` can be tested on its own.
    public static func run(
        _ worker: some DocpipeWorker, text: String, results: [String: JSONValue]? = nil
    ) async throws -> JSONValue {
        try await run(worker, document: document(text), results: results ?? extractorResults(text: text))
    }

    /// The `StageResult` the broker would receive: `ok` with the output, or `error` with the
    /// `StageFailure`'s code and reason, or a retryable 500 `worker_error` for any other error.
    public static func result(
        _ worker: some DocpipeWorker, document: Document, results: [String: JSONValue] = [:], attempt: Int = 1
    ) async -> StageResult {
        // Quiet: the failure is the test's to look at, not a log line's.
        await worker.stageResult(
            for: request(
                stage: worker.service, document: document, results: results,
                attempt: attempt),
            logger: Logger(label: "docpipe.test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// What the extractor says about a plain text, as far as a test needs it: the text, title, language,
    /// counts and hash, no dates or entities. An `ExtractorOutput`, so it fits the contract every reader of
    /// `results["extractor"]` decodes; the real extractor fills in more (protocol/SPEC.md, "Stage outputs").
    public static func extractorOutput(text: String, title: String? = nil, language: String = "en")
        -> ExtractorOutput
    {
        let words = text.split(whereSeparator: { $0.isWhitespace }).count
        let sentences = max(
            1,
            text.split(whereSeparator: { ".!?".contains($0) }).filter {
                !$0.allSatisfy(\.isWhitespace)
            }.count)
        return ExtractorOutput(
            contentType: "text/plain", text: text, title: title, language: language, wordCount: words,
            sentenceCount: text.isEmpty ? 0 : sentences, contentHash: ContentHash.sha256(Data(text.utf8)))
    }

    /// `extractorOutput(text:title:language:)` as the `results` of a request: `["extractor": output]`.
    public static func extractorResults(text: String, title: String? = nil, language: String = "en")
        -> [String: JSONValue]
    {
        results(extractorOutput(text: text, title: title, language: language))
    }

    /// Stage outputs as the `results` of a request, each under its stage's name.
    public static func results(_ outputs: any StageOutputContract...) -> [String: JSONValue] {
        var results: [String: JSONValue] = [:]
        for output in outputs {
            do {
                results[type(of: output).stage] = try JSONValue(encoding: output)
            } catch {
                // Encoding a value of these plain structs into JSON cannot fail; if it ever did, the test
                // must not go on with a request that silently lacks the stage.
                preconditionFailure("cannot encode \(type(of: output)): \(error)")
            }
        }
        return results
    }
}
