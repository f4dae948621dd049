import DocClient
import DocProtocol
import Foundation
import Testing

/// The example Python plugin (plugins/examples/readability) in a pipeline next to Swift plugins, and
/// `docpipe call` reaching worker services directly.
@Suite(.serialized)
struct PythonPluginTests {
    @Test(.timeLimit(.minutes(2)))
    func readabilityRunsInAPipelineBetweenSwiftStages() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writePipelinesConfig(
            #"{"pipelines": {"readable": {"stages": ["extractor", "readability", "storage-writer"]}}}"#)
        try cluster.startBroker()
        try cluster.startWorker("extractor")
        try cluster.startWorker("storage-writer")
        // The Python SDK on two documents at once and one more waiting: credit 3 in READY.
        let plugin = try cluster.startReadabilityPlugin(["--concurrency", "2", "--prefetch", "1"])
        let client = try cluster.client(timeoutMs: 5000)
        try cluster.waitUntil("all three workers registered", timeout: 30) {
            try ["extractor", "readability", "storage-writer"].allSatisfy {
                try client.serviceAvailability($0) == "200"
            }
        }
        let listed = try cluster.docpipeJSON(["workers"], as: WorkerList.self).workers.first {
            $0.service == "readability"
        }
        #expect(listed?.credit == 3 && listed?.pid == Int(plugin.pid), "\(String(describing: listed))")

        let bytes = try Data(contentsOf: TestPaths.seed)
        let reply = try client.submit(
            SubmitRequest(pipeline: "readable", document: Document(bytes: bytes, name: "nato.txt")))
        let job = try client.waitForJob(reply.jobID, timeoutMs: 30_000)
        #expect(job.state == .done, "\(job.error.map { "\($0.reason): \($0.message)" } ?? "")\n\(cluster.logs())")
        #expect(job.stagesDone == ["extractor", "readability", "storage-writer"])
        let readability = try #require(job.results["readability"])
        let ease = try #require(readability["flesch_reading_ease"]?.doubleValue)
        #expect(ease > 20 && ease < 70, "news prose scores as fairly difficult: \(ease)")
        #expect(readability["reliable"]?.boolValue == true)
        #expect(readability["words"]?.intValue ?? 0 > 300)
        #expect(job.results["storage-writer"]?["outcome"]?.stringValue == "inserted")

        // An empty-of-words document fails at the Python stage, for good, with its reason.
        let noWords = try client.submit(SubmitRequest(pipeline: "readable", document: Document(content: "1234 5678")))
        let failed = try client.waitForJob(noWords.jobID, timeoutMs: 30_000)
        #expect(failed.state == .failed)
        #expect(failed.error?.reason == "no_words")
    }

    @Test(.timeLimit(.minutes(1)))
    func callReachesWorkerServicesDirectly() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.startBroker()
        try cluster.startPythonWorker(service: "echo.upper")
        try cluster.startReadabilityPlugin()
        let client = try cluster.client()
        try cluster.waitUntil("workers registered", timeout: 20) {
            try client.serviceAvailability("echo.upper") == "200" && client.serviceAvailability("readability") == "200"
        }
        let docpipe = TestPaths.executable("docpipe")
        let broker = ["--broker", cluster.endpoint, "--timeout-ms", "5000"]

        let text = try runCommand(docpipe, ["call", "echo.upper", "--text", "hello, worker"] + broker, timeout: 30)
        #expect(text.status == 0, "\(text.errors)")
        #expect(text.output == "HELLO, WORKER\n")

        let file = cluster.folder.appendingPathComponent("body.txt")
        try Data("from a file".utf8).write(to: file)
        let fromFile = try runCommand(docpipe, ["call", "echo.upper", file.path] + broker, timeout: 30)
        #expect(fromFile.output == "FROM A FILE\n")

        // A stage worker gets a StageRequest built around the file, and the StageResult comes back.
        let stage = try runCommand(
            docpipe,
            ["call", "readability", TestPaths.seed.path, "--stage-request", "--json"]
                + broker, timeout: 30)
        #expect(stage.status == 0, "\(stage.errors)")
        let result = try WireJSON.decode(StageResult.self, from: Data(stage.output.utf8))
        #expect(result.status == .ok)
        #expect(result.stage == "readability")
        #expect(result.output?["flesch_reading_ease"]?.doubleValue != nil)

        // The broker's own services too, and a clear error for a service nobody serves.
        let status = try runCommand(docpipe, ["call", "docpipe.status", "--json"] + broker, timeout: 30)
        #expect(status.output.contains("\"services\""))
        let missing = try runCommand(docpipe, ["call", "no.such.service", "--text", "x"] + broker, timeout: 30)
        #expect(missing.status != 0)
        #expect(missing.errors.contains("no worker serves 'no.such.service'"))
    }
}

extension TestCluster {
    /// Writes config.json in the broker's data folder (before `startBroker`).
    func writePipelinesConfig(_ json: String) throws {
        try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: URL(fileURLWithPath: dataFolder).appendingPathComponent("config.json"))
    }

    /// The example Python plugin, started the way `docpipe up` starts it (its manifest's command).
    @discardableResult
    func startReadabilityPlugin(_ extra: [String] = []) throws -> Child {
        let script = TestPaths.repoRoot.appendingPathComponent("plugins/examples/readability/readability.py")
        return try start(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", script.path, "--broker", endpoint, "--data", dataFolder, "--log-level", "warning"] + extra,
            label: "readability")
    }
}
