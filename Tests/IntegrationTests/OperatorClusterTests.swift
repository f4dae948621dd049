import DocClient
import DocProtocol
import Foundation
import Testing

/// Each operator view against a real broker with real workers: the numbers match what was done.
@Suite(.serialized)
struct OperatorClusterTests {
    /// Fast heartbeats so a dead worker expires in 0.75 s instead of 7.5 s.
    static let config =
        #"{"pipelines": {"ops": {"stages": ["extractor", "tail"]}}, "heartbeat_ms": 250, "liveness": 3}"#
    static let fast = ["--heartbeat-ms", "250", "--liveness", "3"]

    @Test(.timeLimit(.minutes(2)))
    func checkIsCriticalWhenDocumentsWaitForAStageWithNoWorkerAndWarnsOnSoftLimits() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(Self.config)
        try cluster.startBroker()
        try cluster.startWorker("extractor", Self.fast)
        try cluster.waitUntil("the extractor", timeout: 20) { try cluster.status().workers == 1 }
        // Nothing waits yet: a stage without a worker is no problem.
        #expect(try cluster.docpipe(["status", "--check"]).status == 0)

        _ = try cluster.submitDocuments(3, pipeline: "ops")
        try cluster.waitUntil("3 documents waiting for 'tail'", timeout: 20) {
            try cluster.status().stages?.first { $0.service == "tail" }?.queued == 3
        }
        let check = try cluster.docpipe(["status", "--check"])
        #expect(check.status == 2, "\(check.output)")
        #expect(check.output.hasPrefix("CRITICAL: tail has no worker and 3 document(s) wait for it (pipeline 'ops')"))

