import ArgumentParser
import DocClient
import DocProtocol
import Foundation
import OperatorViews

extension Docpipe {
    /// `docpipe status`: one snapshot of the broker, or a health check with `--check`.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the broker's rates, queues, stages, workers and latencies; --check for probes.",
            discussion: """
                The broker answers from state it already holds (it never asks a busy worker), so this returns \
                at once however loaded the pipeline is. IN/s and OUT/s are averaged over the last minute; \
                P50/P95/P99 are lease → reply per stage (HdrHistogram), end-to-end is submit → stored. \
                Totals (FAILED, RETRIED, DLQ) survive broker restarts.

                --check prints one line and exits 0 (OK), 1 (WARNING: a --warn-* limit is crossed), 2 (CRITICAL: \
                a threshold is crossed, every one named, or a pipeline stage has no worker while documents wait \
                for it) or 3 (the broker did not answer): for cron, systemd and Nagios-style probes.

                --broker may list several brokers sharing a journal (tcp://a:5555,tcp://b:5555): each is asked, \
                a Brokers section shows their roles (active, standby, unreachable) and failovers, then the \
                active broker's status follows; --json adds a brokers array; --check is CRITICAL when none is active.

                EXAMPLES:
                  docpipe status
                  docpipe status --json | jq '.stages[] | {service, queued}'
                  docpipe status --check --max-oldest 300s --min-workers extractor=2 --max-dlq 0
                  docpipe status --check --max-p95 summarizer=2s --max-queued 10000 --broker tcp://broker-host:5555
                  docpipe status --check --warn-queued 1000 --warn-oldest 60s --max-queued 10000 --max-oldest 10m
                  docpipe status --broker tcp://broker-a:5555,tcp://broker-b:5555
                """)

        @OptionGroup var broker: BrokerOptions
        @Flag(name: .long, help: "Print the raw BrokerStatus JSON (with --check: the verdict as JSON).") var json =
            false
        @Flag(name: .long, help: "Health check: print one line, exit non-zero when a threshold is crossed.")
        var check = false
        @Option(
            name: .customLong("max-oldest"), help: "With --check: oldest queued document's age limit (300, 300s, 5m).")
        var maxOldest: String?
        @Option(name: .customLong("min-workers"), help: "With --check: SERVICE=N alive workers at least (repeatable).")
        var minWorkers: [String] = []
        @Option(name: .customLong("max-dlq"), help: "With --check: dead letters at most.") var maxDLQ: Int?
        @Option(name: .customLong("max-queued"), help: "With --check: documents queued in all stages at most.")
        var maxQueued: Int?
        @Option(
            name: .customLong("max-p95"),
            help: "With --check: SERVICE=MS lease → reply P95 limit (repeatable; 2s works).")
        var maxP95: [String] = []
        @Option(
            name: .customLong("warn-queued"), help: "With --check: WARNING (exit 1) above this many queued documents.")
        var warnQueued: Int?
        @Option(
            name: .customLong("warn-oldest"),
            help: "With --check: WARNING (exit 1) when the oldest queued document is older (60s, 5m).")
        var warnOldest: String?

        func validate() throws {
            let limited =
                maxOldest != nil || !minWorkers.isEmpty || maxDLQ != nil || maxQueued != nil || !maxP95.isEmpty
                || warnQueued != nil || warnOldest != nil
            if limited, !check { throw ValidationError("thresholds need --check") }
            _ = try thresholds()
        }

        func thresholds() throws -> HealthThresholds {
            var limits = HealthThresholds(maxDeadLetters: maxDLQ, maxQueued: maxQueued, warnQueued: warnQueued)
            if let warnOldest {
                guard let seconds = HealthCheck.parseDuration(warnOldest) else {
                    throw ValidationError("--warn-oldest wants a duration like 60, 60s or 5m, not '\(warnOldest)'")
                }
                limits.warnOldestS = seconds
            }
            if let maxOldest {
                guard let seconds = HealthCheck.parseDuration(maxOldest) else {
                    throw ValidationError("--max-oldest wants a duration like 300, 300s or 5m, not '\(maxOldest)'")
                }
                limits.maxOldestS = seconds
            }
            do {
                limits.minWorkers = try HealthCheck.parseWorkerMinimums(minWorkers)
                limits.maxP95Ms = try HealthCheck.parseLatencyLimits(maxP95)
            } catch let error as HealthCheckError {
                throw ValidationError(error.description)
            }
            return limits
        }

        func run() throws {
            if broker.endpoints.count > 1 { return try runEach(broker.endpoints) }
            guard check else {
                let status = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs).status()
                if json { return try printJSON(status) }
                return print(StatusView.render(status))
            }
            let report: HealthReport
            do {
                let status = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs).status()
                report = HealthCheck.evaluate(status, try thresholds())
            } catch {
                let line = "UNKNOWN: broker at \(broker.broker) did not answer: \(error)"
                if json { try printJSON(CheckVerdict(state: "unknown", line: line, problems: [])) } else { print(line) }
                throw ExitCode(HealthReport.unknownCode)
            }
            if json {
                try printJSON(
                    CheckVerdict(
                        state: report.state, line: report.line, problems: report.problems,
                        warnings: report.warnings))
            } else {
                print(report.line)
            }
            if report.exitCode != HealthReport.okCode { throw ExitCode(report.exitCode) }
        }

        /// Several endpoints: asks each (a short timeout), shows their roles, then the active one's status.
        private func runEach(_ endpoints: [String]) throws {
            let probes = BrokerProbe.probeAll(endpoints, timeoutMs: BrokerProbe.timeout(broker.timeoutMs))
            let active = BrokerProbe.active(probes)
            guard check else {
                if json {
                    try printJSON(StatusWithBrokers(status: active?.status, brokers: probes))
                } else {
                    print(FailoverView.brokers(probes).joined(separator: "\n"))
                    if let status = active?.status { print("\n" + StatusView.render(status)) }
                }
                if active == nil { throw ExitCode(1) }
                return
            }
            guard let report = HealthCheck.evaluate(probes, try thresholds()) else {
                let line =
                    "UNKNOWN: no broker of \(endpoints.joined(separator: ", ")) answered "
                    + "docpipe.status within \(BrokerProbe.timeout(broker.timeoutMs)) ms"
                if json { try printJSON(CheckVerdict(state: "unknown", line: line, problems: [])) } else { print(line) }
                throw ExitCode(HealthReport.unknownCode)
            }
            if json {
                try printJSON(
                    CheckVerdict(
                        state: report.state, line: report.line, problems: report.problems,
                        warnings: report.warnings))
            } else {
                print(report.line)
            }
            if report.exitCode != HealthReport.okCode { throw ExitCode(report.exitCode) }
        }

        /// `status --check --json`. `state` (ok, warning, critical, unknown), as `status` is a reply's numeric
        /// code everywhere else.
        struct CheckVerdict: Encodable {
            var state: String
            var line: String
            var problems: [String]
            var warnings: [String] = []
        }
    }
}

extension Docpipe {
    /// `docpipe reload`: the broker re-reads its pipelines without a restart.
    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the broker re-read the pipelines in its config file (like SIGHUP).",
            discussion: """
                Running jobs keep the stages they started with; new submits use the new pipelines. A config \
                file with an error changes nothing and the error is printed.

                EXAMPLES:
                  docpipe reload
                  docpipe reload --broker tcp://broker-host:5555 --json
                """)

        @OptionGroup var broker: BrokerOptions
        @Flag(name: .long, help: "Print the broker status after the reload as JSON.") var json = false

        func run() throws {
            let client = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs)
            let reply = try client.mdp.request(
                service: ServiceName.reload, body: [Data("{}".utf8)],
                timeoutMs: broker.timeoutMs)
            let status = try DocpipeClient.decodeReply(reply, as: BrokerStatus.self)
            if json { return try printJSON(status) }
            print("reloaded; pipelines now:")
            for (name, stages) in status.pipelines.sorted(by: { $0.key < $1.key }) {
                print("  \(name): " + stages.joined(separator: " → "))
            }
        }
    }
}
