import DocClient
import DocProtocol
import Foundation
import Testing
import ZeroMQ

/// A real worker process against a hostile "broker" (a ROUTER socket in the test): it must shrug off
/// garbage and keep answering proper requests.
@Suite(.serialized)
struct WorkerRobustnessTests {
    @Test(.timeLimit(.minutes(1)))
    func workerSurvivesGarbageFromItsBrokerAndKeepsWorking() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let context = Context()
        let router = try cluster.rawRouter(context, receiveTimeoutMs: 10_000)
        defer { router.close() }
        let worker = try cluster.startWorker("extractor")

        let ready = try #require(try router.receive(), "no READY from the worker")
        let peerIdentity = ready[0]
        guard case .ready(let service, let identityFrame) = try MDP.decodeAtBroker(Array(ready.dropFirst())) else {
            Issue.record("first message was not READY")
            return
        }
        #expect(service == "extractor")
        // docpipe workers introduce themselves: host, pid and version in an extra READY frame.
        let identity = try WireJSON.decode(WorkerIdentity.self, from: try #require(identityFrame))
        #expect(identity.pid == Int(worker.pid))
        #expect(identity.version == ProtocolVersion.release)

        func send(_ frames: [Data]) throws { try router.send([peerIdentity] + frames) }
        func nextReply() throws -> Data {
            while let frames = try router.receive() {
                if case .reply(_, let body) = try? MDP.decodeAtBroker(Array(frames.dropFirst())) {
                    return body.first ?? Data()
                }
            }
            throw TestFailure("no REPLY from the worker\n\(cluster.logs())")
        }

        // Garbage of every kind: none of it may kill the worker.
        try send([Data([0xde, 0xad])])
        try send([Data(), Data("MDPW99".utf8), Data([0x02])])
        try send([Data(), MDP.workerHeader, Data([0x7f])])
        try send([Data(), MDP.workerHeader, Data([0x02])]) // truncated REQUEST
        try send([Data(), MDP.workerHeader, Data([0x02]), Data("c".utf8), Data(), Data([0xff, 0xfe, 0x00])])
        let notJSON = try WireJSON.decode(StageResult.self, from: try nextReply())
        #expect(notJSON.status == .error)
        #expect(notJSON.error?.code == .badRequest)

        // A binary document: a clear, non-retryable error result.
        let binary = StageRequest(
            jobID: "j1", pipeline: "p", stage: "extractor", attempt: 1,
            document: Document(bytes: Data([0, 1, 2, 3, 0, 0xff]), name: "x.bin"))
        try send(MDP.request(client: Data("c1".utf8), body: [try WireJSON.encode(binary)]))
        let refused = try WireJSON.decode(StageResult.self, from: try nextReply())
        #expect(refused.status == .error)
        #expect(refused.error?.retryable == false)

        // And a proper document still works.
        let good = StageRequest(
            jobID: "j2", pipeline: "p", stage: "extractor", attempt: 1,
            document: Document(content: "Title line\nThe council met in Paris on Monday."))
        try send(MDP.request(client: Data("c2".utf8), body: [try WireJSON.encode(good)]))
        let result = try WireJSON.decode(StageResult.self, from: try nextReply())
        #expect(result.status == .ok)
        #expect(result.output?["language"]?.stringValue == "en")
        #expect(worker.process.isRunning)
    }

    @Test(.timeLimit(.minutes(1)))
    func oversizedAndEmptyDocumentsAreRefusedWithClearErrors() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(#"{"max_message_bytes": 1048576}"#)
        try cluster.startBroker()
        let client = try cluster.client(timeoutMs: 10_000)
        try cluster.waitUntil("broker up", timeout: 20) { try client.status().workers == 0 }
        let huge = Document(content: String(repeating: "a", count: 2 << 20))
        do {
            _ = try client.submit(SubmitRequest(document: huge))
            Issue.record("a 2 MiB document was accepted over a 1 MiB limit")
        } catch let error as ClientError {
            guard case .refused(let reply) = error else { throw error }
            #expect(reply.status == .tooLarge)
            #expect(reply.message.contains("limit"))
        }
        do {
            _ = try client.submit(SubmitRequest(document: Document(content: "")))
            Issue.record("an empty document was accepted")
        } catch let error as ClientError {
            guard case .refused(let reply) = error else { throw error }
            #expect(reply.reason == "empty_document")
        }
        #expect(try client.status().counters["error_replies"] == 2)
    }
}
