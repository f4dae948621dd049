import Foundation

/// How long to wait before retrying a stage that failed with a retryable error.
///
/// Exponential (base × 2^(attempt−1), capped) with jitter so that a burst of failures — a database that
/// was down for a moment — does not come back as a burst of retries at the same instant. The jitter is
/// derived from the job id and attempt rather than a random generator, so the engine stays a pure
/// function of its inputs and tests can predict it.
public struct RetryPolicy: Sendable, Equatable {
    public var baseMs: Double
    public var maxMs: Double
    /// Fraction of the delay that varies: 0.5 means the delay lands in [75%, 125%] of the exponential value.
    public var jitter: Double

    public init(baseMs: Double = 500, maxMs: Double = 30_000, jitter: Double = 0.5) {
        self.baseMs = baseMs
        self.maxMs = maxMs
        self.jitter = jitter
    }

    /// Seconds to wait before attempt `attempt + 1`, after attempt `attempt` failed.
    public func delay(after attempt: Int, jobID: String) -> Double {
        let exponential = min(maxMs, baseMs * pow(2, Double(max(0, attempt - 1))))
        let spread = Self.unitFraction(of: "\(jobID)#\(attempt)")
        return exponential * (1 - jitter / 2 + jitter * spread) / 1000
    }

    /// A stable value in [0, 1) from a string (FNV-1a), standing in for a random draw.
    static func unitFraction(of text: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Double(hash >> 11) / Double(UInt64(1) << 53)
    }
}

/// Bounds that keep the broker's memory finite: beyond them `docpipe.submit` answers 503 busy.
public struct EngineLimits: Sendable, Equatable {
    /// Unfinished jobs held in memory at once.
    public var maxJobs: Int
    /// Bytes of document content held by unfinished jobs.
    public var maxJobBytes: Int
    /// One document's decoded size; larger ones get 413.
    public var maxDocumentBytes: Int
    /// What a busy reply suggests as the wait before trying again.
    public var retryAfterMs: Int

    public init(
        maxJobs: Int = 10_000, maxJobBytes: Int = 512 << 20, maxDocumentBytes: Int = 64 << 20,
        retryAfterMs: Int = 500
    ) {
        self.maxJobs = maxJobs
        self.maxJobBytes = maxJobBytes
        self.maxDocumentBytes = maxDocumentBytes
        self.retryAfterMs = retryAfterMs
    }
}
