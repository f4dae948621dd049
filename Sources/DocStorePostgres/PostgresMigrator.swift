import DocStore
import Foundation
import Logging
import PostgresNIO

/// Checks the server and brings the schema up to date, on one connection of its own.
///
/// Writers starting together must not race to create tables, so the migrations run inside one
/// transaction holding `pg_advisory_xact_lock`: the second writer waits, then finds them applied.
/// A read-only open (the CLI) migrates nothing and refuses a database whose schema is missing,
/// incomplete or newer than this docpipe.
enum PostgresMigrator {
    static func prepare(url: PostgresURL, readOnly: Bool, location: String, logger: Logger) async throws {
        let configuration = try PostgresStore.mapping(location) { try PostgresSettings.connection(url) }
        let connection = try await PostgresStore.mapping(location) {
            try await Deadline.run(within: .seconds(20), what: "the database server") {
                try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            }
        }
        do {
            try await PostgresStore.mapping(location) {
                if readOnly {
                    try await check(connection, location: location, logger: logger)
                } else {
                    try await migrate(connection, location: location, logger: logger)
                }
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    private static func applied(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        let rows = try await connection.query("SELECT name FROM docpipe.migrations ORDER BY name", logger: logger)
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    private static func migrate(_ connection: PostgresConnection, location: String, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLockKey))", logger: logger)
            for statement in PostgresSchema.statements(PostgresSchema.createMigrationsTable) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            let done = Set(try await applied(connection, logger: logger))
            let known = Set(PostgresSchema.migrations.map(\.name))
            if !done.subtracting(known).isEmpty {
                throw DocStoreError.schemaTooNew(location)
            }
            for migration in PostgresSchema.migrations where !done.contains(migration.name) {
                for statement in PostgresSchema.statements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO docpipe.migrations (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }

    private static func check(_ connection: PostgresConnection, location: String, logger: Logger) async throws {
        let exists = try await connection.query(
            "SELECT to_regclass('docpipe.migrations') IS NOT NULL", logger: logger)
        var hasSchema = false
        for try await value in exists.decode(Bool.self) { hasSchema = value }
        guard hasSchema else { throw DocStoreError.notFound(location) }
        let done = Set(try await applied(connection, logger: logger))
        let known = Set(PostgresSchema.migrations.map(\.name))
        if !done.subtracting(known).isEmpty { throw DocStoreError.schemaTooNew(location) }
        if !known.subtracting(done).isEmpty { throw DocStoreError.schemaTooOld(location) }
    }
}
