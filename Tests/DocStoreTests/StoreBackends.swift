import DocStore
import DocStorePostgres
import Foundation
import PostgresTesting
import Testing

/// The two store backends the conformance suite runs every test against.
enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres
    var description: String { rawValue }
}

/// One throwaway PostgreSQL server for a whole suite: started before its first test, stopped by pid
/// after its last (a suite trait, so nothing outlives the test process). Each test opens its own
/// database on it, so tests stay independent and can run in parallel.
struct SharedPostgres: SuiteTrait, TestScoping {
    @TaskLocal static var server: ThrowawayPostgres?

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try ThrowawayPostgres()
        defer { server.destroy() }
        try await Self.$server.withValue(server) { try await function() }
    }

    /// A new, empty database on the suite's server; its URL.
    static func newDatabase() throws -> String {
        guard let server else {
            throw ThrowawayPostgres.Failure(description: "the suite lacks the .sharedPostgres trait")
        }
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try server.psql("CREATE DATABASE \(name)")
        return server.url(database: name)
    }
}

extension Trait where Self == SharedPostgres {
    static var sharedPostgres: SharedPostgres { SharedPostgres() }
}

/// A fresh, empty, writable store of the given backend for one test; closed and removed after it.
func withStore(_ backend: Backend, _ body: (any DocumentStore) async throws -> Void) async throws {
    switch backend {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("docstore-tests-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteStore(path: folder + "/store.sqlite")
        try await body(store)
    case .postgres:
        let url = try SharedPostgres.newDatabase()
        let store = try await StoreOpener.open(try StoreLocation(parsing: url), readOnly: false)
        do {
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

/// Another writer on the same store: its own connection pool or its own SQLite handle, as a second
/// storage-writer process would have.
func secondWriter(of store: any DocumentStore) async throws -> any DocumentStore {
    if let sqlite = store as? SQLiteStore { return try SQLiteStore(path: sqlite.path) }
    guard let server = SharedPostgres.server else { throw ThrowawayPostgres.Failure(description: "no server") }
    let database = try #require(store.location.split(separator: "/").last?.split(separator: "?").first)
    return try await StoreOpener.open(
        try StoreLocation(parsing: server.url(database: String(database))), readOnly: false)
}
