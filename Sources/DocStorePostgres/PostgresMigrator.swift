public import DocStore
import Foundation
public import Logging
public import PostgresNIO

/// A schema's migrations: what the migrator applies, in order, and how it keeps track.
///
/// The store and the broker's journal each have one (their own schema, their own migrations table,
/// their own advisory lock key), so either can be created in a database that holds the other.
package struct MigrationPlan: Sendable {
    /// The schema's name, e.g. `docpipe`.
    package var schema: String
    /// The advisory lock key taken for the migration transaction.
    package var lockKey: Int64
    /// Named, append-only migrations; a shipped one is never edited.
    package var migrations: [(name: String, sql: String)]

    package init(schema: String, lockKey: Int64, migrations: [(name: String, sql: String)]) {
        self.schema = schema
        self.lockKey = lockKey
        self.migrations = migrations
    }

    var migrationsTable: String { "\(schema).migrations" }

    var createMigrationsTable: String {
        """
        CREATE SCHEMA IF NOT EXISTS \(schema);
        CREATE TABLE IF NOT EXISTS \(migrationsTable) (
            name       text PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """
    }

    /// A migration's statements one by one: the extended query protocol takes a single statement at a
    /// time. Statements end with `;` at the end of a line (none of ours has one inside).
    package static func statements(_ script: String) -> [String] {
        script.components(separatedBy: ";\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
            .filter { !$0.isEmpty }
    }
}

/// Checks the server and brings a schema up to date, on one connection of its own.
///
/// Processes starting together must not race to create tables, so the migrations run inside one
/// transaction holding `pg_advisory_xact_lock`: the second one waits, then finds them applied.
/// A read-only open (the CLI) migrates nothing and refuses a database whose schema is missing,
/// incomplete or newer than this docpipe.
package enum PostgresMigrator {
    package static func prepare(
        url: PostgresURL, plan: MigrationPlan, readOnly: Bool, location: String, logger: Logger
    ) async throws {
        let configuration = try PostgresStore.mapping(location) { try PostgresSettings.connection(url) }
        let connection = try await PostgresStore.mapping(location) {
            try await Deadline.run(within: .seconds(20), what: "the database server") {
                try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            }
        }
        do {
            try await PostgresStore.mapping(location) {
                if readOnly {
                    try await check(connection, plan: plan, location: location, logger: logger)
                } else {
                    try await migrate(connection, plan: plan, location: location, logger: logger)
                }
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    private static func applied(_ connection: PostgresConnection, plan: MigrationPlan, logger: Logger) async throws
        -> [String]
    {
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT name FROM \(plan.migrationsTable) ORDER BY name"), logger: logger)
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    private static func migrate(
        _ connection: PostgresConnection, plan: MigrationPlan, location: String, logger: Logger
    ) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(plan.lockKey))", logger: logger)
            for statement in MigrationPlan.statements(plan.createMigrationsTable) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            let done = Set(try await applied(connection, plan: plan, logger: logger))
            let known = Set(plan.migrations.map(\.name))
            if !done.subtracting(known).isEmpty {
                throw DocStoreError.schemaTooNew(location)
            }
            for migration in plan.migrations where !done.contains(migration.name) {
                for statement in MigrationPlan.statements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                var bindings = PostgresBindings()
                bindings.append(migration.name)
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "INSERT INTO \(plan.migrationsTable) (name) VALUES ($1)",
                        binds: bindings), logger: logger)
            }
        }
    }

    private static func check(
        _ connection: PostgresConnection, plan: MigrationPlan, location: String, logger: Logger
    ) async throws {
        var bindings = PostgresBindings()
        bindings.append(plan.migrationsTable)
        let exists = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT to_regclass($1) IS NOT NULL", binds: bindings), logger: logger)
        var hasSchema = false
        for try await value in exists.decode(Bool.self) { hasSchema = value }
        guard hasSchema else { throw DocStoreError.notFound(location) }
        let done = Set(try await applied(connection, plan: plan, logger: logger))
        let known = Set(plan.migrations.map(\.name))
        if !done.subtracting(known).isEmpty { throw DocStoreError.schemaTooNew(location) }
        if !known.subtracting(done).isEmpty { throw DocStoreError.schemaTooOld(location) }
    }
}
