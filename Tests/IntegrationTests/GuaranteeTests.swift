import DocClient
import DocProtocol
import DocStore
import Foundation
import Testing

/// The promises in the README's "Guarantees" section, each on real processes.
@Suite(.serialized)
struct GuaranteeTests {
    @Test(.timeLimit(.minutes(2)))
    func aDocumentThatKeepsFailingIsDeadLetteredThenRetriedOnceTheWorkerIsFixed() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(
            """
            {"pipelines": {"flaky": {"stages": [{"service": "flaky", "max_attempts": 3}, "storage-writer"]}},
             "retry_base_ms": 50, "retry_max_ms": 200}
            """)
        try cluster.startBroker()
        try cluster.startWorker("storage-writer")
        let broken = try cluster.startPythonWorker(service: "flaky", ["--fail", "retryable"])
        let client = try cluster.client()
        try cluster.waitUntil("workers registered", timeout: 20) { try client.status().workers == 2 }

        let document = Document(id: "dlq-1", name: "dlq.txt", content: "This document meets a broken worker.")
        let job = try client.submit(SubmitRequest(pipeline: "flaky", document: document)).jobID
        let failed = try client.waitForJob(job, timeoutMs: 20_000)
        #expect(failed.state == .failed)
        #expect(failed.error?.reason == "spec_worker_fail")

        let letters = try client.deadLetterList()
        #expect(letters.jobs.map(\.jobID) == [job])
        #expect(letters.jobs.first?.stage == "flaky")
        #expect(letters.jobs.first?.attempts == 3)
        let shown = try DocpipeClient.decodeReply(
            try client.deadLetters(DeadLetterRequest(op: .show, jobID: job)),
            as: JobStatus.self)
        #expect(shown.history?.map(\.outcome) == [.error, .error, .error])

        // The CLI view says why.
        let docpipe = TestPaths.executable("docpipe")
        let listed = try runCommand(docpipe, ["dlq", "list", "--broker", cluster.endpoint], timeout: 20)
        #expect(listed.output.contains("spec_worker_fail"))

        // Fix the worker, retry from the CLI: the document is stored, once.
        broken.signal(SIGTERM)
        let exited = broken.waitForExit(timeout: 10)
        if !exited {
            let ps = try runCommand(
                URL(fileURLWithPath: "/bin/ps"), ["-o", "pid,ppid,stat,wchan,cmd", "-p", "\(broken.pid)"], timeout: 5)
            let status = (try? String(contentsOfFile: "/proc/\(broken.pid)/status", encoding: .utf8)) ?? ""
            Issue.record(
                "python worker did not exit: \(ps.output)\n\(status.split(separator: "\n").filter { $0.hasPrefix("Sig") }.joined(separator: "\n"))\n\(broken.log)"
            )
        }
        try cluster.startPythonWorker(service: "flaky")
        let retried = try runCommand(docpipe, ["dlq", "retry", job, "--broker", cluster.endpoint], timeout: 20)
        #expect(retried.status == 0, "\(retried.errors)")
        #expect(try client.waitForJob(job, timeoutMs: 20_000).state == .done)
        #expect(try client.deadLetterList().total == 0)
        #expect(try SQLiteStore.openReadOnly(path: cluster.storePath).count() == 1)
    }

    @Test(.timeLimit(.minutes(3)))
    func submittingFasterThanWorkersKeepsTheBrokerBoundedAndLosesNothing() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let maxJobs = 40
        try cluster.writeBrokerConfig(
            """
            {"pipelines": {"slow": {"stages": ["slow", "storage-writer"]}}, "max_jobs": \(maxJobs)}
            """)
        let broker = try cluster.startBroker(["--log-level", "warning"])
        try cluster.startWorker("storage-writer")
        try cluster.startPythonWorker(service: "slow", ["--delay-ms", "3"])
        let client = try cluster.client()
        try cluster.waitUntil("workers registered", timeout: 20) { try client.status().workers == 2 }

        let count = 400
        var peakUnfinished = 0
        for index in 0..<count {
            let document = Document(id: "bp-\(index)", content: "Back-pressure document number \(index).")
            _ = try client.submit(SubmitRequest(pipeline: "slow", document: document), busyWaitMs: 60_000)
            if index % 20 == 0 {
                let jobs = try client.status().jobs
                peakUnfinished = max(peakUnfinished, jobs.queued + jobs.running)
            }
        }
        #expect(client.busyRetries > 0, "the workers kept up; the test did not exercise back-pressure")
        #expect(peakUnfinished <= maxJobs)
        let store = try SQLiteStore(path: cluster.storePath)
        try cluster.waitUntil("all \(count) documents stored", timeout: 90) { try store.count() == count }
        let status = try client.status()
        #expect(status.jobs.done == count)
        #expect((status.counters["busy_replies"] ?? 0) > 0)
        let rss = try #require(residentMiB(of: broker.pid))
        print(
            "back-pressure: \(count) documents, \(client.busyRetries) busy replies honoured, "
                + "peak unfinished \(peakUnfinished) (bound \(maxJobs)), broker RSS \(Int(rss)) MiB")
        #expect(rss < 200)
    }

    @Test(.timeLimit(.minutes(2)))
    func sigtermLetsHeldDocumentsFinishThenTheJobResumesAfterRestart() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(#"{"pipelines": {"two": {"stages": ["slow", "storage-writer"]}}}"#)
        let broker = try cluster.startBroker()
        try cluster.startPythonWorker(service: "slow", ["--delay-ms", "1500"])
        let client = try cluster.client()
        try cluster.waitUntil("slow worker registered", timeout: 20) { try client.status().workers == 1 }
        let job = try client.submit(
            SubmitRequest(
                pipeline: "two",
                document: Document(
                    id: "drain-1",
                    content: "Drain me."))
        ).jobID
        try cluster.waitUntil("the worker holds the document", timeout: 10) {
            try client.status().services.first { $0.name == "slow" }?.inflight == 1
        }
        broker.signal(SIGTERM)
        #expect(broker.waitForExit(timeout: 15))
        #expect(broker.process.terminationStatus == 0)
        #expect(broker.log.contains("draining"))

        // The slow stage's result was journalled before exit: after a restart only storage remains.
        try cluster.startBroker()
        try cluster.startWorker("storage-writer")
        let fresh = try cluster.client(timeoutMs: 5000)
        let done = try fresh.waitForJob(job, timeoutMs: 30_000)
        #expect(done.state == .done)
        #expect(done.history?.filter { $0.stage == "slow" }.count == 1)
    }
}
