import DocProtocol
import DocStore
import Foundation
import Testing
import ZeroMQ

/// Distributed operation over real, separate network stacks: the broker in one Linux network
/// namespace, a full set of stage workers in each of two more, the CLI in a fourth, all over CURVE.
/// One worker site's link is pulled and put back; its workers reconnect and no document is lost.
@Suite(.serialized)
struct NetworkNamespaceTests {
    /// Why this machine cannot run the test, if it cannot: the test then fails with it (see `SkipPolicy`).
    static let unavailable: String? =
        NetworkNamespaces.unavailableReason
        ?? (Curve.isAvailable ? nil : "libzmq has no CURVE support")

    static let stages = ["extractor", "classifier", "summarizer", "storage-writer"]

    @Test(
        .enabled(
            if: !SkipPolicy.excused("NetworkNamespaceTests", because: unavailable),
            "needs root/CAP_SYS_ADMIN for `ip netns add` and CURVE; fails with the reason unless excused"),
        .timeLimit(.minutes(5)))
    func documentsFlowAcrossNamespacesAndSurviveACutLink() throws {
        if let reason = Self.unavailable { throw TestFailure("this machine cannot run the test: \(reason)") }
        let net = try NetworkNamespaces(hub: "broker")
        defer { net.remove() }
        for spoke in ["site-a", "site-b", "cli"] { try net.addSpoke(spoke) }
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let docpipe = TestPaths.executable("docpipe")

        // Keys where a real deployment keeps them: the broker's in DATA/keys, the others' public halves
        // in DATA/authorized_keys (found by default, since the broker binds a network address).
        let keyFolder = cluster.folder.appendingPathComponent("keys").path
        let authorized = cluster.dataFolder + "/authorized_keys"
        try FileManager.default.createDirectory(atPath: authorized, withIntermediateDirectories: true)
        for (name, out) in [
            ("server", cluster.dataFolder + "/keys"), ("site-a", keyFolder), ("site-b", keyFolder),
            ("ops", keyFolder),
        ] {
            let roles = ["server": [], "ops": ["--roles", "client,operator"]][name] ?? ["--roles", "worker"]
            let made = try runCommand(docpipe, ["keygen", name, "--out", out] + roles, timeout: 30)
            guard made.status == 0 else { throw TestFailure("keygen \(name): \(made.errors)") }
            if name != "server" {
                try FileManager.default.copyItem(atPath: "\(out)/\(name).key", toPath: "\(authorized)/\(name).key")
            }
        }
        let serverKey = cluster.dataFolder + "/keys/server.key"
        func keyFlags(_ name: String) -> [String] {
            ["--server-key", serverKey, "--key", "\(keyFolder)/\(name).key_secret"]
        }
        func endpoint(_ spoke: String) -> String { "tcp://\(net.links[spoke]!.hubAddress):5555" }
        func siteData(_ site: String) -> String { cluster.folder.appendingPathComponent("\(site)-data").path }

        let (brokerTool, brokerArgs) = net.exec(
            in: "broker", docpipe,
            [
                "broker", "--bind", "tcp://*:5555", "--data", cluster.dataFolder, "--heartbeat-ms", "500",
            ])
        try cluster.start(brokerTool, brokerArgs, label: "broker")

        /// The CLI, run inside the fourth namespace against the broker's address on the CLI's link.
        func cli(_ arguments: [String], timeout: Double = 60) throws -> (status: Int32, output: String, errors: String)
        {
            let (tool, args) = net.exec(
                in: "cli", docpipe, arguments + ["--broker", endpoint("cli")] + keyFlags("ops"))
            return try runCommand(tool, args, timeout: timeout)
        }
        func status() throws -> BrokerStatus {
            let result = try cli(["status", "--json", "--timeout-ms", "2000"], timeout: 20)
            guard result.status == 0 else { throw TestFailure("status failed: \(result.errors)") }
            return try JSONShape.decodeWire(BrokerStatus.self, from: result.output)
        }
        func workers(_ service: String) -> Int {
            (try? status())?.services.first { $0.name == service }?.workers ?? -1
        }

        try cluster.waitUntil("the broker answers across namespaces", timeout: 30) { try status().workers == 0 }
        for site in ["site-a", "site-b"] {
            for stage in Self.stages {
                // Each site is its own machine: its own data folder (and so its own store).
                let (tool, args) = net.exec(
                    in: site, TestPaths.executable("docpipe-\(stage)"),
                    [
                        "--broker", endpoint(site), "--data", siteData(site), "--heartbeat-ms", "500",
                    ] + keyFlags(site))
                try cluster.start(tool, args, label: "\(site)-\(stage)")
            }
        }
        try cluster.waitUntil("two workers per stage, one per site", timeout: 60) {
            Self.stages.allSatisfy { workers($0) == 2 }
        }

        let batches = try (1...3).map { try Self.writeDocuments(batch: $0, count: 10, in: cluster.folder) }
        func submit(_ folder: URL) throws {
            let result = try cli(["submit", folder.path])
            guard result.status == 0 else { throw TestFailure("submit failed: \(result.errors)\n\(cluster.logs())") }
        }

        try submit(batches[0])
        try net.setLink("site-a", up: false)
        try submit(batches[1])
        try cluster.waitUntil("site A's workers expire while its link is down", timeout: 30) {
            Self.stages.allSatisfy { workers($0) == 1 }
        }
        Thread.sleep(forTimeInterval: 2)
        try net.setLink("site-a", up: true)
        try cluster.waitUntil("site A's workers reconnect", timeout: 90) {
            Self.stages.allSatisfy { workers($0) == 2 }
        }
        try submit(batches[2])

        try cluster.waitUntil("all 30 documents done", timeout: 120) {
            let jobs = try status().jobs
            return jobs.done == 30
        }
        let final = try status()
        #expect(final.jobs.failed == 0)
        #expect((final.counters["auth_admitted"] ?? 0) >= 9)
        // Every document is in one site's store or the other's; a document redelivered to the other site
        // after a cut link may be in both (one store per machine: the PostgreSQL store is what joins them).
        var stored: Set<String> = []
        var rows = 0
        for site in ["site-a", "site-b"] {
            let store = try SQLiteStore.openReadOnly(path: siteData(site) + "/store.sqlite")
            let listed = try store.list(limit: 1000)
            rows += listed.count
            stored.formUnion(listed.map(\.id))
        }
        #expect(stored.count == 30, "every document stored, in one site's store or the other's")
        #expect(rows >= 30 && rows <= 40)
        print("netns: 30 documents across 4 namespaces; counters \(final.counters.filter { $0.value > 0 })")
    }

    /// `count` distinct short articles (distinct content, so distinct document ids).
    static func writeDocuments(batch: Int, count: Int, in folder: URL) throws -> URL {
        let directory = folder.appendingPathComponent("batch-\(batch)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for index in 1...count {
            let text = """
                Harbour authority reports record cargo volumes, batch \(batch) item \(index)

                The port of Valdemar handled \(1000 * batch + index) containers last week, officials said on Monday. \
                Shipping lines credited new cranes and longer opening hours. Analysts expect volumes to keep rising \
                as trade routes shift north, while unions asked for more staff on the night shifts.
                """
            try text.write(
                to: directory.appendingPathComponent("report-\(batch)-\(index).txt"), atomically: true,
                encoding: .utf8)
        }
        return directory
    }
}
