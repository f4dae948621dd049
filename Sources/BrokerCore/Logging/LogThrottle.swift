// A peer that misbehaves usually does it many times a second: a client retrying a refused submit, a
// worker without a key reconnecting. One log line per kind of event a minute says everything an
// operator needs; the rest would bury the log. Pure logic, so the rule is tested without a logger.

/// Decides which of many repeated log events to write: the first of a kind, then at most one per
/// window, each saying how many were held back since the last one written.
public struct LogThrottle: Sendable {
    public let window: Double
    /// Kinds remembered at most; past this the memory is cleared (a flood of distinct kinds is
    /// itself worth seeing, and the memory must stay bounded whatever peers send).
    public let capacity: Int
    private var kinds: [String: (writtenAt: Double, held: Int)] = [:]

    public init(window: Double = 60, capacity: Int = 10_000) {
        self.window = window
        self.capacity = capacity
    }

    /// nil: hold this one back. Otherwise write it, mentioning the returned number of held-back repeats.
    public mutating func admit(_ kind: String, now: Double) -> Int? {
        if let entry = kinds[kind], now - entry.writtenAt < window {
            kinds[kind] = (entry.writtenAt, entry.held + 1)
            return nil
        }
        if kinds[kind] == nil, kinds.count >= capacity { kinds.removeAll() }
        let held = kinds[kind]?.held ?? 0
        kinds[kind] = (now, 0)
        return held
    }
}
