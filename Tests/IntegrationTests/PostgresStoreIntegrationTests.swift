import DocClient
import DocProtocol
import DocStore
import DocStorePostgres
import Foundation
import OperatorViews
import PostgresTesting
import Testing

/// Storage writers and the CLI on a real PostgreSQL store: one store for every writer, exactly once
/// across them, the CLI reading and moving it, and a server restart in the middle of the flow.
@Suite(.serialized)
struct PostgresStoreIntegrationTests {
    static let pipeline = """
        {"pipelines": {"store": {"stages": [{"service": "storage-writer", "max_attempts": 40}]}},
         "retry_base_ms": 100, "retry_max_ms": 1000}
        """

    static func documents(_ range: Range<Int>, round: String = "") -> [Document] {
        range.map { index in
            Document(
                id: "pg-\(index)", name: "pg-\(index).txt",
                content: """
                    Lighthouse keeper log \(index)\(round). The lamp at Brannock Point burned through the storm; \
                    keeper number \(index) noted wind from the north-east and a freighter passing at dawn.
                    """)
        }
    }

    /// A throwaway server with a `docpipe` database, a broker, and two storage writers on that database.
    static func twoWritersOnOneServer() throws -> (ThrowawayPostgres, TestCluster, DocpipeClient) {
        let server = try ThrowawayPostgres()
        do {
            try server.psql("CREATE DATABASE docpipe")
            let cluster = try TestCluster()
            try cluster.writeBrokerConfig(pipeline)
            try cluster.startBroker()
            for _ in 0..<2 { try cluster.startWorker("storage-writer", ["--store", server.url(database: "docpipe")]) }
            let client = try cluster.client()
            try cluster.waitUntil("two storage writers", timeout: 30) { try client.status().workers == 2 }
            return (server, cluster, client)
        } catch {
            server.destroy()
            throw error
        }
    }

