import DocProtocol
import DocStore
import Foundation
import OperatorViews
import Testing

/// One JSON shape everywhere (#16 item 4): every `docpipe … --json` run against a real broker, workers and
/// store, each output walked by `JSONShape`; and the list of commands checked against the CLI's own, so a
/// new `--json` command without a case here fails.
@Suite(.serialized)
struct JSONShapeTests {
    static let docpipe = TestPaths.executable("docpipe")

    // MARK: the rules and the encoder, without processes

    @Test func theCheckerNamesEachOldShape() throws {
        // What `docpipe show --json` printed before: camelCase, a stage's output as JSON text, seconds since 2001.
        let old: JSONValue = [
            "id": "doc-1", "contentHash": "sha256:00", "storedAt": 818005121.0164337,
            "stageResults": ["classifier": #"{"topic":"health","confidence":0.88}"#],
        ]
        let found = JSONShape.violations(in: old)
        #expect(found.contains("$.contentHash: key is not snake_case"))
        #expect(found.contains("$.stageResults.classifier: a JSON object or array inside a string"))
        // `dlq list --json` before: Unix seconds under `failed_at`.
        #expect(
            JSONShape.violations(in: ["failed_at": 1796312321.08])
                == ["$.failed_at: timestamp is a number, not an ISO-8601 string"])
        #expect(
            JSONShape.violations(in: ["note": "2026-12-02 07:45:00+01:00"])
                == [#"$.note: time "2026-12-02 07:45:00+01:00" is not ISO-8601 UTC with Z"#])
        // Names chosen by people are not field names; dates a text mentions are not timestamps.
        let fine: JSONValue = [
            "results": ["storage-writer": ["outcome": "inserted"]], "pipelines": ["Nightly-Run": ["extractor"]],
            "dates": ["1997", "2025-06"], "created_at": "2026-12-02T07:45:00Z", "uptime_s": 12.5,
        ]
        #expect(JSONShape.violations(in: fine).isEmpty)
        #expect(
            JSONShape.violations(in: ["results": ["x": ["camelCase": 1]]])
                == ["$.results.x.camelCase: key is not snake_case"])
    }

