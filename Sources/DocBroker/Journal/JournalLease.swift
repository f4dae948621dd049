public import BrokerCore
public import DocProtocol

/// A journal that several brokers share, of which one at a time — the holder of the lease — is active.
///
/// The broker asks the lease, not a clock of its own, whether it may serve: `heldEpoch` answers from what
/// the lease keeper last confirmed with the database, and turns nil *before* the lease could have expired
/// there, so a standby can never take over while this broker still dispatches (fencing). Each term of
/// the lease gets its own journal (`openJournal(epoch:)`), whose writes commit only while that term's
/// lease is held, so a broker that was cut off cannot write after its successor has started either.
public protocol JournalLease: AnyObject, Sendable {
    /// Starts competing for the lease in the background: acquiring it when it is free or expired, then
    /// renewing it. `endpoint` is what operators and standbys are told the active broker is.
    func start(endpoint: String)
    /// The epoch of the lease this broker holds, if it certainly still holds it at `nowMillis` (monotonic).
    func heldEpoch(nowMillis: Millis) -> Int?
    /// The journal for the term `epoch`.
    func openJournal(epoch: Int) throws -> any JobJournal
    /// Gives the lease up at once (a graceful stop), so a standby need not wait for it to expire, and
    /// stops competing.
    func release()
    /// What `docpipe status` shows about failover, for a broker in `role` since `roleSince`.
    func failoverStatus(role: BrokerRole, roleSince: Double) -> FailoverStatus
    /// Where the journal lives (the database URL without its password), for log lines.
    var location: String { get }
}
