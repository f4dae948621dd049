import ArgumentParser
import DocBroker
import DocClient
import DocProtocol
import DocStore
import Foundation
import Logging
import PluginTooling
import ServiceLifecycle
import Supervisor
import ZeroMQ

extension Docpipe {
    /// `docpipe up`: a supervisor for one machine — a broker (or a remote one) and the workers, kept running.
    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a broker and workers on this machine and keep them running.",
            discussion: """
                Starts a broker (unless --broker names a remote one) and the workers from --only, else from \
                up.json (--config, default: up.json in the data folder), else one set of the plugins the \
                pipelines name, at each manifest's concurrency. A worker that exits is restarted after a \
                backoff (0.5 s doubling to 30 s; reset after 10 s of healthy running). Prints a line per \
                event and a status table. Ctrl-C or SIGTERM stops every worker (SIGTERM, then SIGKILL after \
                --stop-grace seconds) and the broker.

                EXAMPLES:
                  docpipe up
                  docpipe up --only extractor=2,classifier,summarizer,storage-writer,readability
                  docpipe up --broker tcp://broker-host:5555 --only extractor=4,summarizer=2
                  docpipe up --config up.json --log-dir logs/
                  docpipe keygen server && docpipe up --bind tcp://0.0.0.0:5555   # CURVE; workers get their own key
                  docpipe up --only storage-writer=2 --broker tcp://broker-host:5555 \\
                    --store postgres://docpipe@db-host/docpipe
                """)

        @Option(name: .long, help: "up.json with workers and counts. Default: up.json in the data folder, if any.")
        var config: String?
        @Option(name: .long, help: "Workers and counts, e.g. extractor=4,summarizer=2 (overrides the config).")
        var only: String?
        @Option(
            name: .long,
            help:
                "A remote broker to connect the workers to, instead of starting one (or a comma-separated list of brokers sharing a journal)."
        )
        var broker: String?
        @Option(name: .long, help: "Endpoint for the broker `up` starts. Default: tcp://127.0.0.1:5555.")
        var bind: String?
        @Flag(name: .long, help: "Allow binding a non-loopback address without CURVE encryption.")
        var insecure = false
        @Option(
            name: .customLong("curve-secret"),
            help: "The broker's CURVE secret key file. Default on a network address: DATA/keys/server.key_secret.")
        var curveSecret: String?
        @Option(
            name: .customLong("authorized-keys"),
            help: "Folder of NAME.key files allowed in. Default: DATA/authorized_keys.")
        var authorizedKeys: String?
        @Option(
            name: .customLong("worker-key"),
            help:
                "One CURVE secret key for all of this machine's workers. Default: a key per service, DATA/keys/up-worker-SERVICE.key_secret (role worker:SERVICE), made and authorized on first use."
        )
        var workerKey: String?
        @Option(
            name: .customLong("broker-config"),
            help: "Pipelines config for the broker. Default: config.json in the data folder.")
        var brokerConfig: String?
        @Option(name: .long, help: "Plugins folder. Default: ./plugins.") var plugins: String?
        @Option(name: .customLong("heartbeat-ms"), help: "Heartbeat interval for the broker and the workers.")
        var heartbeatMs: Int?
        @Option(
            name: .customLong("log-dir"), help: "Write each worker's output to DIR/<name>-<n>.log instead of stderr.")
        var logDir: String?
        @Option(name: .customLong("stop-grace"), help: "Seconds workers get to finish on stop before SIGKILL.")
        var stopGrace: Double = 10
        @Option(name: .customLong("status-every"), help: "Print the status table every N seconds (0: only at start).")
        var statusEvery: Double = 30
        @Option(name: .customLong("log-level"), help: "Log level for the broker and workers.") var logLevel = "warning"
        @OptionGroup var data: DataOptions
        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            if let storeFlag = storeOptions.store {
                do { _ = try StoreLocation(parsing: storeFlag) } catch { throw ValidationError("\(error)") }
            }
            if let only { _ = try UpPlan.parseOnly(only) }
            if broker != nil, bind != nil {
                throw ValidationError("--broker (remote) and --bind (own broker) exclude each other")
            }
            if insecure, curveSecret != nil {
                throw ValidationError("--insecure turns CURVE off and --curve-secret turns it on; pass one of them")
            }
            if let bind, !BrokerCommand.isLoopback(bind), !insecure,
                BrokerCommand.curveSecretPath(explicit: curveSecret, bind: bind, insecure: insecure, data: data) == nil
            {
                throw ValidationError(
                    "\(bind) is reachable from other machines and CURVE is not configured: make the "
                        + "broker's keys with `docpipe keygen server --data \(data.folder)` or pass "
                        + "--curve-secret FILE; bind 127.0.0.1; or pass --insecure on a trusted network")
            }
        }

        func run() async throws {
            // A closed stdout must not kill the supervisor before its workers (see writeToStandardOutput).
            signal(SIGPIPE, SIG_IGN)
            LogOptions.bootstrap(level: logLevel)
            storeOptions.passToWorkers()
            let upConfig = try loadConfig()
            let scan = PluginCatalog.scan(PluginCatalog.folder(plugins ?? upConfig.plugins))
            scan.problems.forEach { say("warning: \($0)") }
            let pipelines = try PluginPipelineCheck.pipelines(
                configPath: brokerConfig ?? data.configPath, journalPath: data.journalPath)
            let remote = broker ?? upConfig.broker
            if remote == nil {
                let provided = Set(scan.plugins.map(\.manifest.service))
                PluginPipelineCheck.warnings(pipelines: pipelines, provided: provided).forEach { say("warning: \($0)") }
            }
            let wanted =
                try only.map(UpPlan.parseOnly)
                ?? upConfig.workers?.sorted { $0.key < $1.key }.map { (name: $0.key, count: $0.value) }
                ?? UpPlan.defaultWorkers(pipelines: pipelines, plugins: scan.plugins)

            try FileManager.default.createDirectory(atPath: data.folder, withIntermediateDirectories: true)
            let heartbeat = heartbeatMs ?? upConfig.heartbeatMs
            var brokerService: BrokerService?
            var curve: LocalCurve?
            if remote == nil {
                let address = bind ?? upConfig.bind ?? BrokerConfiguration.defaultEndpoint
                var configuration = try BrokerCommand.configuration(
                    bind: address, data: data, configFile: brokerConfig, heartbeatMs: heartbeat.map(Int64.init))
                curve = try localCurve(bind: address)
                configuration.security = curve?.security
                brokerService = BrokerService(
                    broker: Broker(
                        configuration: configuration,
                        logger: Logger(label: "docpipe.broker")))
            }
            let logFolder = try (logDir ?? upConfig.logDir).map { path in
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                return URL(fileURLWithPath: path)
            }
            let dataFolder = URL(fileURLWithPath: data.folder).standardizedFileURL.path
            let (logLevel, stopGrace, statusEvery, plugins, localCurve) = (
                logLevel, stopGrace, statusEvery, scan.plugins, curve
            )
            let ownBroker = brokerService
            // The supervisor is a service beside the broker's: Ctrl-C or SIGTERM shuts the group down in reverse
            // order, so the workers are stopped before the broker; a broker that fails cancels the supervisor,
            // which stops the workers on its way out.
            let supervision = ClosureService {
                let endpoint: String
                if let ownBroker {
                    endpoint = try await ownBroker.boundEndpoint(timeout: .seconds(10))
                    say("broker listening on \(endpoint) (data \(dataFolder))")
                } else {
                    endpoint = remote ?? ""
                }
                var flags = [
                    "--broker", Self.absoluteEndpoint(endpoint), "--data", dataFolder, "--log-level", logLevel,
                ]
                if let heartbeat { flags += ["--heartbeat-ms", "\(heartbeat)"] }
                let slots = try UpPlan.slots(wanted, plugins: plugins, workerFlags: flags, backoff: SupervisorBackoff())
                {
                    try localCurve?.workerFlags(service: $0) ?? []
                }
                let supervisor = Supervisor(workers: slots, logFolder: logFolder, say: say)
                supervisor.startAll()
                await Self.supervise(
                    supervisor, endpoint: endpoint, curve: localCurve?.clientKeys, plugins: plugins,
                    statusEvery: statusEvery)
                say("stopping \(slots.count) worker(s)")
                supervisor.stopAll(graceSeconds: stopGrace)
                say("all workers stopped")
            }
            var services: [ServiceGroupConfiguration.ServiceConfiguration] =
                ownBroker.map { [.init(service: $0)] } ?? []
            services.append(
                .init(
                    service: supervision, successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup))
            let group = ServiceGroup(
                configuration: .init(
                    services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: Logger(label: "docpipe.up")))
            try await group.run()
        }

        /// Ticks the supervisor every 100 ms (restarts are due by the clock, and exits are noticed by looking)
        /// and prints the status table, until the group shuts down gracefully or is cancelled.
        private static func supervise(
            _ supervisor: Supervisor, endpoint: String, curve: CurveClientKeys?, plugins: [InstalledPlugin],
            statusEvery: Double
        ) async {
            let services = Dictionary(
                plugins.map { ($0.manifest.name, $0.manifest.service) }, uniquingKeysWith: { a, _ in a })
            var nextTable = Date().addingTimeInterval(2)
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                supervisor.tick()
                if Date() >= nextTable {
                    // One status call, at most 1 s, every `--status-every` seconds: short enough to make here.
                    let table = supervisor.table(
                        registered: Self.registered(endpoint, curve: curve), services: services)
                    writeToStandardOutput("\n\(table)\n\n")
                    nextTable = statusEvery > 0 ? Date().addingTimeInterval(statusEvery) : .distantFuture
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }

        private func loadConfig() throws -> UpConfig {
            if let config {
                guard FileManager.default.fileExists(atPath: config) else { throw CLIError("\(config): no such file") }
                return try UpConfig.load(config)
            }
            let inData = data.path("up.json")
            return FileManager.default.fileExists(atPath: inData) ? try UpConfig.load(inData) : UpConfig()
        }

        /// Workers run in their plugin's folder, so a relative ipc:// path must be made absolute.
        static func absoluteEndpoint(_ endpoint: String) -> String {
            // A list of brokers (failover) is made absolute endpoint by endpoint.
            let endpoints = BrokerEndpoints.parse(endpoint)
            guard endpoints.count <= 1 else { return endpoints.map(absoluteEndpoint).joined(separator: ",") }
            guard endpoint.hasPrefix("ipc://"), !endpoint.hasPrefix("ipc:///") else { return endpoint }
            return "ipc://" + URL(fileURLWithPath: String(endpoint.dropFirst(6))).standardizedFileURL.path
        }

        /// Workers per service as the broker counts them, or nil when it does not answer.
        static func registered(_ endpoint: String, curve: CurveClientKeys?) -> [String: Int]? {
            guard let status = try? DocpipeClient(broker: endpoint, timeoutMs: 1000, curve: curve).status() else {
                return nil
            }
            return Dictionary(status.services.map { ($0.name, $0.workers) }, uniquingKeysWith: +)
        }
    }
}

/// Lines for the operator, unbuffered so a pipe or log file sees each event as it happens.
func say(_ line: String) {
    writeToStandardOutput("up: \(line)\n")
}

/// Writes to stdout and ignores failure: when the reader of a pipe has gone (`docpipe up | tee log`, then
/// Ctrl-C reaches tee first), the supervisor must live on to stop its workers, not die of the write.
/// (FileHandle's write traps on EPIPE; SIGPIPE itself is ignored by `up`.)
func writeToStandardOutput(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { return }
        bytes = bytes.dropFirst(written)
    }
}
