public import ArgumentParser
import Foundation

/// Command-line flags every docpipe worker understands.
public struct WorkerOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Broker endpoint to connect to.")
    public var broker: String = ProcessInfo.processInfo.environment["DOCPIPE_BROKER"] ?? "tcp://127.0.0.1:5555"

    @Option(name: .long, help: "Data folder (the storage writer keeps its store here). Default: $DOCPIPE_HOME or ./docpipe-data.")
    public var data: String?

    @Option(name: .customLong("heartbeat-ms"), help: "Heartbeat interval in milliseconds (MDP default 2500).")
    public var heartbeatMs: Int = 2500

    @Option(name: .long, help: "Missed heartbeats before the broker is considered gone.")
    public var liveness: Int = 3

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    public var logLevel: String = "info"

    @Option(name: .customLong("shutdown-grace-ms"), help: "On SIGTERM, how long to let the current document finish before handing it back.")
    public var shutdownGraceMs: Int = 10_000

    public init() {}

    /// The data folder after applying the defaults: --data, then $DOCPIPE_HOME, then ./docpipe-data.
    public var dataFolder: String {
        data ?? ProcessInfo.processInfo.environment["DOCPIPE_HOME"] ?? "docpipe-data"
    }
}
