import DocpipeGateway
import Foundation
import OperatorViews
import Testing

/// The dashboard's script in Chromium without a gateway: the page is loaded from a file with a stand-in
/// `fetch` (canned answers, every request recorded) or a probe of its functions, so what it does with
/// tokens, timestamps and hostile strings is checked exactly.
@Suite(.serialized)
struct DashboardScriptTests {
    static let excused = SkipPolicy.excused("DashboardBrowserTests", because: HeadlessChromium.unavailable)

    /// The page with `before` run ahead of its script and `after` behind it, rendered by Chromium.
    private func render(before: String = "", after: String, hash: String = "", virtualMs: Int = 3000) throws -> String {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("page.html")
        let html = DashboardPage.html.replacingOccurrences(of: "<script>", with: "<script>\(before)</script>\n<script>")
            .replacingOccurrences(of: "</body>", with: "<script>\(after)</script></body>")
        try html.write(to: page, atomically: true, encoding: .utf8)
        return try HeadlessChromium.dumpDOM(
            page.absoluteString + hash, profile: folder.appendingPathComponent("chromium"),
            virtualMs: virtualMs)
    }

    /// The JSON a probe left in `data-NAME` on the body.
    private func probe<T: Decodable>(_ name: String, in dom: String, as type: T.Type) throws -> T {
        let pattern = try Regex("data-\(name)=\"([^\"]*)\"")
        let raw = try #require(
            dom.firstMatch(of: pattern)?.output[1].substring.map(String.init),
            "no data-\(name) in \(dom.prefix(500))")
        let json = raw.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    /// The page's number formats against `OperatorFormat`: the page and `docpipe top` agree.
    @Test(.timeLimit(.minutes(2)))
    func thePageWritesNumbersTheWayTopDoes() throws {
        if Self.excused { return }
        if let reason = HeadlessChromium.unavailable { throw TestFailure(reason) }
        let ages: [Double?] = [nil, 0.04, 9.99, 12.5, 185, 7_980, 360_000]
        let rates = [0, 0.44, 12.45, 99.96, 123.4, 1_234.4]
        let latencies: [Double?] = [nil, 0.424, 8.14, 84.5, 1_234, 75_000]
        let counts = [0, 999, 1_234_567]
        // Its API calls fail from a file (and say so); the formatting functions are there all the same.
        let dom = try render(
            after: """
                document.body.dataset.formats = JSON.stringify([\(jsArray(ages)).map(fmt.age), \(jsArray(rates)).map(fmt.rate),
                  \(jsArray(latencies)).map(fmt.millis), \(jsArray(counts.map(Double.init))).map(fmt.count)]);
                """, virtualMs: 500)
        #expect(
            try probe("formats", in: dom, as: [[String]].self)
                == [
                    ages.map(OperatorFormat.age), rates.map(OperatorFormat.rate), latencies.map(OperatorFormat.millis),
                    counts.map(OperatorFormat.count),
                ])
    }

    private func jsArray(_ values: [Double?]) -> String {
        "[" + values.map { $0.map { String($0) } ?? "null" }.joined(separator: ", ") + "]"
    }

    /// A stand-in API: one job with a title made to break out of the markup, and timestamps both ways.
    static let standInAPI = #"""
        localStorage.setItem("docpipe.gateway.token", "tok-123");
        const hostile = '<img src=x onerror="document.body.dataset.pwned=1">';
        const canned = {
          "/v1/status": { v: 1, status: 200, version: "0.2.0", endpoint: "tcp://x:5555", uptime_s: 12, workers: 1,
            services: [], pipelines: {}, counters: {}, jobs: { accepted: 1, queued: 0, running: 0, done: 1, failed: 0 },
            totals: { in_per_s: 0, out_per_s: 0, queued: 0, dead_letters: 0, workers_known: 1 },
            stages: [{ service: hostile, queued: 0, inflight: 0, in_per_s: 0, out_per_s: 0, done: 1, failed: 0,
                       retried: 0, dead_lettered: 0, workers: 1 }] },
          "/v1/workers": { workers: [] },
          "/v1/jobs": { jobs: [{ job_id: "job-1", document_id: "doc-1", name: hostile, pipeline: "default",
                                 state: "done", attempts: 1, created_at: 1796283840, updated_at: "2026-12-03T07:45:00Z" }] },
          "/v1/dead-letters": { total: 0, jobs: [] },
          "/v1/jobs/job-1": { job_id: "job-1", document_id: "doc-1", pipeline: "default", state: "done", attempts: 1,
            stages_done: [hostile], created_at: 1796283840, updated_at: "2026-12-03T07:45:00Z",
            history: [{ stage: hostile, attempt: 1, outcome: "ok", at: "2026-12-03T07:45:00Z", duration_ms: 5 }] },
        };
        window.seen = [];
        window.fetch = async (path, options) => {
          window.seen.push([path, (options && options.headers && options.headers.Authorization) || ""]);
          const body = canned[path.split("?")[0]];
          return new Response(JSON.stringify(body || { message: "no such route" }),
                              { status: body ? 200 : 404, headers: { "Content-Type": "application/json" } });
        };
        """#

    @Test(.timeLimit(.minutes(2)))
    func theSavedTokenGoesWithEveryCallAndHostileStringsStayText() throws {
        if Self.excused { return }
        if let reason = HeadlessChromium.unavailable { throw TestFailure(reason) }
        let dom = try render(
            before: Self.standInAPI,
            after: """
                setTimeout(() => { document.body.dataset.seen = JSON.stringify(window.seen);
                  document.body.dataset.images = document.querySelectorAll("img").length; }, 2000);
                """,
            hash: "#job/job-1")
        let seen = try probe("seen", in: dom, as: [[String]].self)
        #expect(
            Set(seen.map { $0[0].split(separator: "?")[0] })
                == ["/v1/status", "/v1/workers", "/v1/jobs", "/v1/dead-letters", "/v1/jobs/job-1"])
        #expect(seen.allSatisfy { $0[1] == "Bearer tok-123" }, "every call carries the saved token: \(seen)")

        #expect(!dom.contains("data-pwned"), "the title's markup did not run")
        #expect(try probe("images", in: dom, as: Int.self) == 0, "no element came from an API string")
        #expect(dom.contains("&lt;img src=x onerror="), "the hostile title shows as text")
        let page = DashboardDOM(html: dom)
        #expect(page.stageOrder.count == 1 && page.stages.values.first?["done"] == "1")
        #expect(page.jobRows == ["job-1"])
        // created_at came as Unix seconds, updated_at as ISO-8601: both read as the same kind of time.
        #expect(page.detailFields["created"] == "2026-12-03 07:44:00Z")
        #expect(page.detailFields["updated"]?.hasPrefix("2026-12-03 07:45:00Z") == true)
        #expect(page.historyStages.count == 1)
    }
}

extension DashboardScriptTests {
    /// The gateway answering 503 (broker unreachable): the page says so where the data would be, and keeps polling.
    @Test(.timeLimit(.minutes(2)))
    func aBrokerThatDoesNotAnswerIsShownAndPollingGoesOn() throws {
        if Self.excused { return }
        if let reason = HeadlessChromium.unavailable { throw TestFailure(reason) }
        let unreachable = #"""
            window.fetch = async () => new Response(JSON.stringify({ status: 503, reason: "broker_unreachable",
              message: "the broker at tcp://b:5555 did not answer" }), { status: 503 });
            """#
        let dom = try render(
            before: unreachable,
            after: """
                setTimeout(() => { document.body.dataset.live = JSON.stringify([$("live").className, $("live").textContent,
                  $("overview-note").textContent]); }, 4000);
                """, virtualMs: 5000)
        let live = try probe("live", in: dom, as: [String].self)
        #expect(
            live == ["down", "the broker at tcp://b:5555 did not answer", "the broker at tcp://b:5555 did not answer"])
        #expect(DashboardDOM(html: dom).refreshes >= 2, "it keeps asking")
    }
}
