/// Events per second over the last minute, in one-second buckets (a ring of 60 counters).
public struct RateWindow: Sendable {
    private var buckets = [Int](repeating: 0, count: 60)
    private var bucketSecond = [Int](repeating: -1, count: 60)
    private var firstSecond: Int?

    public init() {}

    public mutating func record(at now: Double, count: Int = 1) {
        let second = Int(now.rounded(.down))
        let index = ((second % 60) + 60) % 60
        if bucketSecond[index] != second {
            bucketSecond[index] = second
            buckets[index] = 0
        }
        buckets[index] += count
        if firstSecond == nil { firstSecond = second }
    }

    /// The average rate over the last 60 s (or since the first event, if that is more recent).
    public func perSecond(at now: Double) -> Double {
        let second = Int(now.rounded(.down))
        var total = 0
        for index in 0..<60 where bucketSecond[index] > second - 60 && bucketSecond[index] <= second {
            total += buckets[index]
        }
        guard let first = firstSecond else { return 0 }
        let span = Double(min(60, max(1, second - first + 1)))
        return Double(total) / span
    }
}