    /// Submits every document and waits until each job is done (bounded); the job ids.
    static func submitAndWait(_ documents: [Document], client: DocpipeClient, timeoutMs: Int = 60_000) throws {
        let jobs = try documents.map {
            try client.submit(SubmitRequest(pipeline: "store", document: $0), busyWaitMs: 30_000).jobID
        }
        for job in jobs {
            let status = try client.waitForJob(job, timeoutMs: timeoutMs)
            guard status.state == .done else {
                throw TestFailure("job \(job) ended \(status.state): \(String(describing: status.error))")
            }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func twoWritersShareOneStoreOnceAndTheCLISearchesShowsExportsAndImportsIt() async throws {
        let (server, cluster, client) = try Self.twoWritersOnOneServer()
        defer {
            cluster.stop()
            server.destroy()
        }
        let url = server.url(database: "docpipe")

        try Self.submitAndWait(Self.documents(0..<40), client: client)
        // The same documents again (a client retrying, a redelivery): nothing new is stored.
        try Self.submitAndWait(Self.documents(0..<10), client: client)
        let store = try await StoreOpener.open(try StoreLocation(parsing: url), readOnly: true)
        #expect(try await store.stats() == StoreStats(backend: "postgres", documents: 40, versions: 40))
        #expect(try await store.document(id: "pg-7")?.version == 1)
        await store.close()

        let docpipe = TestPaths.executable("docpipe")
        let search = try runCommand(
            docpipe, ["search", "lighthouse", "--limit", "100", "--json", "--store", url], timeout: 30)
        #expect(search.status == 0, "\(search.errors)")
        let hits = try CLIJSON.decoder().decode([SearchHitJSON].self, from: Data(search.output.utf8))
        #expect(hits.count == 40)
        #expect(hits.allSatisfy { $0.snippet.contains("«") })
        let show = try runCommand(docpipe, ["show", "pg-3", "--store", url], timeout: 30)
        #expect(show.status == 0 && show.output.contains("pg-3 (version 1)"), "\(show.errors)")

        // Move the PostgreSQL store into a SQLite file and search it there.
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let exportFile = folder.appendingPathComponent("store.ndjson").path
        let exported = try runCommand(docpipe, ["export", "--store", url, "--output", exportFile], timeout: 60)
        #expect(
            exported.status == 0 && exported.output.contains("exported 40 documents (40 versions)"),
            "\(exported.errors)")
        let sqlite = "sqlite:" + folder.appendingPathComponent("moved.sqlite").path
        let imported = try runCommand(docpipe, ["import", exportFile, "--store", sqlite, "--json"], timeout: 60)
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains(#""store_holds":{"backend":"sqlite","documents":40"#), "\(imported.output)")
        let moved = try runCommand(
            docpipe, ["search", "freighter", "--store", sqlite, "--json", "--limit", "100"], timeout: 30)
        #expect(try CLIJSON.decoder().decode([SearchHitJSON].self, from: Data(moved.output.utf8)).count == 40)
    }

    @Test(.timeLimit(.minutes(3)))
    func docpipeRunStoresIntoThePostgresStoreItIsGivenAndReportsFromIt() async throws {
        let server = try ThrowawayPostgres()
        defer { server.destroy() }
        let url = server.url()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seeds = TestPaths.repoRoot.appendingPathComponent("seeds").path
        let run = try runCommand(
            TestPaths.executable("docpipe"),
            ["run", seeds, "--store", url, "--data", folder.path, "--json"], timeout: 150)
        #expect(run.status == 0, "\(run.errors)")
        let reported = try CLIJSON.decoder().decode([DocumentJSON].self, from: Data(run.output.utf8))
        let store = try await StoreOpener.open(try StoreLocation(parsing: url), readOnly: true)
        let stats = try await store.stats()
        #expect(stats.documents > 0 && stats.documents == reported.count)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("store.sqlite").path))
        await store.close()
    }

    @Test(.timeLimit(.minutes(2)))
    func aWrongStoreIsOneClearLineAndExitOne() throws {
        let docpipe = TestPaths.executable("docpipe")
        let port = try ThrowawayPostgres.freePortForTests()
        let unreachable = try runCommand(
            docpipe, ["search", "x", "--store", "postgres://docpipe:hunter2@127.0.0.1:\(port)/docs?sslmode=disable"],
            timeout: 40)
        #expect(unreachable.status == 1)
        #expect(unreachable.errors.contains("cannot reach the document store at postgres://docpipe:***@127.0.0.1"))
        #expect(!unreachable.errors.contains("hunter2") && !unreachable.output.contains("hunter2"))
        #expect(unreachable.errors.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)

        let writer = try runCommand(
            TestPaths.executable("docpipe-storage-writer"), ["--store", "mysql://db/docs"],
            timeout: 20)
        #expect(writer.status == 1)
        #expect(writer.errors.contains("bad store: unknown store scheme 'mysql://'"))
    }

    @Test(.timeLimit(.minutes(4)))
    func aServerRestartWhileDocumentsFlowLosesNothingAndStoresNothingTwice() async throws {
        let (server, cluster, client) = try Self.twoWritersOnOneServer()
        defer {
            cluster.stop()
            server.destroy()
        }
        let url = server.url(database: "docpipe")

        func submit(_ range: Range<Int>) throws -> [String] {
            try Self.documents(range).map {
                try client.submit(SubmitRequest(pipeline: "store", document: $0), busyWaitMs: 30_000).jobID
            }
        }
        var jobs = try submit(0..<50)
        try cluster.waitUntil("some documents stored", timeout: 30) { try client.status().jobs.done >= 20 }
        server.stop()
        // Documents keep coming while the server is down: every one of them meets the outage.
        jobs += try submit(50..<150)
        try await Task.sleep(for: .seconds(2))
        try server.start()
        var metTheOutage = 0
        for job in jobs {
            // Generous: a writer may meet the outage on every attempt and back off (500 ms doubling) before the
            // server is back. If a job still does not finish, say where it is and what the writers logged.
            let status: JobStatus
            do {
                status = try client.waitForJob(job, timeoutMs: 120_000)
            } catch {
                let now = try? client.job(job)
                throw TestFailure(
                    "\(job) did not finish: \(error)\nits status: \(String(describing: now))\n\(cluster.logs())")
            }
            #expect(status.state == .done, "\(job): \(String(describing: status.error))")
            // Meeting the outage shows as a failed attempt (the writer's pool gave up) or as an attempt that
            // waited for the server to come back (the pool held the call until it could connect; a
            // normal upsert takes milliseconds).
            let met = status.history?.contains { $0.outcome != .ok || ($0.durationMs ?? 0) >= 1000 } ?? false
            if met { metTheOutage += 1 }
        }
        #expect(metTheOutage >= 1, "no document met the outage: the test proved nothing")
        #expect(try client.status().jobs.failed == 0)
        let store = try await StoreOpener.open(try StoreLocation(parsing: url), readOnly: true)
        let stats = try await store.stats()
        #expect(stats == StoreStats(backend: "postgres", documents: 150, versions: 150), "\(stats)")
        await store.close()
    }
}
