import DocClient
import DocProtocol
import DocStore
import DocStorePostgres
import Foundation
import PostgresTesting
import Testing

/// Two brokers on loopback sharing one PostgreSQL journal (a real server started for the test), storage
/// writers and a client given both endpoints: the active broker is killed, both are killed, or the
/// active one is cut off from the database — and every document is stored exactly once.
@Suite(.serialized)
struct FailoverTests {
    static let pipeline = """
        {"pipelines": {"store": {"stages": [{"service": "storage-writer", "max_attempts": 40}]}},
         "retry_base_ms": 100, "retry_max_ms": 1000}
        """

    /// The server, its `docpipe` database (journal and store share it, in their own schemas), and a
    /// cluster folder holding the pipeline config.
    final class Setup {
        let server: ThrowawayPostgres
        let cluster: TestCluster
        let url: String
        let config: String
        let endpoints: [String]
        var brokers: [String: Child] = [:]
        var logLevel = "info"

        init() throws {
            server = try ThrowawayPostgres()
            do {
                _ = try server.psql("CREATE DATABASE docpipe")
                url = server.url(database: "docpipe")
                cluster = try TestCluster()
                config = cluster.folder.appendingPathComponent("config.json").path
                try FailoverTests.pipeline.write(toFile: config, atomically: true, encoding: .utf8)
                endpoints = [try freeLoopbackEndpoint(), try freeLoopbackEndpoint()]
            } catch {
                server.destroy()
                throw error
            }
        }

        var list: String { endpoints.joined(separator: ",") }

        /// Starts broker `index` (0 = "a", 1 = "b") on the shared journal, as `journalURL` when given.
        @discardableResult
        func startBroker(_ index: Int, journalURL: String? = nil) throws -> Child {
            let name = index == 0 ? "a" : "b"
            let data = cluster.folder.appendingPathComponent("data-\(name)").path
            let child = try cluster.start(
                TestPaths.executable("docpipe"),
                [
                    "broker", "--bind", endpoints[index], "--data", data, "--config", config,
                    "--journal", journalURL ?? url, "--log-level", logLevel,
                ], label: "broker-\(name)")
            brokers[name] = child
            return child
        }

        func status(_ index: Int) throws -> BrokerStatus {
            try DocpipeClient(broker: endpoints[index], timeoutMs: 1000).status()
        }

        func waitForRole(_ index: Int, _ role: BrokerRole, timeout: Double) throws {
            try cluster.waitUntil("broker \(endpoints[index]) \(role)", timeout: timeout) {
                try status(index).role == role
            }
        }

        func startWriters(_ count: Int) throws {
            for _ in 0..<count {
                try cluster.start(
                    TestPaths.executable("docpipe-storage-writer"),
                    ["--broker", list, "--store", url, "--data", cluster.dataFolder],
                    label: "storage-writer")
            }
        }

        /// `count` text files with distinct content in a folder of the cluster.
        func writeDocuments(_ count: Int) throws -> String {
            let folder = cluster.folder.appendingPathComponent("docs")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<count {
                try """
                Harbour report \(index). The pilot boat met vessel number \(index) off the breakwater at dawn; \
                the crew logged a north-westerly swell and a cargo of timber bound for the inner basin.
                """.write(to: folder.appendingPathComponent("report-\(index).txt"), atomically: false, encoding: .utf8)
            }
            return folder.path
        }

        func storedCount() throws -> Int {
            let text = try server.psql("SELECT count(*) FROM docpipe.documents", database: "docpipe")
            return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }

        func storeStats() async throws -> StoreStats {
            let store = try await StoreOpener.open(try StoreLocation(parsing: url), readOnly: true)
            defer { Task { await store.close() } }
            return try await store.stats()
        }

        func stop() {
            cluster.stop()
            server.destroy()
        }
    }

    /// A submit's log without its "accepted …" lines: what went wrong, if anything.
    static func unusual(_ log: String) -> String {
        log.split(separator: "\n").filter { !$0.hasPrefix("accepted ") && !$0.hasPrefix("  accepted ") }
            .suffix(40).joined(separator: "\n")
    }

