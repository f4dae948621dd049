public import DocStore
import Foundation
import Logging
import PostgresNIO

/// The document store on a PostgreSQL server: any number of storage writers on any machines write
/// into one database, and `docpipe search` / `show` read it from anywhere.
///
/// Opening it connects once on its own to check the server and the login and to bring the schema up
/// to date (``PostgresSchema``), so a wrong URL fails at once with one clear line; after that every
/// call leases a connection from a postgres-nio pool, which reconnects by itself when the server
/// restarts. Each call is bounded by ``callTimeout``: a server that stops answering makes the call
/// throw ``DocStoreError/unavailable(store:reason:)`` (retryable) instead of hanging a stage.
public final class PostgresStore: DocumentStore {
    /// The longest any one store call may take, connection lease included.
    public static let callTimeout: Duration = .seconds(15)

    public let location: String
    public let isReadOnly: Bool
    let client: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>

    /// Connects to `url`, migrates the schema (not when `readOnly`), and starts the connection pool.
    ///
    /// - Parameters:
    ///   - readOnly: the CLI's mode: never creates or migrates anything, and refuses a database
    ///     without a complete docpipe schema.
    ///   - maximumConnections: the pool's size; a storage writer needs about one per document it
    ///     processes at once.
    public init(url: PostgresURL, readOnly: Bool = false, maximumConnections: Int = 4) async throws {
        location = url.redacted
        isReadOnly = readOnly
        var logger = Logger(label: "docpipe.store.postgres")
        logger.logLevel = .critical
        self.logger = logger
        try await PostgresMigrator.prepare(
            url: url, plan: PostgresSchema.plan, readOnly: readOnly, location: location, logger: logger)
        let configuration = try Self.mapping(location) {
            try PostgresSettings.client(url, maximumConnections: max(1, maximumConnections))
        }
        let client = PostgresClient(configuration: configuration)
        self.client = client
        runTask = Task { await client.run() }
    }

    public func close() async {
        runTask.cancel()
        _ = await runTask.value
    }

    deinit { runTask.cancel() }

    /// Runs `body` on a pooled connection within ``callTimeout``, mapping every failure to a
    /// ``DocStoreError`` that names the store (never its password).
    func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await Self.mapping(location) {
            try await Deadline.run(within: Self.callTimeout, what: "the database server") {
                try await self.client.withConnection(body)
            }
        }
    }

    /// As ``withConnection(_:)``, inside one transaction (BEGIN … COMMIT, ROLLBACK on a throw).
    func withTransaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let logger = logger
        return try await withConnection { connection in
            try await connection.withTransaction(logger: logger) { try await body($0) }
        }
    }

    package static func mapping<T>(_ location: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw PostgresErrors.storeError(error, location: location)
        }
    }

    package static func mapping<T>(_ location: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw PostgresErrors.storeError(error, location: location)
        }
    }
}
