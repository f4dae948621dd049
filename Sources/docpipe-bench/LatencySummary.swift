/// Percentiles of a set of latency samples, in milliseconds.
struct LatencySummary: Codable, Equatable {
    var samples: Int
    var p50Ms: Double
    var p99Ms: Double
    var maxMs: Double

    /// Nearest-rank percentiles of `nanos`; all zero when there are no samples.
    init(nanos: [UInt64]) {
        let sorted = nanos.sorted()
        samples = sorted.count
        func rank(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
            return Double(sorted[min(max(index, 0), sorted.count - 1)]) / 1_000_000
        }
        p50Ms = rank(0.50)
        p99Ms = rank(0.99)
        maxMs = rank(1.0)
    }

    enum CodingKeys: String, CodingKey {
        case samples
        case p50Ms = "p50_ms"
        case p99Ms = "p99_ms"
        case maxMs = "max_ms"
    }
}
