import DocProtocol
import Foundation
import Logging
import ServiceLifecycle
import Testing
import WorkerKit

/// `--broker a,b`: a worker starts at the first broker and moves to the next at every reconnect, whether
/// the broker sent DISCONNECT (all a standby answers) or went silent.
struct WorkerEndpointListTests {
    struct Echo: DocpipeWorker {
        let service = "echo"
        func process(_ request: StageRequest) async throws -> JSONValue { ["job": .string(request.jobID)] }
    }

    static func readyPeer(_ received: [FakeBroker.Received], after count: Int = 0) -> Data? {
        received.compactMap { item -> Data? in
            if case .ready = item.message { return item.peer }
            return nil
        }.dropFirst(count).first
    }

    @Test func brokerListIsValidatedAndParsed() throws {
        let options = try WorkerOptions.parse(["--broker", "tcp://a:1, tcp://b:2"])
        #expect(try options.brokerEndpoints().all == ["tcp://a:1", "tcp://b:2"])
        #expect(throws: (any Error).self) { try WorkerOptions.parse(["--broker", " , "]) }
        #expect(try WorkerOptions.parse(["--broker", "tcp://a:1"]).brokerEndpoints().all == ["tcp://a:1"])
    }

    @Test(.timeLimit(.minutes(1)))
    func aStandbysDisconnectSendsTheWorkerToTheNextBrokerAndSilenceBringsItBack() async throws {
        let standby = try FakeBroker(heartbeatMs: 100)
        defer { standby.stop() }
        let active = try FakeBroker(heartbeatMs: 100)
        var activeStopped = false
        defer { if !activeStopped { active.stop() } }
        let logger = Logger(label: "docpipe.test", factory: { _ in SwiftLogNoOpLogHandler() })
        let options = try WorkerOptions.parse([
            "--broker", "\(standby.endpoint),\(active.endpoint)",
            "--heartbeat-ms", "100", "--liveness", "10", "--concurrency", "1",
        ])
        let group = ServiceGroup(
            configuration: .init(
                services: [WorkerService(worker: Echo(), options: options, logger: logger)], logger: logger))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }

            // The first endpoint is a standby: it answers READY with DISCONNECT.
            let refused = try await standby.waitFor("READY at the first endpoint") { Self.readyPeer($0) }
            standby.send(to: refused, MDP.disconnect)

            // The worker reconnects to the second endpoint, which serves a request.
            let peer = try await active.waitFor("READY at the second endpoint") { Self.readyPeer($0) }
            let request = StageRequest(
                jobID: "job-1", pipeline: "p", stage: "echo", attempt: 1,
                document: Document(content: "text"))
            active.send(to: peer, MDP.request(client: Data("client".utf8), body: [try WireJSON.encode(request)]))
            let body = try await active.waitFor("the reply") { received in
                received.lazy.compactMap { item -> [Data]? in
                    if case .reply(_, let body) = item.message { return body }
                    return nil
                }.first
            }
            let result = try WireJSON.decode(StageResult.self, from: try #require(body.first))
            #expect(result.status == .ok)
            #expect(result.jobID == "job-1")

            // The second broker goes silent (stopped): past liveness the worker moves on, round to the first.
            active.stop()
            activeStopped = true
            _ = try await standby.waitFor("READY again at the first endpoint") { Self.readyPeer($0, after: 1) }

            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
    }
}
