public import BrokerCore
public import DocBroker
public import DocProtocol
public import DocStore
import DocStorePostgres
import Foundation
public import Logging
import PostgresNIO
import Synchronization

/// The active broker's lease: one row in `docpipe_broker.lease`, renewed every second, expiring after
/// three; any number of brokers compete for it, and the holder is the one active broker.
///
/// Why a lease row and not an advisory lock held on a connection: a session advisory lock is released
/// when the server notices its connection is gone, which after a network partition (rather than a crash)
/// takes as long as TCP keepalive — minutes by default — and gives the old holder no deadline by which
/// it must stop. A row with an expiry gives both sides the same bound: the holder stops serving before the
/// expiry it last wrote (measured on its own monotonic clock from *before* it sent the renewal, less a
/// safety margin), and a standby takes the row only once the server's clock says it has expired. Its
/// epoch, bumped at each takeover, fences the journal: every journal write checks, in its transaction,
/// that its epoch still holds an unexpired lease (`FOR SHARE`, so a takeover waits for it to commit).
/// And the row's history (`lease_history`) is what operators and the tests read back.
///
/// The keeper runs as a task on its own connection, apart from the journal's, so a large journal write
/// never delays a renewal.
public final class PostgresLease: JournalLease {
    public struct Settings: Sendable {
        /// How long a lease lasts from its last renewal.
        public var ttlMs: Int
        /// How often the holder renews it.
        public var renewEveryMs: Int
        /// How often a standby tries to take it.
        public var acquireEveryMs: Int
        /// How long before the expiry it wrote the holder stops serving (clock-rate differences, scheduling).
        public var marginMs: Int
        /// Finished jobs' metadata stays this long (then pruning deletes it).
        public var retentionSeconds: Double

        public init(
            ttlMs: Int = 3000, renewEveryMs: Int = 1000, acquireEveryMs: Int = 250, marginMs: Int = 500,
            retentionSeconds: Double = 86_400
        ) {
            self.ttlMs = ttlMs
            self.renewEveryMs = renewEveryMs
            self.acquireEveryMs = acquireEveryMs
            self.marginMs = marginMs
            self.retentionSeconds = retentionSeconds
        }
    }

    private struct State {
        var endpoint = ""
        var epoch: Int?
        /// Monotonic milliseconds until which the held lease is certainly valid.
        var validUntil: Millis = 0
        var active: (endpoint: String, since: Double, epoch: Int)?
        var failovers = 0
        var lastFailoverAt: Double?
        var stopping = false
    }

    public let location: String
    let url: PostgresURL
    let settings: Settings
    let logger: Logger
    /// Who this broker is in the lease row: host, pid and a random part (a restarted broker is a new holder).
    let holder: String
    private let state = Mutex(State())
    private let keeper = Mutex<Task<Void, Never>?>(nil)

    /// Checks the server and brings the journal's tables up to date (waiting on this thread, which must not
    /// be one of Swift's cooperative pool; async callers use ``open(url:settings:logger:)``); throws a clear
    /// error for a wrong URL, a refused login or an unreachable server.
    public convenience init(url: PostgresURL, settings: Settings = Settings(), logger: Logger) throws {
        self.init(unprepared: url, settings: settings, logger: logger)
        try blocking { try await self.prepare() }
    }

    /// As the initializer, for async callers (the CLI): the migration is awaited, not waited for.
    public static func open(url: PostgresURL, settings: Settings = Settings(), logger: Logger) async throws
        -> PostgresLease
    {
        let lease = PostgresLease(unprepared: url, settings: settings, logger: logger)
        try await lease.prepare()
        return lease
    }

    private init(unprepared url: PostgresURL, settings: Settings, logger: Logger) {
        self.url = url
        self.location = url.redacted
        self.settings = settings
        self.logger = logger
        holder =
            "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):"
            + UUID().uuidString.prefix(8).lowercased()
    }

    private func prepare() async throws {
        do {
            try await PostgresMigrator.prepare(
                url: url, plan: JournalSchema.plan, readOnly: false, location: location, logger: quietLogger)
        } catch {
            throw JournalError(message: JournalErrors.describe(error, location: location))
        }
    }

    static func now() -> Millis { Millis(DispatchTime.now().uptimeNanoseconds / 1_000_000) }

    // MARK: JournalLease

    public func start(endpoint: String) {
        state.withLock { $0.endpoint = endpoint }
        keeper.withLock { task in
            guard task == nil else { return }
            task = Task { await self.keep() }
        }
    }

    public func heldEpoch(nowMillis: Millis) -> Int? {
        state.withLock { $0.epoch != nil && nowMillis < $0.validUntil ? $0.epoch : nil }
    }

