import ArgumentParser
import BrokerCore
import DocBroker
import Foundation
import Logging
import ServiceLifecycle

extension Docpipe {
    /// `docpipe broker`: run the broker in the foreground until Ctrl-C / SIGTERM.
    struct BrokerCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "broker",
            abstract: "Run the broker: the MDP endpoint that workers and clients connect to.",
            discussion: """
                Pipelines come from config.json in the data folder (or --config); without one, the default \
                pipeline is extractor → classifier → summarizer → storage-writer. Accepted jobs are journalled \
                in journal.sqlite and resumed after a restart.

                EXAMPLES:
                  docpipe broker
                  docpipe broker --bind tcp://127.0.0.1:6000 --data /var/lib/docpipe
                  docpipe broker --config pipelines.json --heartbeat-ms 1000
                """)

        @Option(name: .long, help: "Endpoint to bind (clients and workers share it).")
        var bind: String = BrokerConfiguration.defaultEndpoint

        @Option(name: .long, help: "Pipelines config file (JSON). Default: config.json in the data folder.")
        var config: String?

        @Option(name: .customLong("heartbeat-ms"), help: "Heartbeat interval (MDP default 2500).")
        var heartbeatMs: Int64?

        @Option(name: .long, help: "Missed heartbeats before a worker is declared dead (default 3).")
        var liveness: Int?

        @Flag(name: .long, help: "Allow binding a non-loopback address without CURVE encryption.")
        var insecure = false

        @OptionGroup var data: DataOptions
        @OptionGroup var log: LogOptions

        func validate() throws {
            if !Self.isLoopback(bind), !insecure {
                throw ValidationError(
                    "\(bind) is reachable from other machines and CURVE is not configured; "
                        + "bind 127.0.0.1, or pass --insecure on a trusted network")
            }
        }

        static func isLoopback(_ endpoint: String) -> Bool {
            endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://")
                || endpoint.hasPrefix("tcp://127.") || endpoint.hasPrefix("tcp://localhost:")
                || endpoint.hasPrefix("tcp://[::1]:")
        }

        func run() async throws {
            log.bootstrap()
            let configuration = try Self.configuration(
                bind: bind, data: data, configFile: config, heartbeatMs: heartbeatMs, liveness: liveness)
            let logger = Logger(label: "docpipe.broker")
            let broker = Broker(configuration: configuration, logger: logger)
            // SIGHUP re-reads the pipelines (the daemon convention); `docpipe reload` does the same remotely.
            signal(SIGHUP, SIG_IGN)
            let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
            hangup.setEventHandler { broker.requestReload() }
            hangup.resume()
            defer { hangup.cancel() }
            let group = ServiceGroup(configuration: .init(
                services: [BrokerService(broker: broker)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
            try await group.run()
        }

        static func configuration(
            bind: String, data: DataOptions, configFile: String?, heartbeatMs: Int64? = nil, liveness: Int? = nil
        ) throws -> BrokerConfiguration {
            var configuration = BrokerConfiguration(endpoint: bind, journalPath: data.journalPath)
            let path = configFile ?? data.configPath
            if configFile != nil, !FileManager.default.fileExists(atPath: path) {
                throw CLIError("config file \(path) does not exist")
            }
            configuration = try BrokerConfigFile.load(path: path).apply(to: configuration)
            configuration.configPath = path
            if let heartbeatMs { configuration.heartbeat.intervalMs = heartbeatMs }
            if let liveness { configuration.heartbeat.liveness = liveness }
            return configuration
        }
    }
}
