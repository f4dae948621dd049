import ArgumentParser
import DocClient
import DocProtocol
import Foundation
import OperatorViews

extension Docpipe {
    /// `docpipe call`: one MDP request to any service — a worker's or the broker's — and its reply.
    struct Call: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one request to any service through the broker and print the reply.",
            discussion: """
                The body is the file's bytes (- for stdin, --text for a string, nothing for an empty body). \
                Pipeline stage workers expect a StageRequest: --stage-request wraps the file as the document \
                of one (with --results for earlier stages' outputs) and prints the StageResult, exiting 1 \
                when it is an error. Asks MMI first and stops with a clear message when no worker serves \
                the service, instead of waiting out the timeout.

                EXAMPLES:
                  docpipe call echo.upper --text "hello"
                  docpipe call readability article.txt --stage-request --results extractor.json --json
                  docpipe call docpipe.status --json
                  cat notes.md | docpipe call extractor - --stage-request
                """)

        @Argument(help: "Service name, e.g. extractor, echo.upper, docpipe.status.") var service: String
        @Argument(help: "File whose bytes are the body; - reads stdin.") var file: String?
        @Option(name: .long, help: "Use this string as the body instead of a file.") var text: String?
        @Flag(name: .customLong("stage-request"), help: "Wrap the body as the document of a StageRequest.")
        var stageRequest = false
        @Option(name: .long, help: "With --stage-request: a JSON file of earlier stages' results ({stage: output}).")
        var results: String?
        @Option(name: .long, help: "With --stage-request: the pipeline name the request carries.")
        var pipeline = "direct"
        @Flag(name: .long, help: "Pretty-print JSON replies, timestamps as ISO-8601 (the CLI's JSON shape).")
        var json = false
        @OptionGroup var broker: BrokerOptions

        func validate() throws {
            if file != nil, text != nil { throw ValidationError("give a FILE or --text, not both") }
            if results != nil, !stageRequest { throw ValidationError("--results needs --stage-request") }
            if service.isEmpty { throw ValidationError("the service name is empty") }
        }

        func run() throws {
            let bytes = try readBody()
            let body =
                stageRequest ? [try WireJSON.encode(try makeStageRequest(bytes))] : (bytes.isEmpty ? [] : [bytes])
            let client = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs)
            // Several brokers: find the active one first, since a standby answers mmi.service too (no workers).
            if client.mdp.endpoints.count > 1 { _ = try client.status() }
            if !ServiceName.isReserved(service) {
                let availability = try client.serviceAvailability(service)
                guard availability == "200" else {
                    throw CLIError(
                        "no worker serves '\(service)' at \(client.mdp.endpoint) now (mmi.service: "
                            + "\(availability)); start one, or see `docpipe plugins`")
                }
            }
            let reply = try client.mdp.request(service: service, body: body, timeoutMs: broker.timeoutMs)
            for frame in reply { print(render(frame)) }
            if !Self.succeeded(reply) { throw ExitCode(1) }
        }

        private func readBody() throws -> Data {
            if let text { return Data(text.utf8) }
            guard let file else { return Data() }
            if file == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
            guard FileManager.default.fileExists(atPath: file) else { throw CLIError("\(file): no such file") }
            return try Data(contentsOf: URL(fileURLWithPath: file))
        }

        private func makeStageRequest(_ bytes: Data) throws -> StageRequest {
            let name = file.flatMap { $0 == "-" ? nil : URL(fileURLWithPath: $0).lastPathComponent }
            var document = Document(bytes: bytes, name: name)
            document.id = ContentHash.documentID(for: document)
            var earlier: [String: JSONValue] = [:]
            if let results {
                let value = try JSONDecoder().decode(
                    JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: results)))
                guard let object = value.objectValue else { throw CLIError("\(results): expected a JSON object") }
                earlier = object
            }
            let jobID = "call-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            return StageRequest(
                jobID: jobID, pipeline: pipeline, stage: service, attempt: 1, document: document,
                results: earlier)
        }

        private func render(_ frame: Data) -> String {
            // --json prints the reply in the CLI's JSON shape (timestamps as ISO-8601); without it, the raw frame.
            if json, let value = try? JSONDecoder().decode(JSONValue.self, from: frame),
                let pretty = try? CLIJSON.encode(value, pretty: true)
            {
                return String(decoding: pretty, as: UTF8.self)
            }
            if let text = String(data: frame, encoding: .utf8) { return text }
            return "<\(frame.count) bytes, not UTF-8; base64:> " + frame.base64EncodedString()
        }

        /// False for a StageResult error or a 3xx–5xx status reply; anything else is the service's business.
        static func succeeded(_ reply: [Data]) -> Bool {
            guard reply.count == 1, let frame = reply.first else { return true }
            if let result = try? WireJSON.decode(StageResult.self, from: frame) { return result.status == .ok }
            if let head = try? WireJSON.decode(ReplyHead.self, from: frame) { return head.status.isSuccess }
            return true
        }
    }
}
