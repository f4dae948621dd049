import Foundation
public import ServiceLifecycle

/// Runs a `Broker` as a swift-service-lifecycle `Service`: SIGTERM/SIGINT stop it gracefully.
///
/// The blocking poll loop gets its own thread, never one of the cooperative pool's.
public struct BrokerService: Service {
    public let broker: Broker

    public init(broker: Broker) { self.broker = broker }

    public func run() async throws {
        let broker = self.broker
        try await withGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let thread = Thread {
                    do {
                        try broker.run()
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "docpipe-broker"
                thread.start()
            }
        } onGracefulShutdown: {
            broker.stop()
        }
    }
}
