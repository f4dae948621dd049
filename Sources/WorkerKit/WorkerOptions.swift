public import ArgumentParser
public import DocProtocol
import Foundation
public import ZeroMQ

/// Command-line flags every docpipe worker understands.
public struct WorkerOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Broker endpoint to connect to, or a comma-separated list of brokers sharing a journal (failover: the worker moves to the next one whenever it reconnects).")
    public var broker: String = ProcessInfo.processInfo.environment["DOCPIPE_BROKER"] ?? "tcp://127.0.0.1:5555"

    @Option(name: .long, help: "Data folder (the storage writer keeps its store here). Default: $DOCPIPE_HOME or ./docpipe-data.")
    public var data: String?

    @Option(name: .customLong("heartbeat-ms"), help: "Heartbeat interval in milliseconds (MDP default 2500).")
    public var heartbeatMs: Int = 2500

    @Option(name: .long, help: "Missed heartbeats before the broker is considered gone.")
    public var liveness: Int = 3

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    public var logLevel: String = "info"

    @Option(name: .customLong("log-format"), help: "text, or json: one JSON object per line (ts, level, label, message, metadata).")
    public var logFormat: String = "text"

    @Option(name: .customLong("shutdown-grace-ms"), help: "On SIGTERM, how long to let the current document finish before handing it back.")
    public var shutdownGraceMs: Int = 10_000

    @Option(name: .long, help: "Documents processed at once; the broker is told it may send this many (the credit). Default: $DOCPIPE_CONCURRENCY, else the plugin's default, else the number of cores.")
    public var concurrency: Int?

    @Option(name: .customLong("server-key"), help: "The broker's CURVE public key: its server.key file or the 40-character Z85 text. Default: $DOCPIPE_SERVER_KEY.")
    public var serverKey: String?

    @Option(name: .long, help: "This worker's CURVE secret key file (NAME.key_secret from `docpipe keygen`). Default: $DOCPIPE_KEY.")
    public var key: String?

    public init() {}

    /// Rejects a concurrency (flag or environment) outside 1…`WorkerIdentity.maxCredit`.
    public func validate() throws {
        _ = try brokerEndpoints()
        if let concurrency { try Self.checkConcurrency(concurrency, from: "--concurrency") }
        if let text = ProcessInfo.processInfo.environment["DOCPIPE_CONCURRENCY"] {
            guard let value = Int(text) else {
                throw ValidationError("DOCPIPE_CONCURRENCY must be a whole number, not '\(text)'")
            }
            try Self.checkConcurrency(value, from: "DOCPIPE_CONCURRENCY")
        }
    }

    /// How many documents this worker processes at once: --concurrency, then $DOCPIPE_CONCURRENCY, then
    /// the plugin's `defaultConcurrency`, then the machine's core count (right for CPU-bound stages).
    public func concurrency(default defaultConcurrency: Int? = nil) -> Int {
        let chosen = concurrency
            ?? ProcessInfo.processInfo.environment["DOCPIPE_CONCURRENCY"].flatMap { Int($0) }
            ?? defaultConcurrency
            ?? ProcessInfo.processInfo.activeProcessorCount
        return min(max(1, chosen), WorkerIdentity.maxCredit)
    }

    private static func checkConcurrency(_ value: Int, from source: String) throws {
        guard (1...WorkerIdentity.maxCredit).contains(value) else {
            throw ValidationError("\(source) must be between 1 and \(WorkerIdentity.maxCredit), not \(value)")
        }
    }

    /// The endpoints of --broker (or $DOCPIPE_BROKER): one, or a comma-separated list.
    public func brokerEndpoints() throws -> BrokerEndpoints {
        guard let endpoints = BrokerEndpoints(broker) else {
            throw ValidationError("--broker needs an endpoint (or a comma-separated list), not '\(broker)'")
        }
        return endpoints
    }

    /// The CURVE keys from --server-key/--key (or their environment variables); nil for plaintext.
    public func curveKeys() throws -> CurveClientKeys? {
        try CurveClientKeys.resolve(serverKey: serverKey, key: key)
    }

    /// The data folder after applying the defaults: --data, then $DOCPIPE_HOME, then ./docpipe-data.
    public var dataFolder: String {
        data ?? ProcessInfo.processInfo.environment["DOCPIPE_HOME"] ?? "docpipe-data"
    }
}
