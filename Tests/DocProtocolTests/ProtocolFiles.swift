import DocProtocol
import Foundation

/// The protocol folder of the repository these tests were built from, and the golden files in it.
///
/// `#filePath` is resolved through symlinks first, so the tests also find the real repository when a
/// throwaway package links this folder in; the unresolved path is the fallback.
enum ProtocolFiles {
    static let root: URL = {
        let file = URL(fileURLWithPath: #filePath)
        for start in [file.resolvingSymlinksInPath(), file] {
            var dir = start.deletingLastPathComponent()
            for _ in 0..<6 {
                let candidate = dir.appendingPathComponent("protocol/schemas")
                if FileManager.default.fileExists(atPath: candidate.path) { return dir }
                dir = dir.deletingLastPathComponent()
            }
        }
        fatalError("no protocol/schemas above \(file.path)")
    }()

    static let protocolDir = root.appendingPathComponent("protocol")
    static let examplesDir = protocolDir.appendingPathComponent("examples")
    static let schemasDir = protocolDir.appendingPathComponent("schemas")

    /// Example file names, e.g. `stage_result.ok.json`, sorted.
    static var exampleNames: [String] { jsonFiles(in: examplesDir).filter { !$0.hasSuffix(".schema.json") } }

    /// Schema names without the suffix, e.g. `stage_result`.
    static var schemaNames: [String] {
        jsonFiles(in: schemasDir).filter { $0.hasSuffix(".schema.json") }.map {
            String($0.dropLast(".schema.json".count))
        }
    }

    /// The message an example holds, named by its file name up to the first dot.
    static func messageName(ofExample file: String) -> String {
        String(file.prefix { $0 != "." })
    }

    static func example(_ file: String) throws -> Data {
        try Data(contentsOf: examplesDir.appendingPathComponent(file))
    }

    private static func jsonFiles(in dir: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }
}

/// Decodes and re-encodes one message type; the registry of every message that has a schema.
struct MessageCodec: Sendable {
    let typeName: String
    /// Decodes bytes as the message, checks a second decode of its encoding gives the same value, and
    /// returns the encoding.
    let roundTrip: @Sendable (Data) throws -> Data

    init<Message: Codable & Equatable & Sendable>(_ type: Message.Type) {
        typeName = String(describing: type)
        roundTrip = { data in
            let message = try WireJSON.decodeMessage(Message.self, from: data)
            let encoded = try WireJSON.encode(message)
            let again = try WireJSON.decodeMessage(Message.self, from: encoded)
            guard again == message else { throw CodecMismatch(type: String(describing: type)) }
            return encoded
        }
    }

    struct CodecMismatch: Error { let type: String }

    /// Schema name → Swift type. A new schema without an entry here fails `everySchemaHasACodec`.
    static let all: [String: MessageCodec] = [
        "document": MessageCodec(Document.self),
        "stage_request": MessageCodec(StageRequest.self),
        "stage_result": MessageCodec(StageResult.self),
        "error_body": MessageCodec(ErrorBody.self),
        "submit_request": MessageCodec(SubmitRequest.self),
        "submit_reply": MessageCodec(SubmitReply.self),
        "submit_batch_request": MessageCodec(SubmitBatchRequest.self),
        "submit_batch_reply": MessageCodec(SubmitBatchReply.self),
        "job_query": MessageCodec(JobQuery.self),
        "job_status": MessageCodec(JobStatus.self),
        "broker_status": MessageCodec(BrokerStatus.self),
        "error_reply": MessageCodec(ErrorReply.self),
        "stage_attempt": MessageCodec(StageAttempt.self),
        "dead_letter_request": MessageCodec(DeadLetterRequest.self),
        "dead_letter_list": MessageCodec(DeadLetterList.self),
        "dead_letter_action_reply": MessageCodec(DeadLetterActionReply.self),
        "latency_summary": MessageCodec(LatencySummary.self),
        "stage_stats": MessageCodec(StageStats.self),
        "broker_totals": MessageCodec(BrokerTotals.self),
        "worker_identity": MessageCodec(WorkerIdentity.self),
        "worker_list": MessageCodec(WorkerList.self),
        "job_list_request": MessageCodec(JobListRequest.self),
        "job_list": MessageCodec(JobList.self),
        // Stage outputs (protocol/swift/StageOutputs.swift): not messages of their own, but the same pattern.
        "extractor_output": MessageCodec(ExtractorOutput.self),
        "classifier_output": MessageCodec(ClassifierOutput.self),
        "summarizer_output": MessageCodec(SummarizerOutput.self),
        "storage_output": MessageCodec(StorageOutput.self),
    ]
}
