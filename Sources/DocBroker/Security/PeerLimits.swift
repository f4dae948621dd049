/// Per-peer limits the broker enforces before a message reaches the router.
///
/// A peer is its key name when CURVE is on (so one key opening many sockets is still one peer), else
/// its routing ID. The whole-broker bounds (jobs, queues) stay in the pipeline engine and router;
/// these keep one peer from taking all of them, or from wasting the broker's time with garbage.
public struct PeerLimits: Sendable, Equatable {
    /// Sustained `docpipe.submit` requests per second per peer; 0 turns the limit off.
    public var submitsPerSecond: Double
    /// Submits a peer may send at once after being quiet (the token bucket's size).
    public var submitBurst: Double
    /// Malformed messages within `garbageWindowMs` after which the peer is disconnected.
    public var garbageLimit: Int
    public var garbageWindowMs: Int64
    /// How long a disconnected peer's messages are dropped unread (by key, or routing ID).
    public var quarantineMs: Int64

    public init(
        submitsPerSecond: Double = 500, submitBurst: Double = 1000, garbageLimit: Int = 32,
        garbageWindowMs: Int64 = 10_000, quarantineMs: Int64 = 30_000
    ) {
        self.submitsPerSecond = submitsPerSecond
        self.submitBurst = submitBurst
        self.garbageLimit = garbageLimit
        self.garbageWindowMs = garbageWindowMs
        self.quarantineMs = quarantineMs
    }
}

/// A token bucket: `rate` tokens a second, at most `capacity` saved up.
struct TokenBucket: Equatable {
    var tokens: Double
    var updatedAt: Int64

    init(capacity: Double, now: Int64) {
        tokens = capacity
        updatedAt = now
    }

    /// Takes one token if there is one; otherwise says how many ms until there will be.
    mutating func take(rate: Double, capacity: Double, now: Int64) -> Int64? {
        tokens = min(capacity, tokens + Double(max(0, now - updatedAt)) * rate / 1000)
        updatedAt = now
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return Int64(((1 - tokens) * 1000 / rate).rounded(.up))
    }

    func isFull(rate: Double, capacity: Double, now: Int64) -> Bool {
        tokens + Double(max(0, now - updatedAt)) * rate / 1000 >= capacity
    }
}