        try cluster.startPythonWorker(service: "tail", Self.fast)
        try cluster.waitUntil("the queue drained", timeout: 30) { try cluster.status().totals?.queued == 0 }
        #expect(try cluster.docpipe(["status", "--check", "--warn-queued", "0"]).status == 0)
        let warned = try cluster.docpipe(["status", "--check", "--warn-oldest", "0s", "--json"])
        #expect(warned.status == 0, "nothing is queued, so there is no oldest document to warn about")
    }

    @Test(.timeLimit(.minutes(3)))
    func statusJobsWorkersAndMetricsCountExactlyTheDocumentsThatWentThrough() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(Self.config)
        try cluster.startBroker()
        // Two documents at a time and one waiting: credit 3, which `docpipe workers` shows.
        let extractor = try cluster.startWorker("extractor", Self.fast + ["--concurrency", "2", "--prefetch", "1"])
        try cluster.startPythonWorker(service: "tail", Self.fast)
        try cluster.waitUntil("two workers", timeout: 20) { try cluster.status().workers == 2 }

        let k = 12
        let jobs = try cluster.submitDocuments(k, pipeline: "ops")
        let client = try cluster.client()
        for job in jobs { #expect(try client.waitForJob(job, timeoutMs: 30_000).state == .done) }
        // The last transition is journalled just after the reply that finished it.
        try cluster.waitUntil("\(k) jobs done", timeout: 5) { try cluster.status().jobs.done == k }

        let status = try cluster.docpipeJSON(["status"], as: BrokerStatus.self)
        let stages = Dictionary(uniqueKeysWithValues: (status.stages ?? []).map { ($0.service, $0) })
        for name in ["extractor", "tail"] {
            #expect(stages[name]?.done == k, "\(name)")
            #expect(stages[name]?.failed == 0)
            #expect(stages[name]?.latencyMs?.count == k)
            #expect(stages[name]?.workers == 1)
        }
        #expect(status.totals?.endToEndMs?.count == k)
        #expect(status.totals?.queued == 0)
        #expect(status.totals?.workersKnown == 2)
        #expect(status.totals.map { $0.inPerS > 0 && $0.outPerS > 0 } == true)
        let text = try cluster.docpipe(["status"]).output
        #expect(text.contains("STAGE") && text.contains("P95") && text.contains("end-to-end submit→stored"))
        // Plaintext on an ipc socket: status says who can reach it.
        #expect(status.access?.contains("any local user") == true, "\(status.access ?? "no access line")")
        #expect(text.contains("access: plaintext on ipc://"))

        let listed = try cluster.docpipeJSON(["jobs", "--pipeline", "ops", "--limit", "100"], as: JobList.self)
        #expect(Set(listed.jobs.map(\.jobID)) == Set(jobs))
        #expect(listed.jobs.allSatisfy { $0.state == .done })
        #expect(try cluster.docpipeJSON(["jobs", "--state", "running"], as: JobList.self).jobs.isEmpty)
        let one = try cluster.docpipeJSON(["job", jobs[0]], as: JobStatus.self)
        #expect(one.history?.map(\.stage) == ["extractor", "tail"])
        #expect(one.history?.allSatisfy { $0.outcome == .ok } == true)
        #expect(try cluster.docpipe(["job", jobs[0]]).output.contains("extractor  1    ok"))

        let workers = try cluster.docpipeJSON(["workers"], as: WorkerList.self).workers
        #expect(workers.count == 2)
        let ours = try #require(workers.first { $0.service == "extractor" })
        #expect(ours.pid == Int(extractor.pid))
        #expect(ours.host == ProcessInfo.processInfo.hostName || ours.host != nil)
        #expect(ours.done == k)
        #expect(ours.state == .idle)
        #expect(ours.inflight == 0 && ours.credit == 3)
        // The Python worker advertises no credit: it holds one request at a time, as plain MDP says.
        #expect(workers.first { $0.service == "tail" }?.credit == 1)
        let table = try cluster.docpipe(["workers"]).output
        #expect(table.contains("INFLIGHT  CREDIT"), "\(table)")

        let metrics = try cluster.docpipe(["metrics"]).output
        #expect(metrics.contains(#"docpipe_stage_done_total{stage="extractor"} \#(k)"#))
        #expect(metrics.contains(#"docpipe_stage_done_total{stage="tail"} \#(k)"#))
        #expect(metrics.contains("docpipe_end_to_end_latency_seconds_count \(k)"))
        let file = cluster.folder.appendingPathComponent("docpipe.prom")
        #expect(try cluster.docpipe(["metrics", "--output", file.path]).status == 0)
        #expect(try String(contentsOf: file, encoding: .utf8).contains("docpipe_up 1"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: cluster.folder.path).filter { $0.hasSuffix(".tmp") }
                .isEmpty)

        let healthy = try cluster.docpipe([
            "status", "--check", "--min-workers", "extractor=1,tail=1", "--max-dlq", "0",
            "--max-oldest", "60s",
        ])
        #expect(healthy.status == 0)
        #expect(healthy.output.hasPrefix("OK: 2 worker(s), 0 queued"))
        let short = try cluster.docpipe(["status", "--check", "--min-workers", "extractor=2"])
        #expect(short.status == 2)
        #expect(short.output == "CRITICAL: extractor has 1 worker(s), wants at least 2\n")

        let samples = try cluster.docpipe(["top", "--json", "--count", "2", "--interval", "0.2"]).output
            .split(separator: "\n").map { try JSONShape.decodeWire(TopSample.self, from: String($0)) }
        #expect(samples.count == 2)
        #expect(samples.allSatisfy { $0.status?.jobs.done == k && $0.workers?.workers.count == 2 })

        // Counters survive a broker restart: the same totals from a new broker process on the same journal.
        cluster.children[0].signal(SIGTERM)
        #expect(cluster.children[0].waitForExit(timeout: 15))
        try cluster.startBroker()
        try cluster.waitUntil("broker back", timeout: 20) { try cluster.status().version.isEmpty == false }
        let after = try cluster.docpipe(["metrics"]).output
        #expect(after.contains(#"docpipe_stage_done_total{stage="extractor"} \#(k)"#), "\(after)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aKilledWorkerLeavesTheWorkersListWithinTheExpiryTime() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(Self.config)
        try cluster.startBroker()
        let doomed = try cluster.startPythonWorker(service: "tail", Self.fast)
        let hung = try cluster.startPythonWorker(service: "tail", Self.fast)
        try cluster.waitUntil("two workers", timeout: 20) {
            try cluster.docpipeJSON(["workers"], as: WorkerList.self).workers.count == 2
        }
        doomed.signal(SIGKILL)
        let killedAt = Date()
        // Expiry is heartbeat × liveness = 0.75 s; allow for the broker's sweep and this poll.
        try cluster.waitUntil("the killed worker leaves `docpipe workers`", timeout: 5) {
            try cluster.docpipeJSON(["workers"], as: WorkerList.self).workers.count == 1
        }
        let gone = Date().timeIntervalSince(killedAt)
        #expect(gone < 3, "took \(gone) s")
        let status = try cluster.status()
        #expect(status.workers == 1)
        #expect(status.totals?.workersKnown == 2)
        let check = try cluster.docpipe(["status", "--check", "--min-workers", "tail=2"])
        #expect(check.status == 2)
        #expect(check.output.contains("tail has 1 worker(s), wants at least 2"))

        // A hung worker keeps its connection open, so only missed heartbeats give it away: first stale,
        // then gone once the liveness window (0.75 s) has passed.
        hung.signal(SIGSTOP)
        let hungAt = Date()
        var sawStale = false
        try cluster.waitUntil("the hung worker leaves `docpipe workers`", timeout: 5) {
            let workers = try cluster.docpipeJSON(["workers"], as: WorkerList.self).workers
            sawStale = sawStale || workers.contains { $0.state == .stale }
            return workers.isEmpty
        }
        let expired = Date().timeIntervalSince(hungAt)
        // Not instant (only silence gives a hung worker away) but within the window: its last heartbeat
        // may have gone out up to ~0.35 s before the stop, so the earliest expiry is ~0.4 s after it.
        #expect(expired >= 0.2 && expired < 3, "took \(expired) s")
        #expect(sawStale)
        hung.signal(SIGKILL)
    }

    @Test(.timeLimit(.minutes(3)))
    func aSlowStageShowsItsP95RiseAndItsQueueGrow() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(
            #"{"pipelines": {"two": {"stages": ["quick", "slowpoke"]}}, "heartbeat_ms": 250, "liveness": 3}"#)
        try cluster.startBroker()
        try cluster.startPythonWorker(service: "quick", Self.fast)
        let brisk = try cluster.startPythonWorker(service: "slowpoke", Self.fast + ["--delay-ms", "10"])
        try cluster.waitUntil("two workers", timeout: 20) { try cluster.status().workers == 2 }
        let client = try cluster.client()
        for job in try cluster.submitDocuments(4, pipeline: "two", tag: "before") {
            #expect(try client.waitForJob(job, timeoutMs: 20_000).state == .done)
        }
        let before = try #require(try cluster.stage("slowpoke").latencyMs?.p95)

        // The same stage turns slow: 400 ms a document, with 12 documents arriving at once.
        brisk.signal(SIGKILL)
        try cluster.startPythonWorker(service: "slowpoke", Self.fast + ["--delay-ms", "400"])
        try cluster.waitUntil("slow worker in, brisk one out", timeout: 10) {
            try cluster.docpipeJSON(["workers", "--service", "slowpoke"], as: WorkerList.self).workers.count == 1
                && cluster.status().workers == 2
        }
        let jobs = try cluster.submitDocuments(12, pipeline: "two", tag: "after")
        try cluster.waitUntil("slowpoke's queue grows", timeout: 10) { try cluster.stage("slowpoke").queued >= 6 }
        // The fast stage drains while the slow one still has a queue (polled: on a loaded machine the
        // fast stage may need a moment to catch up with a burst of 12).
        try cluster.waitUntil("quick drains while slowpoke still queues", timeout: 10) {
            try cluster.stage("quick").queued == 0 && cluster.stage("slowpoke").queued >= 3
        }
        try cluster.waitUntil("the oldest queued document is over 1 s old", timeout: 10) {
            (try cluster.stage("slowpoke").oldestQueuedS ?? 0) > 1.2
        }
        let check = try cluster.docpipe(["status", "--check", "--max-oldest", "1s"])
        #expect(check.status == 2)
        #expect(check.output.contains("in slowpoke (limit 1.0s)"), "\(check.output)")

        for job in jobs { #expect(try client.waitForJob(job, timeoutMs: 30_000).state == .done) }
        let after = try #require(try cluster.stage("slowpoke").latencyMs?.p95)
        // The Python worker answers within a poll slice (~100 ms) of finishing, hence the loose "before".
        #expect(before < 250, "before: \(before) ms")
        #expect(after >= 380 && after > before * 1.5, "before: \(before) ms, after: \(after) ms")
        #expect(try cluster.stage("quick").latencyMs.map { $0.p95 < 250 } == true)
    }
}

/// One line of `docpipe top --json`.
struct TopSample: Decodable {
    var at: Double
    var status: BrokerStatus?
    var workers: WorkerList?
}
