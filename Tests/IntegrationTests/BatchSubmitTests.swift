import DocClient
import DocProtocol
import DocStore
import Foundation
import Testing

/// Batch submission on a real broker with real workers: a folder goes up in few requests, every document
/// still gets its own job, and one bad document in a batch is refused alone.
@Suite(.serialized)
struct BatchSubmitTests {
    /// A broker with an `ingest` pipeline (extract, store) and its two workers, registered.
    private static func ingestCluster(maxJobs: Int = 10_000) throws -> TestCluster {
        let cluster = try TestCluster()
        try cluster.writeBrokerConfig(
            #"{"pipelines": {"ingest": {"stages": ["extractor", "storage-writer"]}}, "max_jobs": "# + "\(maxJobs)}")
        try cluster.startBroker()
        try cluster.startWorker("extractor")
        try cluster.startWorker("storage-writer")
        try cluster.waitUntil("2 workers registered", timeout: 30) { try cluster.status().workers == 2 }
        return cluster
    }

    private static func note(_ index: Int) -> String {
        "# Note \(index)\n\nThe harbour board met on day \(index) to discuss crane number \(index).\n"
    }

    struct Outcome: Decodable {
        var file: String
        var jobID: String?
        var state: String

        enum CodingKeys: String, CodingKey {
            case file, state
            case jobID = "job_id"
        }
    }

    /// A folder of `count` small notes in the cluster's folder.
    private static func inbox(_ count: Int, in cluster: TestCluster) throws -> URL {
        let inbox = cluster.folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for index in 0..<count {
            try Self.note(index).write(
                to: inbox.appendingPathComponent(String(format: "note-%02d.md", index)),
                atomically: true, encoding: .utf8)
        }
        return inbox
    }

    /// Runs `docpipe submit FOLDER --wait --json` against the cluster and reads its per-file outcomes.
    static func submitFolder(_ inbox: URL, to cluster: TestCluster) throws -> [Outcome] {
        let submit = try runCommand(
            TestPaths.executable("docpipe"),
            ["submit", inbox.path, "--pipeline", "ingest", "--broker", cluster.endpoint, "--wait", "--json"],
            timeout: 120)
        #expect(submit.status == 0, "docpipe submit failed: \(submit.errors)\n\(cluster.logs())")
        return try JSONDecoder().decode([Outcome].self, from: Data(submit.output.utf8))
    }

    @Test(.timeLimit(.minutes(3)))
    func aFolderGoesUpInBatchesAndEveryDocumentIsStored() throws {
        let cluster = try Self.ingestCluster()
        defer { cluster.stop() }
        let inbox = try Self.inbox(30, in: cluster)

        let outcomes = try Self.submitFolder(inbox, to: cluster)
        #expect(outcomes.count == 30)
        #expect(
            outcomes.map { URL(fileURLWithPath: $0.file).lastPathComponent }
                == (0..<30).map { String(format: "note-%02d.md", $0) }, "files out of order")
        #expect(outcomes.allSatisfy { $0.state == "done" }, "\(outcomes.map(\.state))")
        #expect(Set(outcomes.compactMap(\.jobID)).count == 30, "every document has its own job")

        let status = try cluster.status()
        let batches = status.counters["submit_batches"] ?? 0
        #expect(batches >= 1 && batches < 30, "30 files took \(batches) batch requests")
        #expect(status.counters["submit_batch_documents"] == 30)
        #expect(status.jobs.done == 30)
        let store = try SQLiteStore.openReadOnly(path: cluster.storePath)
        #expect(try store.count() == 30)

        // The text output: one line per document as the broker accepts it.
        let table = try runCommand(
            TestPaths.executable("docpipe"),
            [
                "submit", inbox.appendingPathComponent("note-00.md").path, "--pipeline", "ingest",
                "--broker", cluster.endpoint,
            ],
            timeout: 60)
        #expect(table.status == 0, "\(table.errors)")
        #expect(table.output.contains("accepted job-") && table.output.contains("note-00.md"))

        // A refused document makes the run exit 1 with a count, with --json too.
        let empty = cluster.folder.appendingPathComponent("empty.md")
        try Data().write(to: empty)
        let refused = try runCommand(
            TestPaths.executable("docpipe"),
            ["submit", empty.path, "--pipeline", "ingest", "--broker", cluster.endpoint, "--json"], timeout: 60)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("1 refused of 1 documents"), "\(refused.errors)")
        #expect(refused.output.contains("\"state\" : \"refused\""))
    }

    @Test(.timeLimit(.minutes(3)))
    func oneSubmitRunRidesOutABrokerKilledAndRestartedInTheMiddle() throws {
        let cluster = try Self.ingestCluster()
        defer { cluster.stop() }
        let inbox = cluster.folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for index in 0..<500 {
            try Self.note(index).write(
                to: inbox.appendingPathComponent(String(format: "note-%03d.md", index)),
                atomically: true, encoding: .utf8)
        }
        // Five documents to a request, so the run is still going when the broker dies.
        let submit = try cluster.start(
            TestPaths.executable("docpipe"),
            [
                "submit", inbox.path, "--pipeline", "ingest", "--broker", cluster.endpoint, "--batch-documents", "5",
                "--timeout-ms", "1000", "--retry-for", "60",
            ], label: "submit")
        try cluster.waitUntil("the first documents accepted", timeout: 30) {
            submit.log.components(separatedBy: "accepted job-").count > 10
        }
        let broker = try #require(cluster.children.first)
        broker.signal(SIGKILL)
        #expect(broker.waitForExit(timeout: 5))
        let acceptedBeforeTheKill = submit.log.components(separatedBy: "accepted job-").count - 1
        Thread.sleep(forTimeInterval: 1.5)
        try cluster.startBroker()

        #expect(submit.waitForExit(timeout: 120), "docpipe submit did not finish")
        #expect(submit.process.terminationStatus == 0, "\(submit.log.suffix(2000))")
        #expect(acceptedBeforeTheKill < 500, "the broker died while the submit was still running")
        #expect(submit.log.contains("trying again"), "the submit noticed the broker was gone and retried")
        let lines = submit.log.split(separator: "\n").filter { $0.hasPrefix("accepted job-") }
        #expect(Set(lines.map { $0.split(separator: " ").last! }).count == 500, "each file was reported accepted")
        try cluster.waitUntil("the store holds all 500 documents", timeout: 120) {
            try SQLiteStore.openReadOnly(path: cluster.storePath).count() == 500
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func oneBadDocumentIsRefusedAloneWith207() throws {
        let cluster = try Self.ingestCluster()
        defer { cluster.stop() }
        let client = try cluster.client()
        var documents = (0..<5).map { Document(name: "n\($0).md", content: Self.note(100 + $0)) }
        documents[2] = Document(name: "empty.md", content: "")
        let request = SubmitBatchRequest(pipeline: "ingest", documents: documents)

        let body = try client.mdp.request(
            service: ServiceName.submit, body: [try WireJSON.encode(request)],
            timeoutMs: 5000)
        let reply = try DocpipeClient.decodeReply(body, as: SubmitBatchReply.self)
        #expect(reply.status == .multiStatus)
        #expect(reply.jobs.count == 5)
        #expect(reply.jobs[2].error?.status == .badRequest && reply.jobs[2].error?.reason == "empty_document")
        for (index, entry) in reply.jobs.enumerated() where index != 2 {
            guard case .accepted(let jobID, let documentID) = entry else {
                Issue.record("document \(index) was refused: \(entry)")
                continue
            }
            #expect(documentID == ContentHash.documentID(for: documents[index]))
            #expect(try client.waitForJob(jobID, timeoutMs: 30_000).state == .done)
        }
        #expect(try cluster.status().jobs.accepted == 4)
    }

    @Test(.timeLimit(.minutes(2)))
    func aBatchRefusedAsAWholeIsAnErrorReply() throws {
        let cluster = try Self.ingestCluster()
        defer { cluster.stop() }
        let client = try cluster.client()
        func refusal(_ body: String) throws -> ErrorReply {
            let reply = try client.mdp.request(service: ServiceName.submit, body: [Data(body.utf8)], timeoutMs: 5000)
            return try WireJSON.decode(ErrorReply.self, from: try #require(reply.first))
        }
        let unknown = SubmitBatchRequest(pipeline: "nope", documents: [Document(content: "a"), Document(content: "b")])
        let notFound = try refusal(String(decoding: try WireJSON.encode(unknown), as: UTF8.self))
        #expect(notFound.status == .notFound && notFound.reason == "unknown_pipeline")
        #expect(notFound.message.hasPrefix("all 2 documents refused"))

        let both = try refusal(#"{"v":1,"pipeline":"ingest","document":{"v":1,"content":"a"},"documents":[]}"#)
        #expect(both.status == .badRequest && both.reason == "bad_request")
        let empty = try refusal(#"{"v":1,"pipeline":"ingest","documents":[]}"#)
        #expect(empty.status == .badRequest && empty.reason == "bad_request")
        #expect(try cluster.status().jobs.accepted == 0)

        // The client's batch call turns a whole-batch refusal into each document's entry.
        let entries = try client.submitBatch(unknown)
        #expect(entries.map { $0.error?.reason } == ["unknown_pipeline", "unknown_pipeline"])
    }

    @Test(.timeLimit(.minutes(3)))
    func onlyTheDocumentsRefusedBusyAreSentAgain() throws {
        // Room for 8 unfinished jobs: most of a batch of 30 is refused 503 busy at first.
        let cluster = try Self.ingestCluster(maxJobs: 8)
        defer { cluster.stop() }
        let inbox = try Self.inbox(30, in: cluster)

        let outcomes = try Self.submitFolder(inbox, to: cluster)
        #expect(outcomes.count == 30 && outcomes.allSatisfy { $0.state == "done" }, "\(outcomes.map(\.state))")

        let status = try cluster.status()
        #expect((status.counters["busy_replies"] ?? 0) > 0, "the broker was never busy: \(status.counters)")
        #expect((status.counters["submit_batches"] ?? 0) >= 2)
        // Only the refused documents went again: every accepted one is exactly one job.
        #expect(status.jobs.accepted == 30)
        #expect(try SQLiteStore.openReadOnly(path: cluster.storePath).count() == 30)
    }

    @Test func batchesAreBoundedByCountAndBytes() {
        let small = (0..<250).map { Document(content: "note \($0)") }
        #expect(SubmitBatches.ranges(small) == [0..<100, 100..<200, 200..<250])
        #expect(SubmitBatches.ranges([]) == [])
        let big = Document(content: String(repeating: "x", count: SubmitBatches.maxBytes + 1))
        let half = Document(content: String(repeating: "y", count: SubmitBatches.maxBytes / 2))
        // A document over the byte budget goes alone; two halves and a bit do not fit together.
        #expect(SubmitBatches.ranges([small[0], big, small[1]]) == [0..<1, 1..<2, 2..<3])
        #expect(SubmitBatches.ranges([half, half, small[0]]) == [0..<2, 2..<3])
        #expect(SubmitBatches.ranges([half, small[0], half]) == [0..<2, 2..<3])
    }
}
