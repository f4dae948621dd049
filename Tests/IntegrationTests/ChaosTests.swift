import DocClient
import DocProtocol
import DocStore
import Foundation
import Synchronization
import Testing

/// 2,000 documents while workers of every stage are SIGKILLed at random and the broker is SIGKILLed twice,
/// with poison documents of two kinds among them: unreadable ones (the extractor refuses them) and ones that
/// crash the worker of the first stage every time. The store must end with exactly the 2,000 documents, once
/// each, and every poison document in the dead-letter queue, for its own reason.
@Suite(.serialized)
struct ChaosTests {
    static let stages = ["fragile", "extractor", "classifier", "summarizer", "storage-writer"]
    static let crashMarker = "CRASH-5d2a"

    @Test(.timeLimit(.minutes(10)))
    func twoThousandDocumentsSurviveKilledWorkersAndTwoKilledBrokers() throws {
        let good = Int(ProcessInfo.processInfo.environment["DOCPIPE_CHAOS_DOCUMENTS"] ?? "") ?? 2000
        let bad = 20
        let crashers = 4
        let cluster = try TestCluster()
        defer { cluster.stop() }
        // The first stage is the spec worker at credit 2, which exits whenever a document has the marker.
        try cluster.writeBrokerConfig(
            #"{"pipelines": {"chaos": {"stages": [{"service": "fragile", "max_attempts": 3}, "#
                + #""extractor", "classifier", "summarizer", "storage-writer"]}}}"#)
        // Fast failure detection (1.5 s) so killed workers are noticed quickly, but slack enough for a
        // loaded 2-core machine not to expire live peers.
        // DOCPIPE_CHAOS_BROKER_LOG=info logs every worker's arrival and departure, to follow a stuck job.
        let brokerLog = ProcessInfo.processInfo.environment["DOCPIPE_CHAOS_BROKER_LOG"] ?? "warning"
        let brokerArgs = ["--heartbeat-ms", "500", "--log-level", brokerLog]
        let workerArgs = ["--heartbeat-ms", "500", "--log-level", "error"]
        var broker = try cluster.startBroker(brokerArgs)
        func start(_ stage: String) throws -> Child {
            stage == "fragile"
                ? try cluster.startPythonWorker(
                    service: stage,
                    [
                        "--heartbeat-ms", "500", "--credit", "2",
                        "--crash-on", Self.crashMarker,
                    ])
                : try cluster.startWorker(stage, workerArgs)
        }
        var workers: [(stage: String, child: Child)] = []
        for stage in Self.stages {
            for _ in 0..<2 { workers.append((stage, try start(stage))) }
        }
        /// Starts again every worker that died by itself (the crashing documents): the supervisor's job.
        var crashes = 0
        func restartTheDead() throws {
            for index in workers.indices where !workers[index].child.process.isRunning {
                crashes += 1
                workers[index].child = try start(workers[index].stage)
            }
        }
        try cluster.waitUntil("10 workers registered", timeout: 30) { try cluster.status().workers == 10 }

        // Submit from a separate thread while this one wreaks havoc.
        let submitted = Atomic<Int>(0)
        let submitError = Mutex<String?>(nil)
        let endpoint = cluster.endpoint
        let submitter = Thread {
            do {
                let client = try DocpipeClient(broker: endpoint, timeoutMs: 2000)
                for index in 0..<(good + bad + crashers) {
                    let document =
                        index < good
                        ? Document(id: "chaos-\(index)", name: "chaos-\(index).txt", content: Self.text(index))
                        : index < good + bad
                            ? Document(
                                bytes: Data(
                                    [0, 1, 2, 0xff, 0, 0xfe] + Array(repeating: UInt8(index % 256), count: 64)),
                                name: "poison-\(index).bin", id: "poison-\(index)")
                            : Document(
                                id: "crash-\(index)", name: "crash-\(index).txt",
                                content: Self.text(index) + " " + Self.crashMarker)
                    // The broker may be dead right now: keep trying (a lost 202 means a second job for
                    // the same document, which the idempotent store absorbs).
                    var sent = false
                    let deadline = Date().addingTimeInterval(120)
                    while !sent {
                        do {
                            _ = try client.submit(
                                SubmitRequest(pipeline: "chaos", document: document), busyWaitMs: 30_000)
                            sent = true
                        } catch let error as ClientError {
                            if case .refused = error { throw error }
                            guard Date() < deadline else { throw error }
                            Thread.sleep(forTimeInterval: 0.1)
                        }
                    }
                    submitted.store(index + 1, ordering: .relaxed)
                }
            } catch {
                submitError.withLock { $0 = "\(error)" }
                submitted.store(-1, ordering: .relaxed)
            }
        }
        submitter.start()

        var generator = FuzzTests.Generator(state: 0xC0FF_EE00_1234_5678)
        var brokerKills = 0
        var workerKills = 0
        let total = good + bad + crashers
        let started = Date()
        while submitted.load(ordering: .relaxed) >= 0, submitted.load(ordering: .relaxed) < total {
            #expect(Date().timeIntervalSince(started) < 400, "submissions are stuck")
            if Date().timeIntervalSince(started) > 400 { break }
            Thread.sleep(forTimeInterval: 0.15)
            try restartTheDead()
            let done = submitted.load(ordering: .relaxed)
            if brokerKills < 2, done >= total * (brokerKills + 1) / 3 {
                broker.signal(SIGKILL)
                _ = broker.waitForExit(timeout: 5)
                brokerKills += 1
                Thread.sleep(forTimeInterval: 0.3)
                broker = try cluster.startBroker(brokerArgs)
                continue
            }
            let victim = generator.below(workers.count)
            workers[victim].child.signal(SIGKILL)
            _ = workers[victim].child.waitForExit(timeout: 5)
            workerKills += 1
            workers[victim].child = try start(workers[victim].stage)
        }
        while submitter.isExecuting { Thread.sleep(forTimeInterval: 0.05) }
        if let error = submitError.withLock({ $0 }) {
            throw TestFailure("submitter failed: \(error)\n\(cluster.logs())")
        }

        // Calm: every job must reach done or the dead-letter queue (crashed workers are still restarted).
        let client = try cluster.client(timeoutMs: 5000)
        func waitForCalm() throws {
            try cluster.waitUntil("every job finished", timeout: 300) {
                try restartTheDead()
                let jobs = try client.status().jobs
                return jobs.queued + jobs.running == 0
            }
        }
        try waitForCalm()
        // A good document can be dead-lettered too when the chaos took its stage `max_attempts` times in a row
        // (workers killed under it: worker_lost; a request a worker dropped across a broker restart: timeout).
        // What an operator does then is retry it, and it must go through.
        let unlucky = try client.deadLetterList().jobs.filter { $0.documentID.hasPrefix("chaos-") }
        for letter in unlucky {
            #expect(
                ["worker_lost", "timeout"].contains(letter.error?.reason ?? ""),
                "a good document failed for another reason: \(letter)")
            _ = try client.deadLetters(DeadLetterRequest(op: .retry, jobID: letter.jobID))
        }
        if !unlucky.isEmpty { try waitForCalm() }

        let status = try client.status()
        let store = try SQLiteStore.openReadOnly(path: cluster.storePath)
        let stored = try store.count()
        var missing = 0
        var versioned = 0
        for index in 0..<good {
            guard let document = try store.document(id: "chaos-\(index)") else {
                missing += 1
                continue
            }
            if document.version != 1 { versioned += 1 }
        }
        let letters = try client.deadLetterList()
        let poisonLetters = letters.jobs.filter { $0.documentID.hasPrefix("poison-") && $0.error != nil }
        let poisonDocuments = Set(poisonLetters.map(\.documentID))
        let crashLetters = letters.jobs.filter { $0.documentID.hasPrefix("crash-") }
        print(
            """
            chaos: \(good) good + \(bad) unreadable + \(crashers) crashing documents; killed \(workerKills) workers and \
            the broker \(brokerKills)×, \(crashes) workers died on crashing documents; jobs accepted \
            \(status.jobs.accepted), done \(status.jobs.done), dead-lettered \(status.jobs.failed); store holds \
            \(stored) documents (\(missing) missing, \(versioned) with extra versions); dead letters: \(letters.total) \
            (\(poisonDocuments.count) unreadable, reason \(poisonLetters.first?.error?.reason ?? "-"); \
            \(Set(crashLetters.map(\.documentID)).count) crashing); \(unlucky.count) good documents lost their \
            worker 3 times and were retried
            """)
        #expect(brokerKills == 2)
        #expect(stored == good)
        #expect(missing == 0)
        #expect(versioned == 0)
        #expect(poisonDocuments.count == bad)
        #expect(Set(crashLetters.map(\.documentID)).count == crashers)
        #expect(crashLetters.allSatisfy { $0.stage == "fragile" && $0.error?.reason == "worker_lost" })
        #expect(crashes >= crashers, "each crashing document killed a worker")
        #expect(letters.jobs.allSatisfy { $0.documentID.hasPrefix("poison-") || $0.documentID.hasPrefix("crash-") })
        #expect(status.jobs.failed == letters.total)
        // Every loss here is seen at once (a dead worker, a restarted broker): no stage may sit out its
        // 5-minute timeout. One did when a job resumed after its back-off kept a stale `retryAt`.
        #expect((status.counters["timeouts"] ?? 0) == 0, "stages waited out their timeout: \(status.counters)")
    }

    static func text(_ index: Int) -> String {
        let topics = [
            "The central bank raised interest rates as inflation stayed high in Frankfurt.",
            "The striker scored twice as the home side won the cup final in Madrid.",
            "Researchers in Geneva reported a new measurement of the neutrino mass.",
            "Ministers met in Brussels to discuss the alliance's eastern defence plans.",
        ]
        return "Chaos report \(index)\n\(topics[index % topics.count]) It was report number \(index) of the day. "
            + "Officials said more details would follow on \(1 + index % 28) March 2025."
    }
}
