import DocProtocol
import DocStore
import Foundation
import Testing

/// Failures on purpose: workers killed mid-document, a broker killed with jobs queued, workers stopped.
@Suite(.serialized)
struct ResilienceTests {
    /// A pipeline whose first stage is served by the spec-written Python worker, slowed down so it can be
    /// killed while it holds the document.
    func writeKillTestConfig(_ cluster: TestCluster) throws {
        try FileManager.default.createDirectory(atPath: cluster.dataFolder, withIntermediateDirectories: true)
        let config = #"{"pipelines": {"killtest": {"stages": ["slow", "storage-writer"]}}}"#
        try config.write(toFile: cluster.dataFolder + "/config.json", atomically: true, encoding: .utf8)
    }

    @Test(.timeLimit(.minutes(2)))
    func workerKilledMidDocumentStillGetsTheDocumentStoredOnce() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try writeKillTestConfig(cluster)
        try cluster.startBroker(["--heartbeat-ms", "200"])
        try cluster.startWorker("storage-writer", ["--heartbeat-ms", "200"])
        let doomed = try cluster.startPythonWorker(service: "slow", ["--heartbeat-ms", "200", "--delay-ms", "60000"])
        try cluster.waitUntil("slow and storage-writer registered", timeout: 30) { try cluster.status().workers == 2 }

        let client = try cluster.client()
        let document = Document(id: "kill-test-1", name: "k.txt", content: "A document that must survive.")
        let job = try client.submit(SubmitRequest(pipeline: "killtest", document: document)).jobID
        try cluster.waitUntil("the slow worker holds the document", timeout: 10) {
            try cluster.status().services.first { $0.name == "slow" }?.inflight == 1
        }
        doomed.signal(SIGKILL)
        #expect(doomed.waitForExit(timeout: 5))
        try cluster.startPythonWorker(service: "slow", ["--heartbeat-ms", "200"])

        let status = try client.waitForJob(job, timeoutMs: 30_000)
        #expect(status.state == .done)
        let broker = try cluster.status()
        #expect((broker.counters["stage_deliveries_lost"] ?? 0) >= 1)
        #expect(status.history?.first?.outcome == .lost, "the killed delivery counts as a failed attempt")
        let store = try SQLiteStore.openReadOnly(path: cluster.dataFolder + "/store.sqlite")
        #expect(try store.count() == 1)
        #expect(try store.document(id: "kill-test-1")?.text == "A document that must survive.")
    }

    @Test(.timeLimit(.minutes(2)))
    func brokerKilledWithJobsQueuedResumesThemAfterRestart() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let first = try cluster.startBroker()
        try cluster.waitUntil("broker up", timeout: 20) { try cluster.status().workers == 0 }
        let client = try cluster.client()
        var jobs: [String] = []
        for index in 0..<3 {
            jobs.append(
                try client.submit(
                    SubmitRequest(
                        document: Document(
                            name: "r\(index).txt",
                            content: "Resume test \(index). The journal keeps this document safe."))
                ).jobID)
        }
        first.signal(SIGKILL)
        #expect(first.waitForExit(timeout: 5))

        try cluster.startBroker()
        for name in ["extractor", "classifier", "summarizer", "storage-writer"] { try cluster.startWorker(name) }
        let fresh = try cluster.client(timeoutMs: 5000)
        try cluster.waitUntil("restarted broker answers", timeout: 20) { try fresh.status().workers >= 0 }
        for job in jobs {
            #expect(try fresh.waitForJob(job, timeoutMs: 30_000).state == .done)
        }
        let store = try SQLiteStore.openReadOnly(path: cluster.dataFolder + "/store.sqlite")
        #expect(try store.count() == 3)
    }

    @Test(.timeLimit(.minutes(1)))
    func sigtermMakesAWorkerDisconnectAtOnce() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.startBroker() // default heartbeat: expiry would take 7.5 s
        let worker = try cluster.startWorker("extractor")
        try cluster.waitUntil("extractor registered", timeout: 20) { try cluster.status().workers == 1 }
        worker.signal(SIGTERM)
        #expect(worker.waitForExit(timeout: 10))
        #expect(worker.process.terminationStatus == 0)
        // DISCONNECT, not expiry: gone well before 3 × 2.5 s.
        try cluster.waitUntil("worker removed", timeout: 3) { try cluster.status().workers == 0 }
    }
}
