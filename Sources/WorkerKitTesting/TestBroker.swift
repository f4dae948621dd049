import BrokerCore
import DocBroker
import DocClient
public import DocProtocol
public import Foundation
public import Logging
import ServiceLifecycle
public import WorkerKit

/// A real docpipe broker and real workers inside the test process, on a private `ipc://` endpoint:
/// the whole path a document takes in production (MDP framing, heartbeats, journal, pipeline engine),
/// with no processes to start and nothing to clean up by hand.
///
/// ```swift
/// @Test func shouterRunsInAPipeline() async throws {
///     try await TestBroker.with(pipelines: ["loud": ["shouter"]], workers: [Shouter()]) { broker in
///         let job = try await broker.process(WorkerTestKit.document("hello"), pipeline: "loud")
///         #expect(job.state == .done)
///         #expect(job.results["shouter"]?["loud"] == "HELLO")
///     }
/// }
/// ```
///
/// Every wait has a timeout. Calls to the broker run on their own threads, so they never block the
/// Swift concurrency pool that the workers' `process` runs on.
public final class TestBroker: Sendable {
    /// Where the broker listens (`ipc://…/broker.sock` in a fresh temporary folder).
    public let endpoint: String
    /// The broker's journal and socket live here; removed when the broker stops.
    public let folder: URL
    private let client: LockedClient

    private init(endpoint: String, folder: URL) throws {
        self.endpoint = endpoint
        self.folder = folder
        client = LockedClient(try DocpipeClient(broker: endpoint, timeoutMs: 5000))
    }

    /// Starts a broker with `pipelines` (name → stage service names; `default` stays the built-in one
    /// unless given) and `workers`, waits until every worker is registered, runs `body`, then stops
    /// the workers (gracefully: DISCONNECT) and the broker, whatever `body` did.
    public static func with<Result: Sendable>(
        pipelines: [String: [String]] = [:], workers: [any DocpipeWorker],
        logger: Logger = Logger(label: "docpipe.test", factory: { _ in SwiftLogNoOpLogHandler() }),
        startTimeout: Duration = .seconds(20),
        _ body: (TestBroker) async throws -> Result
    ) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wkt-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var configuration = BrokerConfiguration(
            endpoint: "ipc://\(folder.path)/broker.sock",
            journalPath: folder.appendingPathComponent("journal.log").path)
        for (name, stages) in pipelines {
            configuration.pipelines[name] = PipelineDefinition(stages: stages.map { StageDefinition(service: $0) })
        }
        // The broker runs as the same `BrokerService` that `docpipe broker` runs, first in the group, so the
        // group's graceful shutdown stops the workers (DISCONNECT) before the broker.
        let brokerService = BrokerService(broker: Broker(configuration: configuration, logger: logger))
        let options = try WorkerOptions.parse([
            "--broker", configuration.endpoint, "--data", folder.path,
            "--shutdown-grace-ms", "2000",
        ])
        let services: [any Service] =
            [brokerService]
            + workers.map { WorkerService(worker: $0, options: options, logger: logger) }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let endpoint: String
            do {
                endpoint = try await brokerService.boundEndpoint(timeout: startTimeout)
            } catch {
                await group.triggerGracefulShutdown()
                throw TestBrokerError(description: "the test broker did not start: \(error)")
            }
            let outcome: Swift.Result<Result, any Error>
            do {
                let testBroker = try TestBroker(endpoint: endpoint, folder: folder)
                for service in Set(workers.map(\.service)) {
                    try await testBroker.waitForWorker(service, timeout: startTimeout)
                }
                outcome = .success(try await body(testBroker))
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.next()
            return try outcome.get()
        }
    }

    /// Submits a document to a pipeline and waits until its job is done or failed.
    public func process(_ document: Document, pipeline: String = "default", timeout: Duration = .seconds(30))
        async throws -> JobStatus
    {
        let reply = try await submit(document, pipeline: pipeline)
        return try await withClient { try $0.waitForJob(reply.jobID, timeoutMs: Self.milliseconds(timeout)) }
    }

    /// Submits a document (`docpipe.submit`); the reply carries the job id.
    public func submit(_ document: Document, pipeline: String = "default") async throws -> SubmitReply {
        try await withClient { try $0.submit(SubmitRequest(pipeline: pipeline, document: document)) }
    }

    /// Sends one MDP request to any service, a worker's or the broker's, and returns the reply frames.
    public func call(_ service: String, body: [Data], timeout: Duration = .seconds(10)) async throws -> [Data] {
        try await withClient { try $0.mdp.request(service: service, body: body, timeoutMs: Self.milliseconds(timeout)) }
    }

    /// The broker's `docpipe.status` snapshot.
    public func status() async throws -> BrokerStatus { try await withClient { try $0.status() } }

    /// Waits until `mmi.service` says at least one worker serves `service`.
    public func waitForWorker(_ service: String, timeout: Duration = .seconds(20)) async throws {
        _ = try await Self.waitFor("a worker for '\(service)'", timeout: timeout) {
            try? self.withClientNow { try $0.serviceAvailability(service) == "200" ? true : nil }
        }
    }

    /// Runs a blocking client call on its own thread (never on the cooperative pool).
    private func withClient<T: Sendable>(_ call: @escaping @Sendable (DocpipeClient) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try self.withClientNow(call) }) }.start()
        }
    }

    private func withClientNow<T>(_ call: (DocpipeClient) throws -> T) throws -> T {
        try client.use(call)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Polls `probe` every 20 ms until it returns a value, or throws after `timeout`.
    private static func waitFor<T: Sendable>(
        _ what: String, timeout: Duration, _ probe: @escaping @Sendable () -> T?
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let value = try await withCheckedThrowingContinuation { continuation in
                Thread { continuation.resume(returning: probe()) }.start()
            }
            if let value { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestBrokerError(description: "timed out after \(timeout) waiting for \(what)")
    }
}

/// One MDP client shared by the threads a `TestBroker` makes: a ZeroMQ socket may move between threads
/// but must be used by one at a time, which the lock guarantees (and its barrier makes the move safe).
private final class LockedClient: @unchecked Sendable {
    private let lock = NSLock()
    private let client: DocpipeClient

    init(_ client: DocpipeClient) { self.client = client }

    func use<T>(_ call: (DocpipeClient) throws -> T) throws -> T { try lock.withLock { try call(client) } }
}

/// A `TestBroker` wait that ran out of time, naming what it waited for.
public struct TestBrokerError: Error, CustomStringConvertible {
    public var description: String
}
