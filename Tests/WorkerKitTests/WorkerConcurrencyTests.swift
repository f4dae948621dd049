import DocProtocol
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WorkerKit

/// Lets stage calls wait until a number of them have started: proof that they run at the same time.
final class StartGate: Sendable {
    private let started = Atomic<Int>(0)
    let expected: Int

    init(expected: Int) { self.expected = expected }

    /// Counts this call in, then waits (at most `timeout`) for the others; false if they never came.
    func arriveAndWait(timeout: Duration) async throws -> Bool {
        started.add(1, ordering: .relaxed)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while started.load(ordering: .relaxed) < expected {
            guard clock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}

/// Waits for all its siblings at the gate, then holds a pool thread for a while, as a CPU-bound stage would.
struct GatedWorker: DocpipeWorker {
    let service = "gated"
    let gate: StartGate
    let holdMs: Int

    func process(_ request: StageRequest) async throws -> JSONValue {
        guard try await gate.arriveAndWait(timeout: .seconds(5)) else {
            throw StageFailure(reason: "not_concurrent", message: "the other requests never started")
        }
        usleep(useconds_t(holdMs * 1000)) // blocks the pool thread, unlike Task.sleep
        return ["job": .string(request.jobID)]
    }
}

/// A real worker against a fake broker on a real ROUTER socket.
struct WorkerConcurrencyTests {
    @Test(.timeLimit(.minutes(1)))
    func fourRequestsRunAtOnceAndHeartbeatsContinue() async throws {
        let broker = try FakeBroker(heartbeatMs: 100)
        defer { broker.stop() }
        let logger = Logger(label: "docpipe.test", factory: { _ in SwiftLogNoOpLogHandler() })
        let options = try WorkerOptions.parse([
            "--broker", broker.endpoint, "--heartbeat-ms", "100",
            "--liveness", "20", "--concurrency", "4",
        ])
        let worker = GatedWorker(gate: StartGate(expected: 4), holdMs: 600)
        let group = ServiceGroup(
            configuration: .init(
                services: [WorkerService(worker: worker, options: options, logger: logger)], logger: logger))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }

            let (peer, identity) = try await broker.waitFor("READY") { received in
                received.lazy.compactMap { item -> (Data, Data?)? in
                    if case .ready(let service, let identity) = item.message, service == "gated" {
                        return (item.peer, identity)
                    }
                    return nil
                }.first
            }
            let advertised = try WireJSON.decode(WorkerIdentity.self, from: try #require(identity))
            #expect(advertised.credit == 4)

            let clients = (1...4).map { Data("client-\($0)".utf8) }
            let sentAt = ContinuousClock.now
            for (index, client) in clients.enumerated() {
                let request = StageRequest(
                    jobID: "job-\(index + 1)", pipeline: "p", stage: "gated", attempt: 1,
                    document: Document(content: "text \(index)"))
                broker.send(to: peer, MDP.request(client: client, body: [try WireJSON.encode(request)]))
            }

            let replies = try await broker.waitFor("4 replies") { received in
                let replies = received.compactMap { item -> (Data, [Data], ContinuousClock.Instant)? in
                    if case .reply(let client, let body) = item.message { return (client, body, item.at) }
                    return nil
                }
                return replies.count >= 4 ? replies : nil
            }
            #expect(replies.count == 4)
            for (client, body, _) in replies {
                let result = try WireJSON.decode(StageResult.self, from: try #require(body.first))
                #expect(result.status == .ok, "\(result)")
                let index = try #require(clients.firstIndex(of: client))
                #expect(result.jobID == "job-\(index + 1)")
            }
            #expect(Set(replies.map(\.0)) == Set(clients))

            // Four documents holding the pool for 600 ms each (two cores: at least 600 ms in all), and
            // the socket thread heartbeats all along; it never thought the broker gone (one READY).
            let lastReply = replies.map(\.2).max() ?? sentAt
            let heartbeats = broker.received.filter {
                $0.message == .heartbeat && $0.at > sentAt && $0.at <= lastReply
            }
            #expect(heartbeats.count >= 4, "only \(heartbeats.count) heartbeats in \(lastReply - sentAt)")
            #expect(broker.received.filter { if case .ready = $0.message { true } else { false } }.count == 1)

            await group.triggerGracefulShutdown()
            try await tasks.next()
            #expect(broker.received.contains { $0.message == .disconnect })
        }
    }
}
