public import Foundation
internal import GRDB

/// The embedded SQLite document store, the zero-configuration default: the storage-writer worker
/// writes it, the CLI searches and shows it.
///
/// One file in WAL mode, so one writing process and any number of reading processes work at
/// once; writes wait up to ``busyTimeout`` for another process's transaction instead of failing.
/// Every public method is synchronous and safe to call from any thread; each upsert is one
/// transaction, so a crash leaves either the old document or the new one, never a mix.
public final class SQLiteStore: DocumentStore {
    /// How long a write waits for another process that holds the write lock.
    public static let busyTimeout: TimeInterval = 5

    /// The path of the SQLite file, as opened.
    public let path: String
    /// Whether this store was opened with ``openReadOnly(path:)``.
    public let isReadOnly: Bool

    let pool: DatabasePool

    public var location: String { path }

    /// Opens the store at `path` for reading and writing, creating the file (and its folders)
    /// when it is missing and bringing its schema up to date.
    public convenience init(path: String) throws {
        let path = Self.expand(path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DocStoreError.cannotCreateFolder(path: folder, reason: error.localizedDescription)
        }
        let pool = try Self.mappingErrors(path: path) {
            // Two storage writers starting at once on a new store would both see "no migrations yet"
            // and race to create the tables; an exclusive lock file makes migrating one process at a time.
            try MigrationLock.holding(path + ".migrate-lock") {
                let pool = try DatabasePool(path: path, configuration: Self.configuration(readOnly: false))
                try StoreSchema.migrator.migrate(pool)
                return pool
            }
        }
        try Self.checkNotSuperseded(pool, path: path)
        self.init(path: path, pool: pool, isReadOnly: false)
    }

    /// Opens an existing store for reading only, as the CLI does: it never creates a file and
    /// never migrates, so a typo in `--store` is reported instead of leaving an empty store behind.
    ///
    /// - Throws: ``DocStoreError/notFound(_:)`` when there is no file at `path`, and
    ///   ``DocStoreError/schemaTooOld(_:)`` when the file is not a fully migrated store.
    public static func openReadOnly(path: String) throws -> SQLiteStore {
        let path = expand(path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw DocStoreError.notFound(path)
        }
        let pool = try mappingErrors(path: path) {
            try DatabasePool(path: path, configuration: configuration(readOnly: true))
        }
        let complete = try mappingErrors(path: path) {
            try pool.read { db in try StoreSchema.migrator.hasCompletedMigrations(db) }
        }
        try checkNotSuperseded(pool, path: path)
        guard complete else { throw DocStoreError.schemaTooOld(path) }
        return SQLiteStore(path: path, pool: pool, isReadOnly: true)
    }

    private init(path: String, pool: DatabasePool, isReadOnly: Bool) {
        self.path = path
        self.pool = pool
        self.isReadOnly = isReadOnly
    }

    private static func configuration(readOnly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "docpipe.DocStore"
        return configuration
    }

    private static func checkNotSuperseded(_ pool: DatabasePool, path: String) throws {
        let superseded = try mappingErrors(path: path) {
            try pool.read { db in try StoreSchema.migrator.hasBeenSuperseded(db) }
        }
        if superseded { throw DocStoreError.schemaTooNew(path) }
    }

    /// `~/docpipe/store.sqlite` from a config file should mean the user's home, as in a shell.
    private static func expand(_ path: String) -> String {
        NSString(string: path).expandingTildeInPath
    }

    /// Runs `body`, turning GRDB's errors into ``DocStoreError`` so no GRDB type reaches callers.
    static func mappingErrors<T>(path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                throw DocStoreError.busy(path)
            default:
                throw DocStoreError.database(path: path, message: error.message ?? error.description)
            }
        }
    }

    /// Reads through the pool with errors mapped; the one door every query goes through.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.mappingErrors(path: path) { try pool.read(body) }
    }

    /// Writes in one transaction with errors mapped; GRDB opens it IMMEDIATE, so the
    /// check-then-write of an upsert cannot interleave with another process's upsert.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.mappingErrors(path: path) { try pool.write(body) }
    }
}
