import BrokerCore
import DocBroker
import Foundation
import Logging

/// A real `Broker` running in this process on its own thread, journalling to a throw-away folder.
final class BenchBroker {
    let endpoint: String
    private let broker: Broker
    private let thread: BenchThread
    private let folder: URL

    /// Starts the broker on a free loopback port and waits (up to 5 s) until it is bound.
    init(pipelines: [String: PipelineDefinition] = ["default": .standard]) throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("docpipe-bench-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var logger = Logger(label: "docpipe.bench.broker")
        // The broker logs every finished job at info; at thousands a second that would measure stderr.
        logger.logLevel = .warning
        let configuration = BrokerConfiguration(
            endpoint: "tcp://127.0.0.1:*", journalPath: folder.appendingPathComponent("journal.sqlite").path,
            pipelines: pipelines)
        let broker = Broker(configuration: configuration, logger: logger)
        self.broker = broker
        thread = BenchThread(name: "bench-broker") { try broker.run() }

        let deadline = monotonicNanos() + 5_000_000_000
        while broker.boundEndpoint == nil {
            if thread.isFinished {
                try? FileManager.default.removeItem(at: folder)
                throw BenchError(message: "broker stopped before binding: \(thread.error ?? "no error given")")
            }
            if monotonicNanos() > deadline {
                broker.stop()
                _ = thread.join(timeoutSeconds: 1)
                try? FileManager.default.removeItem(at: folder)
                throw BenchError(message: "broker did not bind a port within 5 s")
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        endpoint = broker.boundEndpoint!
    }

    /// Stops the loop, waits for its thread and deletes the journal. Throws if the broker failed or hung.
    func stop() throws {
        broker.stop()
        // The loop wakes at least every 100 ms; 5 s leaves room for a final journal flush.
        let joined = thread.join(timeoutSeconds: 5)
        try? FileManager.default.removeItem(at: folder)
        guard joined else { throw BenchError(message: "broker thread did not stop within 5 s") }
        if let error = thread.error { throw BenchError(message: "broker failed: \(error)") }
    }
}
