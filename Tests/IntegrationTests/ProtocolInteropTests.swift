import DocClient
import DocProtocol
import Foundation
import Testing
import ZeroMQ

/// The broker against peers it did not write: spec-written Python workers and clients, and hostile bytes.
@Suite(.serialized)
struct ProtocolInteropTests {
    @Test(.timeLimit(.minutes(1)))
    func pythonSpecWorkerAndClientAreServed() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.startBroker()
        try cluster.startPythonWorker(service: "echo.upper")
        let client = try cluster.client()
        try cluster.waitUntil("python worker registered", timeout: 20) {
            try client.serviceAvailability("echo.upper") == "200"
        }
        #expect(try client.serviceAvailability("no.such.service") == "404")
        #expect(try client.mdp.request(service: "mmi.bogus", body: [Data()], timeoutMs: 3000) == [Data("501".utf8)])

        let reply = try client.mdp.request(service: "echo.upper", body: [Data("hello, broker".utf8)], timeoutMs: 5000)
        #expect(reply == [Data("HELLO, BROKER".utf8)])

        // The spec-written Python client, through the same broker.
        let python = try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", TestPaths.specClient.path, "--broker", cluster.endpoint, "--service", "echo.upper",
                "--body", "from python", "--timeout", "5000",
            ], timeout: 30)
        #expect(python.status == 0, "\(python.errors)")
        #expect(python.output.contains("FROM PYTHON"))
    }

    @Test(.timeLimit(.minutes(1)))
    func badInputGetsAnErrorOrDisconnectAndTheBrokerKeepsServing() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let broker = try cluster.startBroker()
        let client = try cluster.client()
        try cluster.waitUntil("broker up", timeout: 20) { try client.status().workers == 0 }

        let context = Context()
        let raw = try cluster.rawDealer(context, receiveTimeoutMs: 3000)
        defer { raw.close() }

        // 1. Not MDP at all: logged and counted (no protocol to answer in).
        try raw.send([Data(), Data("GET / HTTP/1.1".utf8)])
        // 2. Worker header with an unknown command byte: DISCONNECT.
        try raw.send([Data(), MDP.workerHeader, Data([0x09])])
        let disconnect = try #require(try raw.receive())
        #expect(disconnect == MDP.disconnect)
        // 3. A submit whose body is not JSON: 400.
        try raw.send(MDP.clientRequest(service: ServiceName.submit, body: [Data("{not json".utf8)]))
        let badJSON = try DocpipeClient.decodeError(try #require(try raw.receive()))
        #expect(badJSON.status == .badRequest)
        #expect(badJSON.reason == "bad_json")
        // 4. A submit for a pipeline that does not exist: 404 naming the known ones.
        let unknown = SubmitRequest(pipeline: "nope", document: Document(content: "text"))
        try raw.send(MDP.clientRequest(service: ServiceName.submit, body: [try WireJSON.encode(unknown)]))
        let notFound = try DocpipeClient.decodeError(try #require(try raw.receive()))
        #expect(notFound.status == .notFound)
        #expect(notFound.message.contains("default"))
        // 5. JSON of the wrong shape: 400 naming the missing field.
        try raw.send(
            MDP.clientRequest(service: ServiceName.submit, body: [Data(#"{"v":1,"pipeline":"default"}"#.utf8)]))
        let wrongShape = try DocpipeClient.decodeError(try #require(try raw.receive()))
        #expect(wrongShape.message.contains("document"))
        // 6. A READY for a reserved service: DISCONNECT.
        try raw.send(MDP.ready(service: "docpipe.submit"))
        #expect(try raw.receive() == MDP.disconnect)

        // Still serving, and it counted what happened.
        let status = try client.status()
        #expect((status.counters["bad_frame"] ?? 0) >= 2)
        #expect((status.counters["error_replies"] ?? 0) >= 3)
        #expect((status.counters["reserved_service"] ?? 0) == 1)
        let accepted = try client.submit(SubmitRequest(document: Document(content: "still works")))
        #expect(accepted.jobID.hasPrefix("job-"))

        try cluster.waitUntil("log lines for each problem", timeout: 5) {
            let log = broker.log
            return log.contains("unknown protocol header") && log.contains("unknown worker command")
                && log.contains("bad_json") && log.contains("unknown_pipeline") && log.contains("reserved service")
        }
    }
}

extension DocpipeClient {
    /// Decodes an MDP client reply (frames without routing id) that must be an ErrorReply.
    static func decodeError(_ frames: [Data]) throws -> ErrorReply {
        let reply = try MDP.decodeAtClient(frames)
        return try WireJSON.decode(ErrorReply.self, from: try #require(reply.body.first))
    }
}