    /// Polls until `condition`, returning the seconds it took (bounded by `timeout`).
    static func timeUntil(_ what: String, timeout: Double, _ condition: () throws -> Bool) throws -> Double {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            if (try? condition()) == true { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw TestFailure("timed out after \(timeout) s waiting for: \(what)")
    }

    @Test(.timeLimit(.minutes(5)))
    func theActiveBrokerIsKilledMidRunAndTheStandbyFinishesEveryDocumentOnce() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        try setup.startBroker(0)
        try setup.waitForRole(0, .active, timeout: 30)
        try setup.startBroker(1)
        try setup.waitForRole(1, .standby, timeout: 30)
        try setup.startWriters(2)
        try setup.cluster.waitUntil("two writers at the active broker", timeout: 30) {
            try setup.status(0).workers == 2
        }

        let documents = try setup.writeDocuments(2000)
        let submit = try setup.cluster.start(
            TestPaths.executable("docpipe"),
            [
                "submit", documents, "--broker", setup.list, "--pipeline", "store", "--wait", "--wait-timeout", "240",
                "--retry-for", "120", "--json",
            ], label: "submit")
        defer { submit.stop() }
        try setup.cluster.waitUntil("200 documents done at the first broker", timeout: 120) {
            try setup.status(0).jobs.done >= 200
        }
        let doneBeforeKill = try setup.status(0).jobs.done
        setup.brokers["a"]!.signal(SIGKILL)
        let takeover = try Self.timeUntil("the standby active", timeout: 15) { try setup.status(1).role == .active }
        print(
            "failover: the standby was active \(String(format: "%.2f", takeover)) s after the active broker was killed "
                + "(\(doneBeforeKill) of 2000 documents were done)")
        #expect(takeover <= 5, "the standby took \(takeover) s to become active")
        #expect(doneBeforeKill < 2000, "everything was done before the kill: the test proved nothing")

        #expect(submit.waitForExit(timeout: 240), "the client's submit did not finish\n\(setup.cluster.logs())")
        #expect(
            submit.process.terminationStatus == 0,
            "submit exited \(submit.process.terminationStatus)\n\(Self.unusual(submit.log))")
        let stats = try await setup.storeStats()
        #expect(stats.documents == 2000 && stats.versions == 2000, "\(stats)")
        let after = try setup.status(1)
        #expect(after.jobs.failed == 0)
        #expect(after.failover?.failovers == 1 && after.failover?.activeEndpoint == setup.endpoints[1])
    }

    @Test(.timeLimit(.minutes(5)))
    func bothBrokersKilledOneAfterTheOtherThenOneRestartedLosesNothing() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        try setup.startBroker(0)
        try setup.waitForRole(0, .active, timeout: 30)
        try setup.startBroker(1)
        try setup.waitForRole(1, .standby, timeout: 30)
        try setup.startWriters(1)
        try setup.cluster.waitUntil("a writer at the active broker", timeout: 30) { try setup.status(0).workers == 1 }

        let documents = try setup.writeDocuments(1000)
        let submit = try setup.cluster.start(
            TestPaths.executable("docpipe"),
            [
                "submit", documents, "--broker", setup.list, "--pipeline", "store", "--retry-for", "120",
            ], label: "submit")
        defer { submit.stop() }
        try setup.cluster.waitUntil("100 documents stored", timeout: 120) { try setup.storedCount() >= 100 }
        setup.brokers["a"]!.signal(SIGKILL)
        try setup.waitForRole(1, .active, timeout: 15)
        let atTakeover = try setup.storedCount()
        try setup.cluster.waitUntil("more documents stored through the second broker", timeout: 120) {
            try setup.storedCount() >= atTakeover + 100
        }
        setup.brokers["b"]!.signal(SIGKILL)
        let atSecondKill = try setup.storedCount()
        #expect(atSecondKill < 1000, "everything was stored before the second kill: the test proved nothing")
        #expect(submit.waitForExit(timeout: 10), "submit still running: \(submit.log.suffix(1000))")
        #expect(
            submit.process.terminationStatus == 0,
            "submit exited \(submit.process.terminationStatus)\n\(Self.unusual(submit.log))")

        // Only the first broker comes back; it resumes what both left unfinished.
        try setup.startBroker(0)
        try setup.waitForRole(0, .active, timeout: 30)
        try setup.cluster.waitUntil("all 1000 documents stored", timeout: 180) { try setup.storedCount() >= 1000 }
        let stats = try await setup.storeStats()
        #expect(stats.documents == 1000 && stats.versions == 1000, "\(stats)")
        try setup.cluster.waitUntil("no unfinished job", timeout: 60) {
            let jobs = try setup.status(0).jobs
            return jobs.queued == 0 && jobs.running == 0
        }
        #expect(try setup.status(0).jobs.failed == 0)
    }

    @Test(.timeLimit(.minutes(5)))
    func aBrokerCutOffFromTheDatabaseStopsServingBeforeTheStandbyTakesOver() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        setup.logLevel = ProcessInfo.processInfo.environment["DOCPIPE_TEST_BROKER_LOG"] ?? "info"
        // The first broker logs in as a role of its own, so the test can cut it off from the database alone.
        _ = try setup.server.psql("CREATE ROLE broker_a LOGIN SUPERUSER")
        let urlA = setup.url.replacingOccurrences(of: "//docpipe@", with: "//broker_a@")
        try setup.startBroker(0, journalURL: urlA)
        try setup.waitForRole(0, .active, timeout: 30)
        try setup.startBroker(1)
        try setup.waitForRole(1, .standby, timeout: 30)
        try setup.startWriters(2)
        try setup.cluster.waitUntil("two writers at the active broker", timeout: 30) {
            try setup.status(0).workers == 2
        }

        let documents = try setup.writeDocuments(1000)
        let submit = try setup.cluster.start(
            TestPaths.executable("docpipe"),
            [
                "submit", documents, "--broker", setup.list, "--pipeline", "store", "--wait", "--wait-timeout", "240",
                "--retry-for", "120",
            ], label: "submit")
        defer { submit.stop() }
        try setup.cluster.waitUntil("100 documents stored", timeout: 120) { try setup.storedCount() >= 100 }

        // A partition: the first broker's connections are cut and it may not log in again.
        _ = try setup.server.psql("ALTER ROLE broker_a NOLOGIN")
        _ = try setup.server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'broker_a'")
        let cutAt = Date()
        let fenced = try Self.timeUntil("the cut-off broker stands by", timeout: 10) {
            try setup.status(0).role == .standby
        }
        _ = try Self.timeUntil("the other broker active", timeout: 15) { try setup.status(1).role == .active }
        let takeover = Date().timeIntervalSince(cutAt)
        print(
            "fencing: the cut-off broker stood by \(String(format: "%.2f", fenced)) s after the cut; the other was "
                + "active \(String(format: "%.2f", takeover)) s after it")
        #expect(setup.brokers["a"]!.log.contains("lost the journal's lease: stopped dispatching"))
        // The broker stops 2.5 s after it sent its last renewal (the lease lasts 3 s); polling adds a little.
        #expect(fenced <= 4, "the cut-off broker served on for \(fenced) s")
        // That the cut-off broker stopped before the other started is checked below from the database's own
        // record (two polls from this test cannot order events half a second apart reliably).
        _ = try setup.server.psql("ALTER ROLE broker_a LOGIN")

        #expect(submit.waitForExit(timeout: 240), "the client's submit did not finish\n\(setup.cluster.logs())")
        #expect(
            submit.process.terminationStatus == 0,
            "submit exited \(submit.process.terminationStatus)\n\(Self.unusual(submit.log))")
        if submit.process.terminationStatus != 0, let range = submit.log.range(of: "no job 'job-") {
            let id = "job-" + submit.log[range.upperBound...].prefix(16)
            let rows = try setup.server.psql(
                "SELECT seq, kind, epoch, done_at, written_at FROM docpipe_broker.journal WHERE job_id = '\(id)'",
                database: "docpipe")
            let history = try setup.server.psql("SELECT * FROM docpipe_broker.lease_history", database: "docpipe")
            let mentions = setup.cluster.logs().split(separator: "\n").filter { $0.contains(id) }.joined(
                separator: "\n")
            Issue.record("job \(id): rows \(rows)\nhistory \(history)\nlog lines:\n\(mentions)")
            if let keep = ProcessInfo.processInfo.environment["DOCPIPE_TEST_KEEP_LOGS"] {
                try? FileManager.default.copyItem(at: setup.cluster.folder, to: URL(fileURLWithPath: keep))
                _ = try? setup.server.psql(
                    "COPY (SELECT seq, job_id, kind, epoch, done_at, written_at FROM docpipe_broker.journal ORDER BY seq) TO '\(keep)-journal.csv' CSV",
                    database: "docpipe")
            }
        }
        let stats = try await setup.storeStats()
        #expect(stats.documents == 1000 && stats.versions == 1000, "\(stats)")
        // The first broker stays a standby: the lease is the other's now.
        #expect(try setup.status(0).role == .standby)

        // From the lease history: the terms never overlapped, and every journal row was written by the
        // broker holding the lease at the time, inside its term.
        let overlaps = try setup.server.psql(
            """
            SELECT count(*) FROM docpipe_broker.lease_history h JOIN docpipe_broker.lease_history n
              ON n.epoch = h.epoch + 1 WHERE n.acquired_at < h.expires_at
            """, database: "docpipe")
        #expect(overlaps.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let outside = try setup.server.psql(
            """
            SELECT count(*) FROM docpipe_broker.journal j JOIN docpipe_broker.lease_history h ON h.epoch = j.epoch
            WHERE j.written_at < h.acquired_at OR j.written_at > h.expires_at
            """, database: "docpipe")
        #expect(outside.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let terms = try setup.server.psql("SELECT count(*) FROM docpipe_broker.lease_history", database: "docpipe")
        #expect(terms.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }

    @Test(.timeLimit(.minutes(3)))
    func theJournalComesFromTheFlagTheEnvironmentOrTheConfigFileAndABadOneIsOneClearLine() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let docpipe = TestPaths.executable("docpipe")
        // $DOCPIPE_JOURNAL
        let data = setup.cluster.folder.appendingPathComponent("data-env").path
        try setup.cluster.start(
            docpipe, ["broker", "--bind", setup.endpoints[0], "--data", data, "--config", setup.config],
            label: "broker-env", environment: ["DOCPIPE_JOURNAL": setup.url])
        try setup.waitForRole(0, .active, timeout: 30)
        #expect(try setup.status(0).failover?.journal == "postgres")
        // "journal" in config.json: a second broker of the same group, so a standby.
        let config = setup.cluster.folder.appendingPathComponent("with-journal.json").path
        try #"{"journal": "\#(setup.url)"}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try setup.cluster.start(
            docpipe, ["broker", "--bind", setup.endpoints[1], "--data", data + "-2", "--config", config],
            label: "broker-config")
        try setup.waitForRole(1, .standby, timeout: 30)
        #expect(try setup.status(1).failover?.activeEndpoint == setup.endpoints[0])

        let port = try ThrowawayPostgres.freePortForTests()
        let bad = try runCommand(
            docpipe,
            [
                "broker", "--bind", try freeLoopbackEndpoint(), "--data", data + "-3",
                "--journal", "postgres://docpipe:hunter2@127.0.0.1:\(port)/docpipe?sslmode=disable",
            ], timeout: 40)
        #expect(bad.status == 1)
        #expect(
            bad.errors.contains("--journal: cannot reach the journal database at postgres://docpipe:***@127.0.0.1"),
            "\(bad.errors)")
        #expect(!bad.errors.contains("hunter2"))
        #expect(bad.errors.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
    }
}
