import DocClient
import DocProtocol
import Foundation
import Testing

/// Pipelines are configuration: changed in config.json and picked up without a restart.
@Suite(.serialized)
struct ReloadTests {
    @Test(.timeLimit(.minutes(1)))
    func pipelinesReloadOnCommandAndOnSighupAndABrokenFileChangesNothing() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let broker = try cluster.startBroker()
        try cluster.startWorker("storage-writer")
        let client = try cluster.client()
        try cluster.waitUntil("storage writer registered", timeout: 20) { try client.status().workers == 1 }
        let document = Document(id: "reload-1", content: "Stored straight away.")
        do {
            _ = try client.submit(SubmitRequest(pipeline: "store-only", document: document))
            Issue.record("an unknown pipeline was accepted")
        } catch ClientError.refused(let error) {
            #expect(error.reason == "unknown_pipeline")
        }

        // A new pipeline, picked up by `docpipe reload`.
        try cluster.writeBrokerConfig(#"{"pipelines": {"store-only": {"stages": ["storage-writer"]}}}"#)
        let reload = try runCommand(
            TestPaths.executable("docpipe"), ["reload", "--broker", cluster.endpoint],
            timeout: 20)
        #expect(reload.status == 0, "\(reload.errors)")
        #expect(reload.output.contains("store-only: storage-writer"))
        let job = try client.submit(SubmitRequest(pipeline: "store-only", document: document)).jobID
        #expect(try client.waitForJob(job, timeoutMs: 20_000).state == .done)

        // A broken file on SIGHUP: refused with a log line, the old pipelines stay.
        try cluster.writeBrokerConfig(#"{"pipelines": {"store-only": {"stages": []}}}"#)
        broker.signal(SIGHUP)
        try cluster.waitUntil("the refusal is logged", timeout: 10) { broker.log.contains("reload refused") }
        #expect(try client.status().pipelines["store-only"] == ["storage-writer"])

        // A good file on SIGHUP.
        try cluster.writeBrokerConfig(#"{"pipelines": {"renamed": {"stages": ["storage-writer"]}}}"#)
        broker.signal(SIGHUP)
        try cluster.waitUntil("SIGHUP reload applied", timeout: 10) { try client.status().pipelines["renamed"] != nil }
        #expect(try client.status().pipelines["store-only"] == nil)
    }
}
