import DocStore
import Foundation
import Testing

/// `--store` strings, password lookup and the redaction every message relies on: pure logic, no server.
struct StoreLocationTests {
    @Test func aPostgresURLKeepsEveryPartAndPrintsNoPassword() throws {
        let location = try StoreLocation(
            parsing: "postgres://writer:s%40cret@db.example:6543/docs?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        guard case .postgres(let url) = location else {
            Issue.record("not postgres: \(location)")
            return
        }
        #expect(url.user == "writer")
        #expect(url.urlPassword == "s@cret")
        #expect(url.host == "db.example" && url.port == 6543 && url.database == "docs")
        #expect(url.sslMode == .verifyFull && url.sslRootCert == "/etc/ca.pem")
        #expect(
            location.description
                == "postgres://writer:***@db.example:6543/docs?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(!location.description.contains("cret"))
    }

    @Test func aSocketFolderOrAnEmptyHostMeansAUnixSocket() throws {
        guard case .postgres(let url) = try StoreLocation(parsing: "postgresql://me@/docs?host=/tmp/pg") else {
            Issue.record("not postgres")
            return
        }
        #expect(url.host == nil && url.socketPath == "/tmp/pg/.s.PGSQL.5432")
        guard case .postgres(let plain) = try StoreLocation(parsing: "postgres:///docs") else {
            Issue.record("not postgres")
            return
        }
        #expect(plain.socketPath == "/var/run/postgresql/.s.PGSQL.5432" && plain.database == "docs")
    }

    @Test func pathsAndSqliteURLsAreSQLiteFiles() throws {
        #expect(try StoreLocation(parsing: "data/store.sqlite") == .sqlite(path: "data/store.sqlite"))
        #expect(
            try StoreLocation(parsing: "sqlite:/var/lib/docpipe/store.sqlite")
                == .sqlite(path: "/var/lib/docpipe/store.sqlite"))
        #expect(try StoreLocation(parsing: "sqlite:///abs/store.sqlite") == .sqlite(path: "/abs/store.sqlite"))
    }

    @Test(arguments: [
        ("", "empty"), ("sqlite:", "needs a file path"), ("mysql://db/x", "unknown store scheme 'mysql://'"),
        ("postgres://db:99999/x", "not a number from 1 to 65535"), ("postgres://db/x?sslmode=maybe", "sslmode 'maybe'"),
        ("postgres://db/x?timeout=5", "unknown parameter 'timeout'"),
    ])
    func aBadStoreSaysWhatIsWrong(text: String, expected: String) {
        #expect {
            try StoreLocation(parsing: text)
        } throws: { error in
            "\(error)".contains(expected) && "\(error)".hasPrefix("bad store: ")
        }
    }

    @Test func theFlagBeatsTheEnvironmentWhichBeatsConfigJSONWhichBeatsTheDefault() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-loc-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(
            try StoreLocation.resolve(flag: nil, dataFolder: folder, environment: [:])
                == .sqlite(path: folder + "/store.sqlite"))
        try #"{"pipelines": {}, "store": "sqlite:/from/config.sqlite"}"#.write(
            toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        #expect(
            try StoreLocation.resolve(flag: nil, dataFolder: folder, environment: [:])
                == .sqlite(path: "/from/config.sqlite"))
        #expect(
            try StoreLocation.resolve(flag: nil, dataFolder: folder, environment: ["DOCPIPE_STORE": "/from/env"])
                == .sqlite(path: "/from/env"))
        #expect(
            try StoreLocation.resolve(flag: "/from/flag", dataFolder: folder, environment: ["DOCPIPE_STORE": "/env"])
                == .sqlite(path: "/from/flag"))
    }

    @Test func thePasswordComesFromTheURLThenPGPASSWORDThenAPrivatePgpassFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let passFile = folder + "/pgpass"
        try """
        # host:port:database:user:password
        other:5432:*:writer:nope
        db.example:5432:docs:writer:from\\:file
        *:*:*:*:fallback
        """.write(toFile: passFile, atomically: true, encoding: .utf8)
        let url = try PostgresURL(parsing: "postgres://writer@db.example/docs", environment: [:])
        // Readable by others: ignored, as libpq does.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: passFile)
        #expect(url.password(environment: ["PGPASSFILE": passFile]) == nil)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passFile)
        #expect(url.password(environment: ["PGPASSFILE": passFile]) == "from:file")
        #expect(url.password(environment: ["PGPASSFILE": passFile, "PGPASSWORD": "env"]) == "env")
        let inURL = try PostgresURL(parsing: "postgres://writer:url@db.example/docs", environment: [:])
        #expect(inURL.password(environment: ["PGPASSWORD": "env"]) == "url")
        let elsewhere = try PostgresURL(parsing: "postgres://reader@else/db", environment: [:])
        #expect(elsewhere.password(environment: ["PGPASSFILE": passFile]) == "fallback")
    }
}
