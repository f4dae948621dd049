public import DocProtocol
import Histogram

/// A latency distribution (HdrHistogram, microsecond resolution, 2 significant digits), so percentiles
/// come from every sample rather than from averages of averages.
public struct LatencyRecorder: Sendable {
    private var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)

    public init() {}

    public mutating func record(milliseconds: Double) {
        let micros = UInt64(max(1, min(3_600_000_000, milliseconds * 1000)))
        _ = histogram.record(micros)
    }

    public var count: Int { Int(histogram.totalCount) }

    public func summary() -> LatencySummary? {
        guard histogram.totalCount > 0 else { return nil }
        func ms(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }
        return LatencySummary(count: count, p50: ms(50), p95: ms(95), p99: ms(99), max: Double(histogram.max) / 1000)
    }
}
