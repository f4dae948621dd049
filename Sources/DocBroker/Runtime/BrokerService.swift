import Foundation
public import ServiceLifecycle
import Synchronization
import UnixSignals

/// Runs a `Broker` as a swift-service-lifecycle `Service`: the one way a broker is started, by
/// `docpipe broker`, `docpipe run`, `docpipe up` and `TestBroker` alike. A graceful shutdown of its
/// `ServiceGroup` (SIGTERM/SIGINT where the group traps them) stops the loop; with `reloadOnHangup`,
/// SIGHUP makes the broker re-read its pipelines (the daemon convention; `docpipe reload` does the same
/// remotely).
///
/// The blocking poll loop gets its own thread, never one of the cooperative pool's. A broker that fails
/// (socket in use, journal locked) makes `run()` throw, which ends its group; `boundEndpoint(timeout:)`
/// throws the same failure to whoever is waiting for the socket.
public struct BrokerService: Service {
    public let broker: Broker
    private let reloadOnHangup: Bool
    private let outcome = BrokerOutcome()

    public init(broker: Broker, reloadOnHangup: Bool = false) {
        self.broker = broker
        self.reloadOnHangup = reloadOnHangup
    }

    public func run() async throws {
        let broker = self.broker
        let outcome = self.outcome
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            if reloadOnHangup {
                tasks.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sighup) { broker.requestReload() }
                }
            }
            defer { tasks.cancelAll() }
            // Cancellation (a group torn down, not shut down gracefully) must stop the thread too, or the
            // continuation would never resume and the group would wait for it forever.
            try await withTaskCancellationOrGracefulShutdownHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let thread = Thread {
                        ThreadName.setCurrent("docpipe-broker")
                        do {
                            try broker.run()
                            continuation.resume()
                        } catch {
                            outcome.failure.withLock { $0 = error }
                            continuation.resume(throwing: error)
                        }
                    }
                    thread.start()
                }
            } onCancelOrGracefulShutdown: {
                broker.stop()
            }
        }
    }

    /// Waits until the broker's socket is bound and returns the endpoint it bound (a `tcp://…:*` bind
    /// comes back with its port); throws the broker's own error if it failed first, or after `timeout`.
    public func boundEndpoint(timeout: Duration) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let failure = outcome.failure.withLock({ $0 }) { throw failure }
            if let endpoint = broker.boundEndpoint { return endpoint }
            guard clock.now < deadline else { throw BrokerStartTimeout(timeout: timeout) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// What the broker's thread left behind, read by `boundEndpoint(timeout:)` on another task.
private final class BrokerOutcome: Sendable {
    let failure = Mutex<(any Error)?>(nil)
}

/// The broker did not bind its socket in time.
public struct BrokerStartTimeout: Error, CustomStringConvertible {
    public let timeout: Duration
    public var description: String { "the broker did not bind its socket within \(timeout)" }
}