    public func openJournal(epoch: Int) throws -> any JobJournal {
        try PostgresJournal(url: url, epoch: epoch, retentionSeconds: settings.retentionSeconds, logger: logger)
    }

    public func release() {
        state.withLock { $0.stopping = true }
        let task = keeper.withLock { $0 }
        // The keeper gives the lease up on its way out; wait for it, bounded.
        let finished = DispatchSemaphore(value: 0)
        Task {
            await task?.value
            finished.signal()
        }
        _ = finished.wait(timeout: .now() + .seconds(3))
    }

    public func failoverStatus(role: BrokerRole, roleSince: Double) -> FailoverStatus {
        state.withLock { state in
            FailoverStatus(
                journal: "postgres", roleSince: roleSince, activeEndpoint: state.active?.endpoint,
                activeSince: state.active?.since, leaseEpoch: state.epoch ?? state.active?.epoch,
                failovers: state.failovers, lastFailoverAt: state.lastFailoverAt)
        }
    }

    // MARK: the keeper

    private func keep() async {
        var connection: PostgresConnection?
        var lastError: String?
        while true {
            let stopping = state.withLock { $0.stopping }
            if stopping { break }
            do {
                if let stale = connection, stale.isClosed {
                    // Closed by the server or a watchdog; postgres-nio still wants it closed on this side.
                    try? await stale.close()
                    connection = nil
                }
                if connection == nil { connection = try await connect() }
                try await step(connection!)
                if lastError != nil {
                    logger.notice("the journal database answers again", metadata: ["journal": "\(location)"])
                    lastError = nil
                }
            } catch {
                if let connection { try? await connection.close() }
                connection = nil
                let text = JournalErrors.describe(error, location: location)
                if lastError != text {
                    logger.warning(
                        "cannot reach the journal database to keep the lease",
                        metadata: [
                            "journal": "\(location)", "error": "\(text)",
                        ])
                    lastError = text
                }
            }
            try? await Task.sleep(for: .milliseconds(checkExpiry()))
        }
        if let connection {
            if let epoch = state.withLock({ $0.epoch }) {
                try? await closing(after: 2000, { try? await connection.close() }) {
                    try await self.giveUp(connection, epoch: epoch)
                }
                state.withLock { $0.epoch = nil }
                logger.notice("released the lease", metadata: ["epoch": "\(epoch)"])
            }
            try? await connection.close()
        }
    }

    /// Drops a lease that could not be renewed in time; says how long to wait before the next step.
    private func checkExpiry() -> Int {
        let now = Self.now()
        let lost = state.withLock { state -> Int? in
            guard let epoch = state.epoch, now >= state.validUntil else { return nil }
            state.epoch = nil
            return epoch
        }
        if let lost {
            logger.error(
                "lost the lease: it could not be renewed before it expired; this broker stops serving",
                metadata: [
                    "epoch": "\(lost)", "journal": "\(location)",
                ])
        }
        return state.withLock { $0.epoch != nil } ? settings.renewEveryMs : settings.acquireEveryMs
    }

    private func connect() async throws -> PostgresConnection {
        let configuration = try PostgresSettings.connection(url)
        let logger = quietLogger
        return try await Deadline.run(within: .seconds(5), what: "the journal database") {
            try await PostgresConnection.connect(configuration: configuration, id: 2, logger: logger)
        }
    }

    private var quietLogger: Logger {
        var quiet = logger
        quiet.logLevel = .critical
        return quiet
    }

    /// One round: renew the held lease, or try to take a free one; then refresh what status shows.
    private func step(_ connection: PostgresConnection) async throws {
        let (epoch, endpoint) = state.withLock { ($0.epoch, $0.endpoint) }
        let started = Self.now()
        let bound = settings.ttlMs / 2
        if let epoch {
            let renewed = try await closing(after: bound, { try? await connection.close() }) {
                try await self.renew(connection, epoch: epoch)
            }
            state.withLock { state in
                guard state.epoch == epoch else { return }
                if renewed {
                    state.validUntil = started + Millis(settings.ttlMs - settings.marginMs)
                } else {
                    state.epoch = nil
                }
            }
            if !renewed {
                logger.error(
                    "lost the lease: another broker holds it now; this broker stops serving",
                    metadata: [
                        "epoch": "\(epoch)"
                    ])
            }
        } else {
            if let taken = try await closing(
                after: bound, { try? await connection.close() },
                {
                    try await self.acquire(connection, endpoint: endpoint)
                })
            {
                state.withLock { state in
                    state.epoch = taken
                    state.validUntil = started + Millis(settings.ttlMs - settings.marginMs)
                }
                logger.notice(
                    "took the lease: this broker is active",
                    metadata: [
                        "epoch": "\(taken)", "endpoint": "\(endpoint)",
                    ])
            }
        }
        try await closing(after: bound, { try? await connection.close() }) {
            try await self.refreshActive(connection)
        }
    }

