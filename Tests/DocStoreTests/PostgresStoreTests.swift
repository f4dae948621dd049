import DocStore
import DocStorePostgres
import Foundation
import PostgresTesting
import Testing

/// What only the PostgreSQL backend has: a server that can be away, refuse a login, speak TLS, and be
/// migrated by several writers at once. Each test starts the server it needs.
@Suite(.timeLimit(.minutes(3)))
struct PostgresStoreTests {
    private func open(_ url: String, readOnly: Bool = false) async throws -> any DocumentStore {
        try await StoreOpener.open(try StoreLocation(parsing: url), readOnly: readOnly)
    }

    @Test func nothingListeningIsOneClearLineAboutReachingTheServer() async throws {
        let port = try ThrowawayPostgres.freePortForTests()
        let started = Date()
        await #expect {
            try await open("postgres://docpipe@127.0.0.1:\(port)/docs?sslmode=disable")
        } throws: { error in
            guard case DocStoreError.unreachable = error else { return false }
            let text = "\(error)"
            return text.hasPrefix("cannot reach the document store at postgres://docpipe@127.0.0.1:\(port)/docs")
                && !text.contains("\n")
        }
        #expect(Date().timeIntervalSince(started) < 25)
    }

    @Test func aWrongPasswordOrAMissingDatabaseIsARefusedLoginAndThePasswordIsNeverPrinted() async throws {
        let server = try ThrowawayPostgres(password: "right-horse")
        defer { server.destroy() }
        let base = "127.0.0.1:\(server.port)"
        await #expect {
            try await open("postgres://docpipe:wrong-battery@\(base)/postgres?sslmode=disable")
        } throws: { error in
            guard case DocStoreError.loginFailed = error else { return false }
            return !"\(error)".contains("wrong-battery") && "\(error)".contains("docpipe:***@")
        }
        await #expect {
            try await open("postgres://docpipe:right-horse@\(base)/no_such_db?sslmode=disable")
        } throws: { error in
            guard case DocStoreError.loginFailed(_, let reason) = error else { return false }
            return reason.contains("no_such_db") && !"\(error)".contains("right-horse")
        }
        let store = try await open(server.url())
        #expect(try await store.upsert(sampleDocument()) == .inserted(version: 1))
        #expect(!store.location.contains("right-horse"))
        await store.close()
    }

    @Test func readingAnEmptyDatabaseSaysNoStoreAndCreatesNothing() async throws {
        let server = try ThrowawayPostgres()
        defer { server.destroy() }
        try server.psql("CREATE DATABASE empty")
        await #expect(
            throws: DocStoreError.notFound(try StoreLocation(parsing: server.url(database: "empty")).description)
        ) {
            try await open(server.url(database: "empty"), readOnly: true)
        }
        #expect(
            try server.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'docpipe'", database: "empty")
                .trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let writer = try await open(server.url(database: "empty"))
        try await writer.upsert(sampleDocument())
        let reader = try await open(server.url(database: "empty"), readOnly: true)
        #expect(try await reader.document(id: "doc-nato")?.title == sampleDocument().title)
        await #expect(throws: DocStoreError.readOnly(reader.location)) { try await reader.upsert(sampleDocument()) }
        await writer.close()
        await reader.close()
    }

    @Test func writersStartingTogetherMigrateOnce() async throws {
        let server = try ThrowawayPostgres()
        defer { server.destroy() }
        try server.psql("CREATE DATABASE fresh")
        let url = server.url(database: "fresh")
        let stores = try await withThrowingTaskGroup(of: (any DocumentStore).self) { group in
            for _ in 0..<6 { group.addTask { try await self.open(url) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 6)
        let applied = try server.psql(
            "SELECT string_agg(name, ',' ORDER BY name) FROM docpipe.migrations", database: "fresh")
        #expect(applied.trimmingCharacters(in: .whitespacesAndNewlines) == "v1-documents,v1-fold")
        for store in stores { await store.close() }
    }

    @Test func aRestartedServerIsARetryableErrorThenTheSameStoreCarriesOn() async throws {
        let server = try ThrowawayPostgres()
        defer { server.destroy() }
        let store = try await open(server.url())
        #expect(
            try await store.upsert(sampleDocument(id: "doc-before", contentHash: "sha256:1")) == .inserted(version: 1))
        server.stop()
        await #expect {
            try await store.upsert(sampleDocument(id: "doc-during", contentHash: "sha256:2"))
        } throws: { error in
            (error as? DocStoreError)?.isTransient == true
        }
        try server.start()
        // The pool reconnects by itself; the broker's retries would do what this loop does.
        var outcome: UpsertOutcome?
        let deadline = Date().addingTimeInterval(30)
        while outcome == nil && Date() < deadline {
            outcome = try? await store.upsert(sampleDocument(id: "doc-during", contentHash: "sha256:2"))
            if outcome == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(outcome == .inserted(version: 1))
        #expect(try await store.stats().documents == 2)
        await store.close()
    }

    @Test func tlsIsUsedWhenAskedAndVerifiedAgainstTheGivenRoot() async throws {
        let certificates = try SelfSignedCertificate()
        defer { certificates.remove() }
        let server = try ThrowawayPostgres(settings: [
            "ssl": "on", "ssl_cert_file": certificates.certificate, "ssl_key_file": certificates.key,
        ])
        defer { server.destroy() }
        let base = "postgres://docpipe@127.0.0.1:\(server.port)/postgres"
        for query in ["sslmode=require", "sslmode=verify-full&sslrootcert=\(certificates.certificate)"] {
            let store = try await open("\(base)?\(query)")
            try await store.upsert(sampleDocument(id: "doc-\(query.count)", contentHash: "sha256:\(query.count)"))
            // The store's pooled connection stays open after the upsert: the server must see it encrypted.
            let encrypted = try server.psql(
                "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                    + "WHERE s.ssl AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'")
            #expect(Int(encrypted.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 1, "\(query)")
            let plain = try server.psql(
                "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                    + "WHERE NOT s.ssl AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'")
            #expect(plain.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(query)")
            await store.close()
        }
        // verify-full against the system's roots: a self-signed certificate must be refused.
        await #expect {
            try await open("\(base)?sslmode=verify-full")
        } throws: { error in
            if case DocStoreError.unreachable = error { return true }
            return false
        }
    }

    @Test func requiringTLSFromAServerWithoutItIsRefused() async throws {
        let server = try ThrowawayPostgres()
        defer { server.destroy() }
        await #expect {
            try await open("postgres://docpipe@127.0.0.1:\(server.port)/postgres?sslmode=require")
        } throws: { error in
            "\(error)".contains("does not accept TLS")
        }
    }
}

/// A key and a self-signed certificate for 127.0.0.1 made with `openssl`, readable by the server's user.
struct SelfSignedCertificate {
    let folder: String
    var certificate: String { folder + "/server.crt" }
    var key: String { folder + "/server.key" }

    init() throws {
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent("docpipe-tls-\(UUID().uuidString.prefix(8))")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try ThrowawayPostgres.runForTests([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ])
        // PostgreSQL refuses a key that others can read, and must own it when it is not root's.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        if let user = ThrowawayPostgres.serverUser {
            try ThrowawayPostgres.runForTests(["chown", "-R", user, folder])
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}
