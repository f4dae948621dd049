import DocClient
import Foundation
import Testing

/// `docpipe up` with CURVE: its broker admits only authorized keys, and its own workers get a key of
/// their own that `up` makes and authorizes.
@Suite(.serialized)
struct UpCurveTests {
    @Test(.timeLimit(.minutes(2)))
    func upRunsItsBrokerWithCurveAndGivesItsWorkersAKey() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let keys = try TestKeys(in: cluster)
        try keys.make("ops", roles: "operator")
        try keys.authorize("ops")
        let up = try cluster.start(
            TestPaths.executable("docpipe"),
            [
                "up", "--bind", cluster.endpoint, "--data", cluster.dataFolder, "--only", "extractor",
                "--plugins", TestPaths.repoRoot.appendingPathComponent("plugins").path, "--heartbeat-ms", "300",
                "--stop-grace", "5", "--status-every", "1",
            ] + keys.brokerFlags, label: "up")

        // The extractor got through CURVE with the key `up` made; an operator key sees it.
        let operatorClient = try cluster.client(as: try keys.clientKeys("ops"))
        try cluster.waitUntil("the extractor registered", timeout: 30) {
            (try? cluster.workers(of: "extractor", status: operatorClient.status())) == 1
        }
        // Least privilege: the extractor's key may serve the extractor and nothing else; up's own key operates.
        let made = URL(fileURLWithPath: cluster.dataFolder).appendingPathComponent(
            "keys/up-worker-extractor.key_secret"
        ).path
        #expect(FileManager.default.fileExists(atPath: made), "\(up.log)")
        #expect(FileManager.default.fileExists(atPath: keys.authorizedFile("up-worker-extractor")))
        #expect(up.log.contains("made CURVE key up-worker-extractor (roles: worker:extractor)"))
        #expect(up.log.contains("made CURVE key up-operator (roles: operator)"))
        let certificate = try String(contentsOfFile: keys.authorizedFile("up-worker-extractor"), encoding: .utf8)
        #expect(certificate.contains("worker:extractor") && !certificate.contains("operator"))

        // Without a key nothing gets an answer.
        let anonymous = try cluster.client(as: nil, timeoutMs: 500)
        #expect(throws: (any Error).self) { try anonymous.status() }

        // `up`'s own status table reads the broker through the same key: it sees one extractor.
        try cluster.waitUntil("a status table that sees the extractor", timeout: 15) {
            up.log.split(separator: "\n").contains { line in
                let columns = line.split(separator: " ", omittingEmptySubsequences: true)
                return columns.first?.hasPrefix("extractor") == true && columns.count >= 6 && columns[5] == "1"
            }
        }

        up.signal(SIGTERM)
        #expect(up.waitForExit(timeout: 20), "up did not stop\n\(up.log)")
        #expect(up.process.terminationStatus == 0, "\(up.log)")
    }

    @Test func refusesANetworkAddressWithoutKeys() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runCommand(
            TestPaths.executable("docpipe"),
            ["up", "--bind", "tcp://0.0.0.0:0", "--data", folder.path, "--only", "extractor"],
            timeout: 30)
        #expect(result.status != 0)
        #expect(result.errors.contains("docpipe keygen server"), "\(result.errors)")
    }
}
