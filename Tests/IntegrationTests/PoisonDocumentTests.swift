import DocProtocol
import DocStore
import Foundation
import Testing

/// A document that kills every worker it reaches must end in the dead-letter queue, not loop forever,
/// and must not take the documents that shared a worker with it down too.
@Suite(.serialized)
struct PoisonDocumentTests {
    static let marker = "POISON-7c1e"

    @Test(.timeLimit(.minutes(3)))
    func aDocumentThatCrashesItsWorkerIsDeadLetteredAndTheOthersAreStored() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try FileManager.default.createDirectory(atPath: cluster.dataFolder, withIntermediateDirectories: true)
        let config =
            #"{"pipelines": {"fragile": {"stages": [{"service": "fragile", "max_attempts": 3}, "storage-writer"]}}}"#
        try config.write(toFile: cluster.dataFolder + "/config.json", atomically: true, encoding: .utf8)
        try cluster.startBroker(["--heartbeat-ms", "200"])
        try cluster.startWorker("storage-writer", ["--heartbeat-ms", "200"])
        // Credit 4, so the poison document shares the worker with others when it kills it.
        let workerArguments = ["--heartbeat-ms", "200", "--credit", "4", "--crash-on", Self.marker]
        var fragile = try cluster.startPythonWorker(service: "fragile", workerArguments)
        try cluster.waitUntil("fragile and storage-writer registered", timeout: 30) {
            try cluster.status().workers == 2
        }

        let client = try cluster.client()
        var jobs: [(id: String, poison: Bool)] = []
        for index in 0..<12 {
            let poison = index == 3
            let content = "Document \(index) for the poison test." + (poison ? " \(Self.marker)" : "")
            let request = SubmitRequest(
                pipeline: "fragile", document: Document(name: "p\(index).txt", content: content))
            jobs.append((try client.submit(request).jobID, poison))
        }

        // The supervisor's part: restart the worker whenever it dies, until every job has ended.
        var crashes = 0
        try cluster.waitUntil("every job done or dead-lettered", timeout: 90) {
            if !fragile.process.isRunning {
                crashes += 1
                fragile = try cluster.startPythonWorker(service: "fragile", workerArguments)
            }
            return try jobs.allSatisfy { job in
                let state = try client.job(job.id).state
                return state == .done || state == .failed
            }
        }

        if fragile.waitForExit(timeout: 1) { crashes += 1 } // the last crash needs no restart
        let poison = try client.job(try #require(jobs.first { $0.poison }).id)
        #expect(poison.state == .failed)
        #expect(poison.error?.reason == "worker_lost")
        let fragileTries = (poison.history ?? []).filter { $0.stage == "fragile" }
        #expect(fragileTries.map(\.outcome) == [.lost, .lost, .lost], "three attempts, each lost with its worker")
        #expect(crashes == 3, "the poison document killed \(crashes) workers")
        for job in jobs where !job.poison {
            #expect(try client.job(job.id).state == .done, "an innocent document sharing the worker was stored")
        }
        let store = try SQLiteStore.openReadOnly(path: cluster.dataFolder + "/store.sqlite")
        #expect(try store.count() == 11)
        let deadLetters = try cluster.status().counters["dead_lettered"] ?? 0
        #expect(deadLetters == 1)
    }
}
