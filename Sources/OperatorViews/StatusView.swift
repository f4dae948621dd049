package import DocProtocol
package import Foundation

/// The text of `docpipe status`: a header of broker-wide figures, then a row per stage.
package enum StatusView {
    package static func render(_ status: BrokerStatus) -> String {
        var lines = header(status)
        lines.append("")
        let rows = OperatorFormat.stageRows(status)
        lines.append(rows.isEmpty ? "(no stages yet: start workers or submit documents)" : stageTable(rows).render())
        lines.append("")
        for (name, stages) in status.pipelines.sorted(by: { $0.key < $1.key }) {
            lines.append("pipeline \(name): " + stages.joined(separator: " → "))
        }
        let counters = status.counters.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !counters.isEmpty {
            lines.append("counters: " + counters.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    package static func header(_ status: BrokerStatus) -> [String] {
        let jobs = status.jobs
        var lines = [
            "docpipe broker \(status.version) at \(status.endpoint), up \(OperatorFormat.age(status.uptimeSeconds))"
        ]
        if let role = FailoverView.roleLine(status) { lines.append(role) }
        if let access = status.access { lines.append("access: \(access)") }
        if let totals = status.totals {
            lines.append(
                "documents in \(OperatorFormat.rate(totals.inPerS))/s, out \(OperatorFormat.rate(totals.outPerS))/s "
                    + "(last minute)   workers \(status.workers) alive / \(totals.workersKnown) known")
            lines.append(
                "queued \(OperatorFormat.count(totals.queued)), oldest \(OperatorFormat.age(totals.oldestQueuedS))   "
                    + "dead letters \(OperatorFormat.count(totals.deadLetters))")
            lines.append("end-to-end submit→stored: " + OperatorFormat.latency(totals.endToEndMs))
        } else {
            lines.append("workers \(status.workers) alive")
        }
        lines.append(
            "jobs: \(OperatorFormat.count(jobs.accepted)) accepted, \(jobs.queued) queued, \(jobs.running) running, "
                + "\(OperatorFormat.count(jobs.done)) done, \(OperatorFormat.count(jobs.failed)) failed")
        return lines
    }

    /// STAGE QUEUED INFLIGHT OLDEST IN/s OUT/s FAILED RETRIED DLQ WORKERS P50 P95 P99 (lease → reply).
    package static func stageTable(_ rows: [StageStats]) -> TextTable {
        var table = TextTable(
            "STAGE", "QUEUED", "INFLIGHT", "OLDEST", "IN/s", "OUT/s", "FAILED", "RETRIED", "DLQ",
            "WORKERS", "P50", "P95", "P99", maxWidths: [24])
        for stage in rows {
            let latency = stage.latencyMs.flatMap { $0.count > 0 ? $0 : nil }
            table.add(
                stage.service, OperatorFormat.count(stage.queued), "\(stage.inflight)",
                OperatorFormat.age(stage.oldestQueuedS), OperatorFormat.rate(stage.inPerS),
                OperatorFormat.rate(stage.outPerS), OperatorFormat.count(stage.failed),
                OperatorFormat.count(stage.retried), OperatorFormat.count(stage.deadLettered), "\(stage.workers)",
                OperatorFormat.millis(latency?.p50), OperatorFormat.millis(latency?.p95),
                OperatorFormat.millis(latency?.p99))
        }
        return table
    }
}
