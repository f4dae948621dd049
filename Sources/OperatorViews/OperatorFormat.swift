package import DocProtocol
package import Foundation

/// Short, fixed-width renderings of the numbers operator views show: ages, rates, latencies, counts.
///
/// Every view (status, top, workers, jobs) uses these, so "1.2s" means the same thing everywhere and
/// columns stay narrow enough for an 80-column terminal.
package enum OperatorFormat {
    /// An age or uptime: "0.4s", "12s", "3m05s", "2h13m", "4d07h"; nil (nothing waiting) is "-".
    package static func age(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        let s = max(0, seconds)
        if s < 10 { return String(format: "%.1fs", s) }
        let whole = Int(s.rounded(.down))
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        if whole < 86_400 { return String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60) }
        return String(format: "%dd%02dh", whole / 86_400, whole % 86_400 / 3600)
    }

    /// A rate per second: "0", "0.4", "12.4", "1234".
    package static func rate(_ perSecond: Double) -> String {
        guard perSecond.isFinite, perSecond > 0 else { return "0" }
        if perSecond < 100 { return String(format: "%.1f", perSecond) }
        return String(Int(perSecond.rounded()))
    }

    /// A latency: "0.42ms", "8.1ms", "84ms", "1.2s", "75s"; nil (no samples yet) is "-".
    package static func millis(_ ms: Double?) -> String {
        guard let ms, ms.isFinite else { return "-" }
        if ms < 1 { return String(format: "%.2fms", ms) }
        if ms < 10 { return String(format: "%.1fms", ms) }
        if ms < 1000 { return "\(Int(ms.rounded()))ms" }
        if ms < 10_000 { return String(format: "%.1fs", ms / 1000) }
        return "\(Int((ms / 1000).rounded()))s"
    }

    /// A count with thousands separators: 1234567 → "1,234,567".
    package static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// "p50 84ms  p95 210ms  p99 480ms  max 1.2s (1,234)", or "no samples yet".
    package static func latency(_ summary: LatencySummary?) -> String {
        guard let summary, summary.count > 0 else { return "no samples yet" }
        return "p50 \(millis(summary.p50))  p95 \(millis(summary.p95))  p99 \(millis(summary.p99))  "
            + "max \(millis(summary.max))  (\(count(summary.count)))"
    }

    /// Seconds since a Unix time, as an age, from `now`.
    package static func since(_ unixSeconds: Double, now: Double = Date().timeIntervalSince1970) -> String {
        age(now - unixSeconds)
    }

    /// The per-stage rows of a status reply; brokers before 0.2 only send `services`, so build rows from those.
    package static func stageRows(_ status: BrokerStatus) -> [StageStats] {
        if let stages = status.stages { return stages }
        return status.services.map {
            StageStats(
                service: $0.name, queued: $0.queued, inflight: $0.inflight, oldestQueuedS: nil, inPerS: 0,
                outPerS: 0, done: 0, failed: 0, retried: 0, deadLettered: 0, workers: $0.workers,
                latencyMs: nil)
        }
    }
}
