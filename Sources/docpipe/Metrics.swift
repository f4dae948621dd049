import ArgumentParser
import DocClient
import DocProtocol
import DocpipeGateway
import Foundation
import Logging
import OperatorViews

extension Docpipe {
    /// `docpipe metrics`: the broker's figures in the Prometheus text format.
    struct Metrics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print the broker's metrics in the Prometheus text format, write them for node_exporter, or serve them.",
            discussion: """
                Counters (docpipe_stage_done_total, …) are totals that survive broker restarts; gauges are \
                queues, in-flight, workers and rates; docpipe_stage_latency_seconds and \
                docpipe_end_to_end_latency_seconds are summaries with quantile labels from the broker's \
                HdrHistograms. When the broker does not answer, docpipe_up is 0 (and the exit status 1, unless \
                --listen). docpipe_broker_active is 1 for an active broker, 0 for a standby; given several \
                endpoints (brokers sharing a journal), each is asked and has its own sample (an endpoint label), \
                and the other metrics are the active broker's.

                --output FILE writes atomically (a temporary file, then rename) for node_exporter's textfile \
                collector. --listen HOST:PORT serves GET /metrics (and /healthz) with the gateway's HTTP server \
                (`docpipe gateway` serves the same route beside its API); every scrape asks the broker afresh.

                EXAMPLES:
                  docpipe metrics
                  docpipe metrics --output /var/lib/node_exporter/textfile/docpipe.prom   # from cron
                  docpipe metrics --listen 0.0.0.0:9464 --broker tcp://broker-host:5555
                  docpipe metrics --json
                """)

        @Option(name: .long, help: "Write the exposition to this file atomically instead of stdout.") var output:
            String?
        @Option(name: .long, help: "Serve GET /metrics on HOST:PORT (e.g. 127.0.0.1:9464) until SIGINT/SIGTERM.")
        var listen: String?
        @Flag(name: .long, help: "Print the status and worker list the metrics come from, as JSON.") var json = false
        @OptionGroup var broker: BrokerOptions

        func validate() throws {
            if let listen, GatewayListen.parse(listen) == nil {
                throw ValidationError("--listen wants HOST:PORT, e.g. 127.0.0.1:9464, not '\(listen)'")
            }
            if json, output != nil || listen != nil {
                throw ValidationError("--json prints to stdout; drop --output/--listen")
            }
        }

        func run() async throws {
            if let listen { return try await serve(listen) }
            let snapshot = Self.fetch(broker)
            if json { return try printJSON(snapshot) }
            let text = PrometheusText.render(
                status: snapshot.status, workers: snapshot.workers,
                brokers: snapshot.brokers)
            if let output {
                try Self.writeAtomically(text, to: output)
            } else {
                print(text, terminator: "")
            }
            if snapshot.status == nil {
                printError("broker at \(broker.broker) did not answer: \(snapshot.error ?? "?")")
                throw ExitCode(1)
            }
        }

        /// `--listen`: the gateway's server with its metrics routes only, no tokens, no store.
        private func serve(_ listen: String) async throws {
            let (host, port) = GatewayListen.parse(listen)!
            let settings = GatewaySettings(
                host: host, port: port, broker: broker.broker,
                brokerTimeoutMs: broker.timeoutMs, lanes: 2, maxBodyBytes: 1 << 16,
                pipeline: "default", idleTimeoutS: 10)
            let server = try GatewayServer(
                settings: settings, store: nil, tokens: nil,
                logger: Logger(label: "docpipe.metrics"), routes: GatewayRoute.metricsOnly)
            let shown = host.contains(":") ? "[\(host)]" : host
            try await server.run { bound in printError("serving Prometheus metrics on http://\(shown):\(bound)/metrics")
            }
        }

        static func fetch(_ broker: BrokerOptions) -> MetricsScrape.Snapshot {
            MetricsScrape.fetch(broker: broker.broker, timeoutMs: broker.timeoutMs)
        }

        static func scrape(_ broker: BrokerOptions) -> String {
            MetricsScrape.scrape(broker: broker.broker, timeoutMs: broker.timeoutMs)
        }

        /// A collector never reads a half-written file: write beside it, then rename over it (atomic on POSIX).
        static func writeAtomically(_ text: String, to path: String) throws {
            let url = URL(fileURLWithPath: path)
            let temporary = url.deletingLastPathComponent()
                .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
            try Data(text.utf8).write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw CLIError("cannot move metrics into \(path): \(reason)")
            }
        }
    }
}
