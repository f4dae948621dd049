import ArgumentParser
import BrokerCore
import DocBroker
import DocBrokerPostgres
import DocStore
import Foundation
import Logging
import PluginTooling
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
                in journal.log and resumed after a restart.

                EXAMPLES:
                  docpipe broker
                  docpipe broker --bind tcp://127.0.0.1:6000 --data /var/lib/docpipe
                  docpipe broker --config pipelines.json --heartbeat-ms 1000
                  docpipe broker --bind tcp://0.0.0.0:5555 --data /var/lib/docpipe   # CURVE: DATA/keys/server.key_secret
                  docpipe broker --journal postgres://docpipe@db.internal/docpipe     # failover: run one per machine

                FAILOVER: brokers given the same postgres:// journal share it; one holds its lease and is active, \
                the others answer as standbys and take over within about 4 s when the active one is lost, \
                resuming every unfinished job. Give workers and clients every broker: \
                --broker tcp://a:5555,tcp://b:5555. See docs/DEPLOYMENT.md.

                SECURITY: a network address (anything but 127.x, localhost, ::1, ipc://) needs CURVE: the \
                server key pair (`docpipe keygen server`, or --curve-secret) and an authorized-keys folder \
                holding one NAME.key per client and worker (--authorized-keys, default DATA/authorized_keys). \
                Adding or deleting a key file takes effect at once; a deleted key's peers are disconnected. \
                --insecure runs plaintext anyway, for a network you trust. See docs/DEPLOYMENT.md.
                """)

        @Option(name: .long, help: "Endpoint to bind (clients and workers share it).")
        var bind: String = BrokerConfiguration.defaultEndpoint

        @Option(name: .long, help: "Pipelines config file (JSON). Default: config.json in the data folder.")
        var config: String?

        @Option(name: .customLong("heartbeat-ms"), help: "Heartbeat interval (MDP default 2500).")
        var heartbeatMs: Int64?

        @Option(name: .long, help: "Missed heartbeats before a worker is declared dead (default 3).")
        var liveness: Int?

        @Option(
            name: .long,
            help: """
                Where the journal lives: postgres://USER@HOST/DB shares it with other brokers (one active, the \
                others standby), a path keeps it in that file. Default: $DOCPIPE_JOURNAL, then "journal" in \
                config.json, then DATA/journal.log.
                """)
        var journal: String?

        @Flag(name: .long, help: "Allow binding a non-loopback address without CURVE encryption.")
        var insecure = false

        @Option(
            name: .customLong("curve-secret"),
            help: "The broker's CURVE secret key file. Default on a network address: DATA/keys/server.key_secret.")
        var curveSecret: String?

        @Option(
            name: .customLong("authorized-keys"),
            help: "Folder of NAME.key files of the clients and workers allowed in. Default: DATA/authorized_keys.")
        var authorizedKeys: String?

        @OptionGroup var data: DataOptions
        @OptionGroup var log: LogOptions

        func validate() throws {
            if insecure, curveSecret != nil {
                throw ValidationError("--insecure turns CURVE off and --curve-secret turns it on; pass one of them")
            }
            if !Self.isLoopback(bind), !insecure, curveSecretPath == nil {
                throw ValidationError(
                    """
                    refusing to bind \(bind) without CURVE: anyone who can reach it could register a fake worker \
                    and read every document. Make the broker's keys with `docpipe keygen server --data \(data.folder)` \
                    (it is then found as \(data.path("keys/server.key_secret"))) or pass --curve-secret FILE; \
                    bind 127.0.0.1 for this machine only; or pass --insecure on a network you trust.
                    """)
            }
        }

        static func isLoopback(_ endpoint: String) -> Bool { EndpointScope.isLoopback(endpoint) }

        /// The server key to use: --curve-secret, else on a network address the data folder's server key if present.
        var curveSecretPath: String? {
            Self.curveSecretPath(explicit: curveSecret, bind: bind, insecure: insecure, data: data)
        }

        static func curveSecretPath(explicit: String?, bind: String, insecure: Bool, data: DataOptions) -> String? {
            if let explicit { return explicit }
            let standard = data.path("keys/server.key_secret")
            guard !insecure, !isLoopback(bind), FileManager.default.fileExists(atPath: standard) else { return nil }
            return standard
        }

        func run() async throws {
            log.bootstrap()
            var configuration = try Self.configuration(
                bind: bind, data: data, configFile: config, heartbeatMs: heartbeatMs, liveness: liveness)
            let logger = Logger(label: "docpipe.broker")
            Self.warnAboutUnknownStages(configuration, path: config ?? data.configPath, logger: logger)
            let journalChoice =
                journal ?? ProcessInfo.processInfo.environment["DOCPIPE_JOURNAL"]
                ?? configuration.journalSetting
            if let journalChoice, !journalChoice.isEmpty {
                configuration = try await Self.useJournal(journalChoice, in: configuration, logger: logger)
            }
            if let curveSecretPath {
                configuration.security = try BrokerSecurity.load(
                    secretKeyFile: curveSecretPath, authorizedKeysFolder: authorizedKeys ?? data.path("authorized_keys")
                )
            }
            let broker = Broker(configuration: configuration, logger: logger)
            // A file size limit (ulimit -f) must reach the journal as a write error it can wait out (EFBIG),
            // not as SIGXFSZ, whose default action kills the process.
            signal(SIGXFSZ, SIG_IGN)
            // SIGHUP re-reads the pipelines (the daemon convention); `docpipe reload` does the same remotely.
            let group = ServiceGroup(
                configuration: .init(
                    services: [BrokerService(broker: broker, reloadOnHangup: true)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            try await group.run()
        }

        /// A stage naming a service nobody provides fails nothing loudly (its jobs wait in the queue), so say so
        /// at start, with where in the config file it is; plugins are looked for in ./plugins, as `docpipe up` does.
        static func warnAboutUnknownStages(_ configuration: BrokerConfiguration, path: String, logger: Logger) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
            let provided = Set(PluginCatalog.scan(PluginCatalog.folder(nil)).plugins.map(\.manifest.service))
            let pipelines = configuration.pipelines.mapValues { $0.stages.map(\.service) }
            for warning in PluginPipelineCheck.configWarnings(
                pipelines: pipelines, provided: provided,
                configText: text, path: path)
            {
                logger.warning("\(warning)")
            }
        }

        /// Points the broker at the journal the operator chose: a PostgreSQL URL makes it one of a failover
        /// group (checking the server and the login now, so a wrong URL fails with one clear line).
        static func useJournal(_ choice: String, in base: BrokerConfiguration, logger: Logger) async throws
            -> BrokerConfiguration
        {
            var configuration = base
            guard choice.hasPrefix("postgres://") || choice.hasPrefix("postgresql://") else {
                configuration.journalPath = choice
                return configuration
            }
            do {
                let url = try PostgresURL(parsing: choice)
                configuration.journalLease = try await PostgresLease.open(
                    url: url, settings: .init(retentionSeconds: configuration.retentionSeconds), logger: logger)
            } catch {
                throw CLIError("--journal: \(error)")
            }
            return configuration
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
