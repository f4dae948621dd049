import DocpipeGateway
import Foundation
import Testing

/// The gateway's dashboard in a real browser: a broker, the four workers and the gateway as processes,
/// documents submitted, the page loaded in headless Chromium, and what it rendered compared with
/// `docpipe status --json` taken on the quiet queue.
///
/// `DOCPIPE_DASHBOARD_SCREENSHOT=docs/dashboard.png` also writes the README's screenshot from the same cluster.
@Suite(.serialized)
struct DashboardBrowserTests {
    static let excused = SkipPolicy.excused("DashboardBrowserTests", because: HeadlessChromium.unavailable)

    /// Two pipelines: the built-in one, and one whose only worker refuses everything, for a dead letter.
    static let config = #"""
        {"pipelines": {"default": {"stages": ["extractor", "classifier", "summarizer", "storage-writer"]},
                       "broken": {"stages": [{"service": "refuser", "max_attempts": 1}]}}}
        """#

    /// A cluster with every job finished: the seeds stored, one document dead-lettered.
    private func quietCluster() throws -> (TestCluster, jobs: [String], deadLetter: String) {
        let cluster = try TestCluster()
        try FileManager.default.createDirectory(atPath: cluster.dataFolder, withIntermediateDirectories: true)
        try Self.config.write(toFile: cluster.dataFolder + "/config.json", atomically: true, encoding: .utf8)
        try cluster.startBroker()
        for worker in ["extractor", "classifier", "summarizer", "storage-writer"] { try cluster.startWorker(worker) }
        try cluster.startPythonWorker(service: "refuser", ["--fail", "permanent"])
        try cluster.waitUntil("five workers", timeout: 30) { try cluster.status().workers == 5 }

        let submit = try cluster.docpipe(
            [
                "submit", TestPaths.repoRoot.appendingPathComponent("seeds").path,
                "--wait", "--json",
            ], timeout: 120)
        guard submit.status == 0 else { throw TestFailure("docpipe submit seeds: \(submit.errors)\n" + cluster.logs()) }
        let jobs = submit.output.matches(of: /"job_id"\s*:\s*"([^"]+)"/).map { String($0.1) }
        let refusedFile = cluster.folder.appendingPathComponent("refused.txt")
        try "Nobody will take this document.".write(to: refusedFile, atomically: true, encoding: .utf8)
        let deadLetter = try cluster.docpipe(
            ["submit", refusedFile.path, "--pipeline", "broken", "--json"], timeout: 30)
        let refused = try #require(
            deadLetter.output.firstMatch(of: /"job_id"\s*:\s*"([^"]+)"/).map { String($0.1) },
            "submit to broken: \(deadLetter.output) \(deadLetter.errors)")
        try cluster.waitUntil("every job finished and every queue empty", timeout: 60) {
            let status = try cluster.status()
            return status.jobs.done == jobs.count && status.jobs.failed == 1
                && (status.stages ?? []).allSatisfy { $0.queued == 0 && $0.inflight == 0 }
        }
        return (cluster, jobs, refused)
    }

    @Test(.timeLimit(.minutes(4)))
    func theRenderedStageRowsAndCountsMatchDocpipeStatus() throws {
        if Self.excused { return }
        if let reason = HeadlessChromium.unavailable { throw TestFailure(reason) }
        let (cluster, jobs, deadLetter) = try quietCluster()
        defer { cluster.stop() }
        let base = try cluster.startHTTPGateway().url

        let run = try cluster.docpipe(["status", "--json"])
        let status = try #require(
            try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any],
            "docpipe status --json: \(run.output) \(run.errors)")
        let page = DashboardDOM(
            html: try HeadlessChromium.dumpDOM(base, profile: cluster.folder.appendingPathComponent("chromium")))

        #expect(page.refreshes >= 2, "the page polled at least twice")
        let stages = try #require(status["stages"] as? [[String: Any]])
        #expect(page.stageOrder == stages.compactMap { $0["service"] as? String }, "one row per stage, in status order")
        for stage in stages {
            let name = try #require(stage["service"] as? String)
            for field in ["queued", "inflight", "done", "failed", "retried", "dead_lettered", "workers"] {
                #expect(
                    page.stages[name]?[field] == (stage[field] as? Int).map(String.init),
                    "stage \(name) \(field): page \(page.stages[name]?[field] ?? "nil"), status \(stage[field] ?? "nil")"
                )
            }
        }
        let counts = try #require(status["jobs"] as? [String: Int])
        for field in ["accepted", "done", "failed", "running"] {
            #expect(page.totals[field] == counts[field].map(String.init), "jobs \(field)")
        }
        let totals = try #require(status["totals"] as? [String: Any])
        #expect(page.totals["queued"] == (totals["queued"] as? Int).map(String.init))
        #expect(page.totals["dead_letters"] == (totals["dead_letters"] as? Int).map(String.init))
        #expect(page.totals["workers"] == (status["workers"] as? Int).map(String.init))
        #expect(page.workers.count == 5)
        // Each worker's requests held out of its credit; the storage writer holds up to five (one writing,
        // four waiting), the Python plugin one.
        #expect(page.workerInflight.count == 5)
        #expect(
            page.workerInflight.values.allSatisfy { $0.wholeMatch(of: /\d+ \/ \d+/) != nil }, "\(page.workerInflight)")
        #expect(page.workerInflight.values.contains { $0.hasSuffix(" / 5") }, "\(page.workerInflight)")
        #expect(Set(page.jobRows) == Set(jobs + [deadLetter]), "every job is in the recent list")
        #expect(page.deadLetterRows == [deadLetter])
        #expect(!page.tokenPanelShown)

        if let path = ProcessInfo.processInfo.environment["DOCPIPE_DASHBOARD_SCREENSHOT"] {
            try screenshot(
                cluster, base: base, job: jobs[0], to: URL(fileURLWithPath: path, relativeTo: TestPaths.repoRoot))
        }
    }

    /// The README's picture: the same cluster, busy with a stream of copies of the seeds, one job open.
    private func screenshot(_ cluster: TestCluster, base: String, job: String, to file: URL) throws {
        let stream = cluster.folder.appendingPathComponent("stream")
        try FileManager.default.createDirectory(at: stream, withIntermediateDirectories: true)
        let seeds = try FileManager.default.contentsOfDirectory(
            at: TestPaths.repoRoot.appendingPathComponent("seeds"), includingPropertiesForKeys: nil)
        for copy in 1...40 {
            for seed in seeds {
                let text = try String(contentsOf: seed, encoding: .utf8)
                let name = "\(copy)-" + seed.deletingPathExtension().lastPathComponent + ".txt"
                try (text + "\n\nCopy \(copy).").write(
                    to: stream.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
        try cluster.start(
            TestPaths.executable("docpipe"), ["submit", stream.path, "--broker", cluster.endpoint],
            label: "stream")
        Thread.sleep(forTimeInterval: 1)
        // 20 s of the page's time: a dozen polls, enough for the sparklines to draw.
        try HeadlessChromium.screenshot(
            base + "#job/" + job, to: file,
            profile: cluster.folder.appendingPathComponent("chromium"), virtualMs: 20_000)
        print("DashboardBrowserTests wrote \(file.path)")
    }

    @Test(.timeLimit(.minutes(4)))
    func theJobDetailAndTheSearchBoxShowTheStore() throws {
        if Self.excused { return }
        if let reason = HeadlessChromium.unavailable { throw TestFailure(reason) }
        let (cluster, _, deadLetter) = try quietCluster()
        defer { cluster.stop() }
        let base = try cluster.startHTTPGateway().url
        let profile = cluster.folder.appendingPathComponent("chromium")

        // nato-russia-strategy.txt is the only seed about NATO.
        let search = DashboardDOM(html: try HeadlessChromium.dumpDOM(base + "?q=nato", profile: profile))
        #expect(search.searchHits.count == 1)
        let documentID = try #require(search.searchHits.first)

        let document = DashboardDOM(html: try HeadlessChromium.dumpDOM(base + "#doc/" + documentID, profile: profile))
        #expect(document.detailFields["title"] == "NATO plans to develop new strategy for Russia")
        #expect(document.detailFields["source"] == "Politico")
        let jobID = try #require(document.detailFields["job"])

        let job = DashboardDOM(html: try HeadlessChromium.dumpDOM(base + "#job/" + jobID, profile: profile))
        #expect(job.detailFields["state"] == "done")
        #expect(job.detailFields["document"] == documentID)
        #expect(job.historyStages == ["extractor", "classifier", "summarizer", "storage-writer"])

        let failed = DashboardDOM(html: try HeadlessChromium.dumpDOM(base + "#job/" + deadLetter, profile: profile))
        #expect(failed.detailFields["state"] == "failed")
        #expect(failed.historyStages == ["refuser"])
        #expect(failed.detailError?.isEmpty == false, "the job's error is shown: \(failed.detailError ?? "nothing")")
    }

    @Test(.timeLimit(.minutes(3)))
    func withTokensThePageAsksForOneInsteadOfShowingData() throws {
        if Self.excused { return }
        if let reason = HeadlessChromium.unavailable { throw TestFailure(reason) }
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.startBroker()
        let tokens = cluster.folder.appendingPathComponent("tokens")
        try "ops 0123456789abcdef0123456789abcdef operator,client\n".write(
            to: tokens, atomically: true, encoding: .utf8)
        let base = try cluster.startHTTPGateway(["--tokens", tokens.path]).url

        let page = DashboardDOM(
            html: try HeadlessChromium.dumpDOM(base, profile: cluster.folder.appendingPathComponent("chromium")))
        #expect(page.tokenPanelShown)
        #expect(page.stageOrder.isEmpty)
        #expect(page.refreshes == 0, "polling waits for a token")
    }
}

/// The page itself, without a browser: self-contained, and its CSP admits exactly its own script and style.
struct DashboardPageTests {
    @Test func thePageLoadsNothingFromElsewhere() {
        // The SVG namespace is a name, not an address the browser fetches.
        let html = DashboardPage.html.replacingOccurrences(of: "\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"))
        #expect(!html.contains(" src="), "no external script or image")
        #expect(!html.contains("@import") && !html.contains("url("))
        #expect(!DashboardPage.script.contains("innerHTML"), "API strings reach the DOM as text only")
    }

    @Test func theContentSecurityPolicyHashesTheInlineScriptAndStyle() {
        // echo -n 'hello' | openssl dgst -sha256 -binary | base64
        #expect(DashboardPage.hashSource("hello") == "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")
        let policy = DashboardPage.contentSecurityPolicy
        #expect(policy.contains("script-src '\(DashboardPage.hashSource(DashboardPage.script))'"))
        #expect(policy.contains("style-src '\(DashboardPage.hashSource(DashboardPage.style))'"))
        #expect(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"))
        #expect(DashboardPage.html.contains("<script>\(DashboardPage.script)</script>"))
        #expect(DashboardPage.html.contains("<style>\(DashboardPage.style)</style>"))
    }

    @Test func theDOMReaderFindsRowsCellsAndFields() {
        let html = """
            <html><body data-refreshes="3"><section id="token-panel" hidden=""></section>
            <div data-total="queued" data-value="7">7</div>
            <table><tbody><tr data-stage="extractor"><td data-field="service">extractor</td>
            <td class="num" data-field="done" data-value="1234">1,234</td></tr>
            <tr data-stage="a&amp;b"><td class="num" data-field="queued" data-value="0">0</td></tr></tbody></table>
            <dl><dt>job</dt><dd data-field="job"><a href="#job/j1">j1</a></dd><dd data-field="state"><span>done</span></dd></dl>
            </body></html>
            """
        let page = DashboardDOM(html: html)
        #expect(page.refreshes == 3)
        #expect(!page.tokenPanelShown)
        #expect(page.totals == ["queued": "7"])
        #expect(page.stageOrder == ["extractor", "a&b"])
        #expect(page.stages["extractor"] == ["service": "extractor", "done": "1234"])
        #expect(page.stages["a&b"] == ["queued": "0"])
        #expect(page.detailFields == ["job": "j1", "state": "done"])
    }
}
