import BrokerCore
import DocBroker
import Foundation
import Logging
import ZeroMQ

/// A real `Broker` running in this process on its own thread, journalling to a throw-away folder.
final class BenchBroker {
    let endpoint: String
    private let broker: Broker
    private let thread: BenchThread
    private let folder: URL

    /// With CURVE on: the keys the client and workers connect with (all admitted by the broker).
    let curve: CurveClientKeys?

    /// Starts the broker on a free loopback port and waits (up to 5 s) until it is bound. With `curve`,
    /// the broker is a CURVE server with ZAP and one authorized key, as in a networked deployment.
    init(pipelines: [String: PipelineDefinition] = ["default": .standard], curve: Bool = false,
         logLevel: Logger.Level = .warning) throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("docpipe-bench-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var logger = Logger(label: "docpipe.bench.broker")
        // The broker logs every finished job at info; at thousands a second that would measure stderr.
        logger.logLevel = logLevel
        var configuration = BrokerConfiguration(
            endpoint: "tcp://127.0.0.1:*", journalPath: folder.appendingPathComponent("journal.sqlite").path,
            pipelines: pipelines)
        // The bench's one client submits as fast as the pipeline drains: it measures the broker, not the
        // per-client submit limit (a policy, off here, on by default in `docpipe broker`).
        configuration.peerLimits.submitsPerSecond = 0
        if curve {
            let (security, keys) = try Self.curveSetup(in: folder)
            configuration.security = security
            self.curve = keys
        } else {
            self.curve = nil
        }
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

    /// A server pair, one peer pair, and an authorized-keys folder that lets the peer in.
    private static func curveSetup(in folder: URL) throws -> (BrokerSecurity, CurveClientKeys) {
        let server = try Curve.keyPair()
        let peer = try CurveCertificate.generate()
        let authorized = folder.appendingPathComponent("authorized_keys")
        try FileManager.default.createDirectory(at: authorized, withIntermediateDirectories: true)
        try CurveCertificate.writeNewFile(peer.text(includingSecret: false, comment: "bench peer"),
                                          to: authorized.appendingPathComponent("bench.key").path, mode: 0o644)
        return (BrokerSecurity(serverPublicKey: server.publicKey, serverSecretKey: server.secretKey,
                               authorizedKeysFolder: authorized.path),
                CurveClientKeys(serverPublicKey: server.publicKey, publicKey: peer.publicKey,
                                secretKey: peer.secretKey!))
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
