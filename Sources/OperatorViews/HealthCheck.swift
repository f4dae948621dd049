package import DocProtocol
package import Foundation

/// Limits for `docpipe status --check`; nil or empty means "not checked".
package struct HealthThresholds: Equatable {
    /// The oldest queued document may have waited at most this many seconds.
    package var maxOldestS: Double?
    /// At least this many alive workers per service.
    package var minWorkers: [String: Int] = [:]
    package var maxDeadLetters: Int?
    /// Documents queued in all stages together.
    package var maxQueued: Int?
    /// Lease → reply P95 per stage, in milliseconds.
    package var maxP95Ms: [String: Double] = [:]
    /// WARNING (not CRITICAL) above these: documents queued in all stages, the oldest one's age.
    package var warnQueued: Int?
    package var warnOldestS: Double?

    package init(
        maxOldestS: Double? = nil, minWorkers: [String: Int] = [:], maxDeadLetters: Int? = nil, maxQueued: Int? = nil,
        maxP95Ms: [String: Double] = [:], warnQueued: Int? = nil, warnOldestS: Double? = nil
    ) {
        self.maxOldestS = maxOldestS
        self.minWorkers = minWorkers
        self.maxDeadLetters = maxDeadLetters
        self.maxQueued = maxQueued
        self.maxP95Ms = maxP95Ms
        self.warnQueued = warnQueued
        self.warnOldestS = warnOldestS
    }
}

/// The verdict of a health check: every threshold crossed, as one line for cron mail, systemd and probes.
package struct HealthReport: Equatable {
    /// Nagios/Icinga plugin convention, which most probes understand: 0 OK, 1 warning, 2 critical, 3 unknown.
    package static let okCode: Int32 = 0
    package static let warningCode: Int32 = 1
    package static let criticalCode: Int32 = 2
    package static let unknownCode: Int32 = 3

    package var problems: [String]
    package var summary: String
    /// Soft limits crossed: reported as WARNING when nothing is critical.
    package var warnings: [String] = []

    package var isHealthy: Bool { problems.isEmpty }
    package var exitCode: Int32 { !isHealthy ? Self.criticalCode : warnings.isEmpty ? Self.okCode : Self.warningCode }
    /// `ok`, `warning` or `critical`, for `--json`.
    package var state: String { !isHealthy ? "critical" : warnings.isEmpty ? "ok" : "warning" }
    package var line: String {
        if !isHealthy { return "CRITICAL: " + (problems + warnings).joined(separator: "; ") }
        if !warnings.isEmpty { return "WARNING: " + warnings.joined(separator: "; ") }
        return "OK: \(summary)"
    }
}