    @Test func wireTimestampsPrintAsISO8601UTCAndDurationsStayNumbers() throws {
        #expect(CLIJSON.timestamp(Date(timeIntervalSince1970: 1_796_197_500.75)) == "2026-12-02T07:45:00Z")
        let wire: JSONValue = [
            "created_at": 1_796_197_500, "uptime_s": 3.5, "failover": ["role_since": 0],
            "history": [["at": 1_796_197_500.9, "duration_ms": 12]],
        ]
        let cli = CLIJSON.isoTimestamps(wire)
        #expect(
            cli == [
                "created_at": "2026-12-02T07:45:00Z", "uptime_s": 3.5,
                "failover": ["role_since": "1970-01-01T00:00:00Z"],
                "history": [["at": "2026-12-02T07:45:00Z", "duration_ms": 12]],
            ])
        #expect(JSONShape.unixTimestamps(cli)["created_at"] == 1_796_197_500)
        #expect(CLIJSON.parseTimestamp("2026-12-02T07:45:00Z") == Date(timeIntervalSince1970: 1_796_197_500))
        #expect(CLIJSON.parseTimestamp("2026-12-02T07:45:00+01:00") == nil)
    }

    @Test func aStoredDocumentPrintsItsStageOutputsAsObjects() throws {
        let stored = StoredDocument(
            id: "doc-1", contentHash: "sha256:00", text: "t",
            stageResults: ["classifier": #"{"topic":"health"}"#, "odd": "not json"],
            jobID: "job-1", storedAt: Date(timeIntervalSince1970: 1_796_197_500))
        let printed = try JSONDecoder().decode(JSONValue.self, from: CLIJSON.encode(DocumentJSON(stored), pretty: true))
        #expect(printed["document_id"] == "doc-1" && printed["job_id"] == "job-1")
        #expect(printed["stored_at"] == "2026-12-02T07:45:00Z")
        #expect(printed["results"]?["classifier"]?["topic"] == "health")
        #expect(printed["results"]?["odd"] == "not json")
        #expect(JSONShape.violations(in: printed).isEmpty)
        let back = try CLIJSON.decoder().decode(
            DocumentJSON.self,
            from: CLIJSON.encode(DocumentJSON(stored), pretty: false))
        #expect(back == DocumentJSON(stored))
    }

    // MARK: every command, for real

    /// Every command path with a `--json` flag, from the CLI's own description of itself.
    static func jsonCommands() throws -> Set<String> {
        let dump = try runCommand(docpipe, ["--experimental-dump-help"], timeout: 30)
        guard dump.status == 0 else { throw TestFailure("--experimental-dump-help failed: \(dump.errors)") }
        let tool = try JSONDecoder().decode(JSONValue.self, from: Data(dump.output.utf8))
        var found: Set<String> = []
        func walk(_ command: JSONValue, _ path: [String]) {
            let names = (command["arguments"]?.arrayValue ?? []).flatMap { $0["names"]?.arrayValue ?? [] }
            if names.contains(where: { $0["name"] == "json" }) { found.insert(path.joined(separator: " ")) }
            for sub in command["subcommands"]?.arrayValue ?? [] {
                walk(sub, path + [sub["commandName"]?.stringValue ?? "?"])
            }
        }
        walk(try #require(tool["command"]), [])
        return found
    }

    @Test(.timeLimit(.minutes(5)))
    func everyJSONCommandPrintsOneShape() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(
            """
            {"pipelines": {"default": {"stages": ["extractor", "classifier", "summarizer", "storage-writer"]},
                           "broken": {"stages": [{"service": "breaker", "max_attempts": 1}]}}}
            """)
        try cluster.startBroker()
        for worker in ["extractor", "classifier", "summarizer", "storage-writer"] { try cluster.startWorker(worker) }
        try cluster.startPythonWorker(service: "breaker", ["--fail", "permanent"])
        try cluster.waitUntil("five workers", timeout: 30) { try cluster.status().workers == 5 }

        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let seeds = TestPaths.repoRoot.appendingPathComponent("seeds").path
        let broken = scratch.appendingPathComponent("broken.txt")
        try Data("This one meets a broken worker.".utf8).write(to: broken)
        let broker = ["--broker", cluster.endpoint]
        let data = ["--data", cluster.dataFolder]
        var checked: Set<String> = []
        var problems: [String] = []

        /// Runs `docpipe ARGS --json`, expects `exit`, checks the shape; returns the output.
        @discardableResult
        func check(_ command: String, _ arguments: [String], exit: Int32 = 0, timeout: Double = 60) throws
            -> [JSONValue]
        {
            let run = try runCommand(Self.docpipe, arguments + ["--json"], timeout: timeout)
            checked.insert(command)
            guard run.status == exit else {
                let line = arguments.joined(separator: " ")
                problems.append("`docpipe \(line) --json` exited \(run.status), not \(exit): " + run.errors.prefix(500))
                return []
            }
            let documents: [JSONValue]
            do {
                documents = try JSONShape.documents(run.output)
            } catch {
                problems.append("`docpipe \(command) --json`: \(error)")
                return []
            }
            for document in documents {
                problems += JSONShape.violations(in: document).map { "`docpipe \(command) --json` \($0)" }
            }
            return documents
        }

        // Documents through the whole pipeline, and one refused: exit 1 with --json too.
        let submitted = try check("submit", ["submit", seeds, "--wait"] + broker, timeout: 120)
        let outcomes = submitted.first?.arrayValue ?? []
        #expect(outcomes.count == 5 && outcomes.allSatisfy { $0["state"] == "done" }, "\(outcomes)")
        let refused = try check("submit", ["submit", broken.path, "--pipeline", "nope"] + broker, exit: 1)
        #expect(refused.first?.arrayValue?.first?["error"]?["reason"] == "unknown_pipeline", "\(refused)")
        let job = try #require(outcomes.first?["job_id"]?.stringValue)
        let document = try #require(outcomes.first?["document_id"]?.stringValue)
        let accepted = try check("submit", ["submit", broken.path, "--pipeline", "broken"] + broker)
        let deadJob = try #require(accepted.first?.arrayValue?.first?["job_id"]?.stringValue)
        try cluster.waitUntil("a dead letter", timeout: 30) { try cluster.client().deadLetterList().total == 1 }

        // The broker's views.
        try check("status", ["status"] + broker)
        try check("status", ["status", "--check"] + broker)
        let top = try check("top", ["top", "--count", "2", "--interval", "0.2"] + broker)
        #expect(top.count == 2)
        try check("workers", ["workers"] + broker)
        let jobs = try check("jobs", ["jobs"] + broker)
        #expect(jobs.first?["jobs"]?.arrayValue?.contains { $0["created_at"]?.stringValue != nil } == true)
        let shown = try check("job", ["job", job] + broker)
        #expect(shown.first?["results"]?["classifier"]?["topic"]?.stringValue != nil)
        try check("metrics", ["metrics"] + broker)
        try check("reload", ["reload"] + broker)
        try check("call", ["call", "docpipe.status"] + broker)
        let letters = try check("dlq list", ["dlq", "list"] + broker)
        #expect(letters.first?["jobs"]?.arrayValue?.first?["failed_at"]?.stringValue != nil, "\(letters)")
        try check("dlq show", ["dlq", "show", deadJob] + broker)
        try check("dlq retry", ["dlq", "retry", deadJob] + broker)
        try cluster.waitUntil("dead-lettered again", timeout: 30) { try cluster.client().deadLetterList().total == 1 }
        try check("dlq drop", ["dlq", "drop", "--all"] + broker)
        try check(
            "plugins",
            ["plugins", "--plugins", TestPaths.repoRoot.appendingPathComponent("plugins").path]
                + broker + data)

        // The store: the same names as the broker's views (document_id, job_id), stage outputs as objects.
        let hits = try check("search", ["search", "founding", "act"] + data)
        #expect(hits.first?.arrayValue?.first?["document_id"] != nil, "\(hits)")
        let stored = try check("show", ["show", document] + data)
        #expect(stored.first?["document_id"]?.stringValue == document)
        #expect(stored.first?["job_id"]?.stringValue == job)
        #expect(stored.first?["results"]?["extractor"]?.objectValue != nil)
        let exportFile = scratch.appendingPathComponent("store.ndjson").path
        try check("export", ["export", "--output", exportFile] + data)
        try check("import", ["import", exportFile, "--data", scratch.appendingPathComponent("copy").path])
        try check(
            "run", ["run", TestPaths.seed.path, "--data", scratch.appendingPathComponent("run").path],
            timeout: 120)

        // The text tools.
        let training = TestPaths.repoRoot.appendingPathComponent("plugins/classifier/training/topics.jsonl").path
        let model = scratch.appendingPathComponent("model.json").path
        try check("train", ["train", "--data", training, "--out", model, "--algorithm", "naive-bayes"])
        try check("evaluate", ["evaluate", "--model", model, "--data", training])
        try check("language", ["language", "--file", TestPaths.seed.path])
        try check("language", ["language", "--status"])
        try check("summarize", ["summarize", TestPaths.seed.path])

        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        let missing = try Self.jsonCommands().subtracting(checked)
        #expect(missing.isEmpty, "--json commands this test does not run yet: \(missing.sorted())")
    }

    /// `submit` says with its exit code what happened: 0 only when every document was accepted.
    @Test(.timeLimit(.minutes(2)))
    func submitExitsOneWhenAnyDocumentIsRefusedWithOrWithoutJSON() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.startBroker()
        try cluster.waitUntil("broker up", timeout: 20) { try cluster.status().version.isEmpty == false }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.txt").path
        try Data("A document for the exit code.".utf8).write(to: URL(fileURLWithPath: file))
        for json in [[], ["--json"]] {
            let accepted = try cluster.docpipe(["submit", file] + json)
            #expect(accepted.status == 0, "\(json) \(accepted.errors)")
            let refused = try cluster.docpipe(["submit", file, "--pipeline", "nope"] + json)
            #expect(refused.status == 1, "\(json)")
            #expect(refused.errors.contains("1 refused of 1 documents"), "\(refused.errors)")
        }
        let help = try runCommand(Self.docpipe, ["submit", "--help"], timeout: 30)
        let words = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("Exits 0 only when every document was accepted"), "\(help.output)")
    }
}