    private func acquire(_ connection: PostgresConnection, endpoint: String) async throws -> Int? {
        let holder = holder
        let ttl = settings.ttlMs
        let logger = quietLogger
        return try await connection.withTransaction(logger: logger) { connection -> Int? in
            let rows = try await connection.query(
                """
                INSERT INTO docpipe_broker.lease AS l
                    (name, epoch, holder, endpoint, acquired_at, renewed_at, expires_at)
                VALUES ('broker', 1, \(holder), \(endpoint), clock_timestamp(), clock_timestamp(),
                        clock_timestamp() + make_interval(secs => \(ttl) / 1000.0))
                ON CONFLICT (name) DO UPDATE SET
                    epoch = l.epoch + 1, holder = EXCLUDED.holder, endpoint = EXCLUDED.endpoint,
                    acquired_at = EXCLUDED.acquired_at, renewed_at = EXCLUDED.renewed_at,
                    expires_at = EXCLUDED.expires_at
                WHERE l.expires_at < clock_timestamp()
                RETURNING epoch
                """, logger: logger)
            var taken: Int?
            for try await epoch in rows.decode(Int.self) { taken = epoch }
            guard let taken else { return nil }
            try await connection.query(
                """
                UPDATE docpipe_broker.lease_history
                SET ended_at = least(expires_at, clock_timestamp()), end_reason = 'expired'
                WHERE epoch < \(taken) AND ended_at IS NULL
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO docpipe_broker.lease_history (epoch, holder, endpoint, acquired_at, expires_at)
                SELECT epoch, holder, endpoint, acquired_at, expires_at FROM docpipe_broker.lease
                WHERE name = 'broker'
                """, logger: logger)
            return taken
        }
    }

    /// Extends the held lease; false when it is no longer this broker's (expired and taken, or never was).
    private func renew(_ connection: PostgresConnection, epoch: Int) async throws -> Bool {
        let rows = try await connection.query(
            """
            WITH renewed AS (
                UPDATE docpipe_broker.lease
                SET renewed_at = clock_timestamp(), expires_at = clock_timestamp() + make_interval(secs => \(settings.ttlMs) / 1000.0)
                WHERE name = 'broker' AND epoch = \(epoch) AND holder = \(holder) AND expires_at > clock_timestamp()
                RETURNING epoch, expires_at)
            UPDATE docpipe_broker.lease_history h SET expires_at = r.expires_at
            FROM renewed r WHERE h.epoch = r.epoch
            RETURNING h.epoch
            """, logger: quietLogger)
        var renewed = false
        for try await _ in rows.decode(Int.self) { renewed = true }
        return renewed
    }

    /// Ends the lease now (a graceful stop), so a standby takes over without waiting for the expiry.
    private func giveUp(_ connection: PostgresConnection, epoch: Int) async throws {
        try await connection.query(
            """
            WITH released AS (
                UPDATE docpipe_broker.lease SET expires_at = clock_timestamp()
                WHERE name = 'broker' AND epoch = \(epoch) AND holder = \(holder)
                RETURNING epoch, expires_at)
            UPDATE docpipe_broker.lease_history h
            SET expires_at = r.expires_at, ended_at = r.expires_at, end_reason = 'released'
            FROM released r WHERE h.epoch = r.epoch
            """, logger: quietLogger)
    }

    /// Reads who is active and the failover history, for `docpipe status`.
    private func refreshActive(_ connection: PostgresConnection) async throws {
        let logger = quietLogger
        let active = try await connection.query(
            """
            SELECT epoch, endpoint, extract(epoch FROM acquired_at)::float8
            FROM docpipe_broker.lease WHERE name = 'broker' AND expires_at > clock_timestamp()
            """, logger: logger)
        var current: (endpoint: String, since: Double, epoch: Int)?
        for try await (epoch, endpoint, since) in active.decode((Int, String, Double).self) {
            current = (endpoint, since, epoch)
        }
        let history = try await connection.query(
            """
            SELECT count(*)::int8, max(extract(epoch FROM acquired_at))::float8
            FROM (SELECT acquired_at, endpoint, lag(endpoint) OVER (ORDER BY epoch) AS previous
                  FROM docpipe_broker.lease_history) h
            WHERE previous IS NOT NULL AND previous <> endpoint
            """, logger: logger)
        var failovers = 0
        var last: Double?
        for try await (count, at) in history.decode((Int, Double?).self) {
            failovers = count
            last = at
        }
        state.withLock { state in
            state.active = current
            state.failovers = failovers
            state.lastFailoverAt = last
        }
    }
}
