package import DocProtocol
package import Foundation

/// Renders broker figures in the Prometheus text exposition format (version 0.0.4).
///
/// Latencies are summaries in seconds (Prometheus base units) with quantile labels, straight from the
/// broker's HdrHistograms; totals that survive restarts are `_total` counters, so `rate()` works across
/// broker restarts. Pure: tests compare the text with the numbers the broker answered.
package struct PrometheusText {
    private var families: [String] = []
    private var current: [String] = []

    /// The exposition for a status (and, when given, the worker list); `up` is false when the broker did not answer.
    /// `brokers`, given several endpoints, adds one `docpipe_broker_active` sample per endpoint that answered;
    /// `status` is then the active broker's.
    package static func render(status: BrokerStatus?, workers: WorkerList?, brokers: [BrokerProbe]? = nil) -> String {
        var text = PrometheusText()
        text.family("docpipe_up", .gauge, "1 if the broker answered this scrape, else 0.")
        text.sample("docpipe_up", status == nil ? 0 : 1)
        text.addRoles(status: status, brokers: brokers)
        guard let status else { return text.finished() }
        text.add(status)
        if let totals = status.totals { text.add(totals) }
        text.add(OperatorFormat.stageRows(status))
        if let workers { text.add(workers) }
        return text.finished()
    }

    package enum Kind: String { case counter, gauge, summary }

    private mutating func add(_ status: BrokerStatus) {
        gauge("docpipe_uptime_seconds", "Seconds since the broker started.", Double(status.uptimeSeconds))
        gauge("docpipe_workers_alive", "Workers connected now.", Double(status.workers))
        family("docpipe_jobs", .gauge, "Jobs by state in the journal.")
        let jobs = status.jobs
        for (state, value) in [
            ("queued", jobs.queued), ("running", jobs.running), ("done", jobs.done),
            ("failed", jobs.failed),
        ] {
            sample("docpipe_jobs", Double(value), ["state": state])
        }
        counter("docpipe_jobs_accepted_total", "Documents accepted since the journal began.", Double(jobs.accepted))
        family("docpipe_events_total", .counter, "Protocol violations and other broker events, by name.")
        for (name, value) in status.counters.sorted(by: { $0.key < $1.key }) {
            sample("docpipe_events_total", Double(value), ["event": name])
        }
    }

    private mutating func addRoles(status: BrokerStatus?, brokers: [BrokerProbe]?) {
        family("docpipe_broker_active", .gauge, "1 if the broker is the active one, 0 for a standby.")
        if let brokers {
            for probe in brokers {
                guard let answer = probe.status else { continue }
                sample("docpipe_broker_active", answer.isActive ? 1 : 0, ["endpoint": probe.endpoint])
            }
        } else if let status {
            sample("docpipe_broker_active", status.isActive ? 1 : 0)
        }
        let failovers = status?.failover ?? brokers?.lazy.compactMap(\.failover).first
        if let failovers {
            counter(
                "docpipe_broker_failovers_total", "Times the lease passed from one broker to another.",
                Double(failovers.failovers))
        }
    }

    private mutating func add(_ totals: BrokerTotals) {
        gauge("docpipe_documents_in_per_second", "Documents accepted per second over the last minute.", totals.inPerS)
        gauge("docpipe_documents_out_per_second", "Jobs finished per second over the last minute.", totals.outPerS)
        gauge("docpipe_queued_documents", "Documents waiting in all stage queues.", Double(totals.queued))
        gauge("docpipe_dead_letters", "Jobs in the dead-letter queue.", Double(totals.deadLetters))
        gauge(
            "docpipe_oldest_queued_seconds", "Age of the oldest queued document (0 when none).",
            totals.oldestQueuedS ?? 0)
        gauge("docpipe_workers_known", "Workers that registered since the broker started.", Double(totals.workersKnown))
        summary(
            "docpipe_end_to_end_latency_seconds", "Submit → stored latency of whole jobs.",
            [("", totals.endToEndMs)])
    }

    private mutating func add(_ stages: [StageStats]) {
        let gauges: [(String, String, (StageStats) -> Double)] = [
            ("docpipe_stage_queued", "Documents waiting for the stage.", { Double($0.queued) }),
            ("docpipe_stage_inflight", "Documents leased to the stage's workers.", { Double($0.inflight) }),
            ("docpipe_stage_workers", "Workers serving the stage.", { Double($0.workers) }),
            (
                "docpipe_stage_oldest_queued_seconds", "Age of the stage's oldest queued document (0 when none).",
                { $0.oldestQueuedS ?? 0 }
            ),
            ("docpipe_stage_in_per_second", "Requests leased per second over the last minute.", \.inPerS),
            ("docpipe_stage_out_per_second", "Replies per second over the last minute.", \.outPerS),
        ]
        let counters: [(String, String, (StageStats) -> Int)] = [
            ("docpipe_stage_done_total", "Stage attempts that succeeded (survives broker restarts).", \.done),
            ("docpipe_stage_failed_total", "Stage attempts that failed or timed out.", \.failed),
            ("docpipe_stage_retried_total", "Stage attempts scheduled again after a failure.", \.retried),
            ("docpipe_stage_dead_lettered_total", "Jobs dead-lettered at this stage.", \.deadLettered),
        ]
        for (name, help, value) in gauges {
            family(name, .gauge, help)
            for stage in stages { sample(name, value(stage), ["stage": stage.service]) }
        }
        for (name, help, value) in counters {
            family(name, .counter, help)
            for stage in stages { sample(name, Double(value(stage)), ["stage": stage.service]) }
        }
        summary(
            "docpipe_stage_latency_seconds", "Lease → reply latency per stage.",
            stages.map { ($0.service, $0.latencyMs) }, label: "stage")
    }

    private mutating func add(_ list: WorkerList) {
        family("docpipe_workers", .gauge, "Connected workers by service and state (idle, busy, stale).")
        let services = Set(list.workers.map(\.service)).sorted()
        for service in services {
            for state in WorkerList.Worker.State.allOrdered {
                let count = list.workers.filter { $0.service == service && $0.state == state }.count
                sample("docpipe_workers", Double(count), ["service": service, "state": state.rawValue])
            }
        }
    }

    // MARK: writing families and samples

    private mutating func gauge(_ name: String, _ help: String, _ value: Double) {
        family(name, .gauge, help)
        sample(name, value)
    }

    private mutating func counter(_ name: String, _ help: String, _ value: Double) {
        family(name, .counter, help)
        sample(name, value)
    }

    /// Quantiles 0.5/0.95/0.99 plus `_count`; `_max` rides along as its own gauge family. The broker keeps
    /// histograms, not sums, so `_sum` is absent (Prometheus accepts that; averages were never the point).
    private mutating func summary(
        _ name: String, _ help: String, _ series: [(String, LatencySummary?)],
        label: String? = nil
    ) {
        family(name, .summary, help)
        var maxima: [(String, Double)] = []
        for (key, latency) in series {
            guard let latency, latency.count > 0 else { continue }
            let base = label.map { [$0: key] } ?? [:]
            for (quantile, ms) in [("0.5", latency.p50), ("0.95", latency.p95), ("0.99", latency.p99)] {
                sample(name, ms / 1000, base.merging(["quantile": quantile]) { a, _ in a })
            }
            sample(name + "_count", Double(latency.count), base)
            maxima.append((key, latency.max / 1000))
        }
        // "…_latency_max_seconds", not "…_seconds_max": suffixes after the unit read as summary parts to some tools.
        let maxName = name.replacingOccurrences(of: "_seconds", with: "_max_seconds")
        family(maxName, .gauge, "Largest sample of \(name).")
        for (key, value) in maxima { sample(maxName, value, label.map { [$0: key] } ?? [:]) }
    }

    private mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        flush()
        current = ["# HELP \(name) \(help)", "# TYPE \(name) \(kind.rawValue)"]
    }

    private mutating func sample(_ name: String, _ value: Double, _ labels: [String: String] = [:]) {
        let rendered =
            labels.isEmpty
            ? ""
            : "{"
                + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }
                .joined(separator: ",") + "}"
        current.append("\(name)\(rendered) \(Self.number(value))")
    }

    /// A family without samples is left out: Prometheus accepts it, but it is noise to a reader.
    private mutating func flush() {
        if current.count > 2 { families.append(current.joined(separator: "\n")) }
        current = []
    }

    private mutating func finished() -> String {
        flush()
        return families.joined(separator: "\n") + "\n"
    }

    package static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    package static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }
}

extension WorkerList.Worker.State {
    /// The order every view lists worker states in.
    package static let allOrdered: [Self] = [.busy, .idle, .stale]
}
