import DocClient
import DocProtocol
import DocStore
import Foundation
import OperatorViews
import PostgresTesting
import Testing

/// Many machines, one store: storage writers in two network namespaces ("sites") write into one
/// PostgreSQL in a third (with the broker), while writers are SIGKILLed at random and the server is
/// restarted once; `docpipe search` from a fourth namespace then finds every document, stored once.
@Suite(.serialized)
struct PostgresNetworkTests {
    static let unavailable: String? = NetworkNamespaces.unavailableReason

    @Test(
        .enabled(
            if: !SkipPolicy.excused("PostgresNetworkTests", because: unavailable),
            "needs root/CAP_SYS_ADMIN for `ip netns add`; fails with the reason unless excused"),
        .timeLimit(.minutes(6)))
    func writersOnTwoSitesFillOneServerExactlyOnceThroughKillsAndARestart() throws {
        if let reason = Self.unavailable { throw TestFailure("this machine cannot run the test: \(reason)") }
        let net = try NetworkNamespaces(hub: "core")
        defer { net.remove() }
        for spoke in ["site-a", "site-b", "cli"] { try net.addSpoke(spoke) }
        let server = try ThrowawayPostgres(
            listenAddress: "*", commandPrefix: ["ip", "netns", "exec", net.name("core")])
        defer { server.destroy() }
        try server.psql("CREATE DATABASE docpipe")
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(
            """
            {"pipelines": {"default": {"stages": ["slow", {"service": "storage-writer", "max_attempts": 60}]}},
             "retry_base_ms": 100, "retry_max_ms": 1000}
            """)
        let docpipe = TestPaths.executable("docpipe")
        let (brokerTool, brokerArgs) = net.exec(
            in: "core", docpipe,
            [
                "broker", "--bind", "tcp://*:5555", "--insecure", "--data", cluster.dataFolder, "--heartbeat-ms", "500",
            ])
        try cluster.start(brokerTool, brokerArgs, label: "broker")
        // A slow first stage beside the broker paces the flow (about 30 documents a second), so the kills
        // and the restart land while documents are still on their way to the store.
        let (paceTool, paceArgs) = net.exec(
            in: "core", URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", TestPaths.specWorker.path, "--broker", "tcp://127.0.0.1:5555", "--service", "slow",
                "--delay-ms", "30",
            ])
        try cluster.start(paceTool, paceArgs, label: "pace")
        /// Each site reaches the broker and the database at the core's address on its own link.
        func storeURL(_ spoke: String) -> String { server.url(database: "docpipe", host: net.links[spoke]!.hubAddress) }
        func cli(_ arguments: [String], timeout: Double = 60) throws -> (status: Int32, output: String, errors: String)
        {
            let (tool, args) = net.exec(in: "cli", docpipe, arguments)
            return try runCommand(tool, args, timeout: timeout)
        }
        let broker = "tcp://\(net.links["cli"]!.hubAddress):5555"
        func status() throws -> BrokerStatus {
            let result = try cli(["status", "--json", "--timeout-ms", "2000", "--broker", broker], timeout: 20)
            guard result.status == 0 else { throw TestFailure("status failed: \(result.errors)") }
            return try JSONShape.decodeWire(BrokerStatus.self, from: result.output)
        }

        var writers: [(site: String, child: Child)] = []
        var started = 0
        func startWriter(_ site: String) throws {
            started += 1
            let (tool, args) = net.exec(
                in: site, TestPaths.executable("docpipe-storage-writer"),
                [
                    "--broker", "tcp://\(net.links[site]!.hubAddress):5555", "--heartbeat-ms", "500",
                    "--store", storeURL(site), "--data", cluster.folder.appendingPathComponent("\(site)-data").path,
                ])
            writers.append((site, try cluster.start(tool, args, label: "\(site)-writer-\(started)")))
        }
        for site in ["site-a", "site-a", "site-b", "site-b"] { try startWriter(site) }
        try cluster.waitUntil("four storage writers and the pacer", timeout: 60) { try status().workers == 5 }

        let folder = cluster.folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<500 {
            try "Tide table \(index): high water at Kessel Sound, \(index % 24) hours, coefficient \(index * 7 % 120)."
                .write(to: folder.appendingPathComponent("tide-\(index).txt"), atomically: true, encoding: .utf8)
        }
        let submitted = try cli(["submit", folder.path, "--broker", broker, "--json"], timeout: 120)
        guard submitted.status == 0 else { throw TestFailure("submit failed: \(submitted.errors)\n\(cluster.logs())") }

        // Chaos while the documents flow: a random writer SIGKILLed (and replaced) every 700 ms, and the
        // database restarted once.
        var random = SystemRandomNumberGenerator()
        var restarted = false
        var kills = 0
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            let jobs = try status().jobs
            if jobs.done + jobs.failed >= 500 { break }
            if !restarted && jobs.done >= 150 {
                server.stop()
                Thread.sleep(forTimeInterval: 1.5)
                try server.start()
                restarted = true
            } else if kills < 8 {
                let victim = writers.remove(at: Int(random.next() % UInt64(writers.count)))
                victim.child.signal(SIGKILL)
                _ = victim.child.waitForExit(timeout: 5)
                kills += 1
                try startWriter(victim.site)
            }
            Thread.sleep(forTimeInterval: 0.7)
        }
        try cluster.waitUntil("all 500 documents done", timeout: 120) { try status().jobs.done == 500 }
        #expect(try status().jobs.failed == 0)
        #expect(restarted, "the database restart never happened: the documents finished first")

        let counts = try server.psql(
            "SELECT count(*), max(version), (SELECT count(*) FROM docpipe.document_versions) FROM docpipe.documents",
            database: "docpipe")
        #expect(counts.trimmingCharacters(in: .whitespacesAndNewlines) == "500|1|500")
        let found = try cli(["search", "kessel", "sound", "--limit", "1000", "--json", "--store", storeURL("cli")])
        #expect(found.status == 0, "\(found.errors)")
        let hits = try CLIJSON.decoder().decode([SearchHitJSON].self, from: Data(found.output.utf8))
        #expect(Set(hits.map(\.documentID)).count == 500)
        print("postgres netns: 500 documents, \(kills) writers killed, database restarted once")
    }
}
