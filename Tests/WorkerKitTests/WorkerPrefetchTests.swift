import DocProtocol
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WorkerKit

/// Counts the stage calls of `SerialWorker`: how many began, and the most that ran at once.
final class CallCounter: Sendable {
    private let running = Atomic<Int>(0)
    let started = Atomic<Int>(0)
    let mostAtOnce = Atomic<Int>(0)

    func begin() {
        started.add(1, ordering: .relaxed)
        let now = running.add(1, ordering: .relaxed).newValue
        _ = mostAtOnce.max(now, ordering: .relaxed)
    }

    func end() { running.subtract(1, ordering: .relaxed) }
}

/// Holds a pool thread for a while per document and counts itself in and out.
struct SerialWorker: DocpipeWorker {
    let service = "serial"
    let counter: CallCounter
    let holdMs: Int

    func process(_ request: StageRequest) async throws -> JSONValue {
        counter.begin()
        defer { counter.end() }
        usleep(useconds_t(holdMs * 1000))
        return ["job": .string(request.jobID)]
    }
}

/// `--prefetch N`: requests held waiting beyond `--concurrency`, against a fake broker on a real ROUTER socket.
struct WorkerPrefetchTests {
    let logger = Logger(label: "docpipe.test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func prefetchIsValidatedAndAddsToTheCredit() throws {
        let options = try WorkerOptions.parse(["--concurrency", "2", "--prefetch", "3"])
        #expect(options.prefetchCount() == 3)
        #expect(options.credit() == 5)
        #expect(try WorkerOptions.parse(["--concurrency", "2"]).credit() == 2)
        #expect(try WorkerOptions.parse(["--concurrency", "2", "--prefetch", "0"]).credit() == 2)
        // The credit stays within what a broker honours.
        #expect(
            try WorkerOptions.parse(["--concurrency", "1024", "--prefetch", "5"]).credit() == WorkerIdentity.maxCredit)
        for bad in ["-1", "1024", "many"] {
            #expect(throws: WorkerOptionsError.self) { try WorkerOptions.parse(["--prefetch", bad]) }
        }
    }

    /// Sends `count` stage requests to the worker's READY peer and returns that READY's credit.
    private func serve(_ broker: FakeBroker, count: Int) async throws -> Int? {
        let (peer, identity) = try await broker.waitFor("READY") { received in
            received.lazy.compactMap { item -> (Data, Data?)? in
                if case .ready(let service, let identity) = item.message, service == "serial" {
                    return (item.peer, identity)
                }
                return nil
            }.first
        }
        for index in 1...count {
            let request = StageRequest(
                jobID: "job-\(index)", pipeline: "p", stage: "serial", attempt: 1,
                document: Document(content: "text \(index)"))
            broker.send(
                to: peer, MDP.request(client: Data("client-\(index)".utf8), body: [try WireJSON.encode(request)]))
        }
        return try WireJSON.decode(WorkerIdentity.self, from: try #require(identity)).credit
    }

    private func replies(_ received: [FakeBroker.Received]) -> [Data] {
        received.compactMap { if case .reply(let client, _) = $0.message { client } else { nil } }
    }

    @Test(.timeLimit(.minutes(1)))
    func heldRequestsWaitTheirTurnAndAllAreAnswered() async throws {
        let broker = try FakeBroker(heartbeatMs: 100)
        defer { broker.stop() }
        let options = try WorkerOptions.parse([
            "--broker", broker.endpoint, "--heartbeat-ms", "100", "--liveness", "20",
            "--concurrency", "1", "--prefetch", "2",
        ])
        let counter = CallCounter()
        let service = WorkerService(
            worker: SerialWorker(counter: counter, holdMs: 150), options: options, logger: logger)
        #expect(service.prefetch == 2)
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            #expect(try await serve(broker, count: 3) == 3)
            let answered = try await broker.waitFor("3 replies") { received in
                let clients = replies(received)
                return clients.count >= 3 ? clients : nil
            }
            #expect(Set(answered) == Set((1...3).map { Data("client-\($0)".utf8) }))
            // All three were held at once, but only one was processed at a time.
            #expect(counter.mostAtOnce.load(ordering: .relaxed) == 1)
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func shutdownFinishesTheDocumentInProgressAndHandsTheWaitingOnesBack() async throws {
        let broker = try FakeBroker(heartbeatMs: 100)
        defer { broker.stop() }
        let options = try WorkerOptions.parse([
            "--broker", broker.endpoint, "--heartbeat-ms", "100", "--liveness", "20",
            "--concurrency", "1", "--prefetch", "2", "--shutdown-grace-ms", "20000",
        ])
        let counter = CallCounter()
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    WorkerService(worker: SerialWorker(counter: counter, holdMs: 800), options: options, logger: logger)
                ], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            _ = try await serve(broker, count: 3)
            // The first document is in progress, the other two wait at the worker.
            let deadline = ContinuousClock.now + .seconds(10)
            while counter.started.load(ordering: .relaxed) < 1 {
                guard ContinuousClock.now < deadline else {
                    throw FakeBroker.Failure(description: "the first request never started")
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            await group.triggerGracefulShutdown()
            _ = try await broker.waitFor("DISCONNECT") { received in
                received.contains { $0.message == .disconnect } ? true : nil
            }
            // The one in progress was answered; the waiting ones were never started and get no answer: the
            // DISCONNECT hands them back (the broker re-queues what a departing worker left unanswered).
            let beforeDisconnect = broker.received.prefix { $0.message != .disconnect }
            #expect(replies(Array(beforeDisconnect)) == [Data("client-1".utf8)])
            #expect(counter.started.load(ordering: .relaxed) == 1)
            try await tasks.next()
        }
    }
}