/// Compares a broker snapshot with thresholds. Pure: the status is what the broker already answered.
package enum HealthCheck {
    package static func evaluate(_ status: BrokerStatus, _ limits: HealthThresholds) -> HealthReport {
        let stages = OperatorFormat.stageRows(status)
        let queued = status.totals?.queued ?? stages.reduce(0) { $0 + $1.queued }
        let oldest = status.totals?.oldestQueuedS ?? stages.compactMap(\.oldestQueuedS).max()
        let deadLetters = status.totals?.deadLetters ?? stages.reduce(0) { $0 + $1.deadLettered }
        var problems: [String] = []

        if let limit = limits.maxOldestS, let oldest, oldest > limit {
            let stage = stages.filter { $0.oldestQueuedS != nil }.max { $0.oldestQueuedS! < $1.oldestQueuedS! }
            problems.append(
                "oldest queued document has waited \(OperatorFormat.age(oldest))"
                    + (stage.map { " in \($0.service)" } ?? "") + " (limit \(OperatorFormat.age(limit)))")
        }
        for (service, wanted) in limits.minWorkers.sorted(by: { $0.key < $1.key }) {
            let alive = stages.first { $0.service == service }?.workers ?? 0
            if alive < wanted { problems.append("\(service) has \(alive) worker(s), wants at least \(wanted)") }
        }
        if let limit = limits.maxDeadLetters, deadLetters > limit {
            problems.append("\(deadLetters) dead letter(s) (limit \(limit)); see `docpipe dlq list`")
        }
        if let limit = limits.maxQueued, queued > limit {
            problems.append("\(queued) documents queued (limit \(limit))")
        }
        for (service, limit) in limits.maxP95Ms.sorted(by: { $0.key < $1.key }) {
            guard let p95 = stages.first(where: { $0.service == service })?.latencyMs?.p95, p95 > limit else {
                continue
            }
            problems.append("\(service) p95 is \(OperatorFormat.millis(p95)) (limit \(OperatorFormat.millis(limit)))")
        }
        // A stage no worker serves while documents wait for it: the queue only grows until someone looks.
        let staged = Set(status.pipelines.values.flatMap { $0 })
        for service in staged.sorted() {
            guard let row = stages.first(where: { $0.service == service }), row.workers == 0, row.queued > 0 else {
                continue
            }
            let pipelines = status.pipelines.filter { $0.value.contains(service) }.keys.sorted()
            problems.append(
                "\(service) has no worker and \(row.queued) document(s) wait for it (pipeline "
                    + pipelines.map { "'\($0)'" }.joined(separator: ", ") + "); start one, e.g. "
                    + "`docpipe up --only \(service)=1`")
        }
        var warnings: [String] = []
        if let limit = limits.warnQueued, queued > limit {
            warnings.append("\(queued) documents queued (warning at \(limit))")
        }
        if let limit = limits.warnOldestS, let oldest, oldest > limit {
            warnings.append(
                "oldest queued document has waited \(OperatorFormat.age(oldest)) "
                    + "(warning at \(OperatorFormat.age(limit)))")
        }
        if !status.isActive {
            problems.append(
                "the broker at \(status.endpoint) is a standby"
                    + (status.failover?.activeEndpoint.map { "; the journal names \($0) as active" } ?? ""))
        }
        let summary =
            "\(status.workers) worker(s), \(queued) queued, oldest \(OperatorFormat.age(oldest)), "
            + "\(deadLetters) dead letter(s)"
        return HealthReport(problems: problems, summary: summary, warnings: warnings)
    }

    /// The check over several brokers: CRITICAL when none is active, else the active one's figures.
    /// Nil when none answered (UNKNOWN: the probe cannot tell).
    package static func evaluate(_ probes: [BrokerProbe], _ limits: HealthThresholds) -> HealthReport? {
        guard probes.contains(where: { $0.status != nil }) else { return nil }
        guard let active = BrokerProbe.active(probes), let status = active.status else {
            let roles = probes.map { "\($0.endpoint) \($0.role)" }.joined(separator: ", ")
            return HealthReport(problems: ["no active broker (\(roles))"], summary: "")
        }
        var report = evaluate(status, limits)
        report.summary = "active \(active.endpoint), " + report.summary
        return report
    }

    /// "300", "300s", "5m", "1h", "1500ms" → seconds.
    package static func parseDuration(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let value = Double(trimmed.dropLast(suffix.count)), value >= 0 else { return nil }
            return value * scale
        }
        guard let value = Double(trimmed), value >= 0 else { return nil }
        return value
    }

    /// "extractor=2,summarizer=1" (also given as repeated flags) → ["extractor": 2, "summarizer": 1].
    package static func parseWorkerMinimums(_ specs: [String]) throws -> [String: Int] {
        try parsePairs(specs, example: "extractor=2") { Int($0).flatMap { $0 >= 0 ? $0 : nil } }
    }

    /// "summarizer=2000,extractor=1.5s": a bare number is milliseconds, or a duration with its unit.
    package static func parseLatencyLimits(_ specs: [String]) throws -> [String: Double] {
        try parsePairs(specs, example: "summarizer=2000") { text in
            Double(text).flatMap { $0 >= 0 ? $0 : nil } ?? parseDuration(text).map { $0 * 1000 }
        }
    }

    private static func parsePairs<Value>(_ specs: [String], example: String, _ value: (String) -> Value?) throws
        -> [String: Value]
    {
        var pairs: [String: Value] = [:]
        for spec in specs.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let parts = spec.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let parsed = value(parts[1]) else {
                throw HealthCheckError("'\(spec)' is not SERVICE=VALUE, e.g. \(example)")
            }
            pairs[parts[0]] = parsed
        }
        return pairs
    }
}

/// A --check threshold that cannot be read; the CLI prints it as one line and exits non-zero.
package struct HealthCheckError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
