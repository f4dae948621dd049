import DocLogging
import DocProtocol
import Foundation
import OperatorViews
import Testing

/// The operator views' pure logic — health verdicts, Prometheus text, the `top` frame, JSON log lines —
/// checked on fixed snapshots. The same views against real brokers are in OperatorClusterTests.
struct OperatorViewTests {
    static func stage(
        _ name: String, queued: Int = 0, oldest: Double? = nil, workers: Int = 1, done: Int = 0,
        p95: Double? = nil
    ) -> StageStats {
        StageStats(
            service: name, queued: queued, inflight: 0, oldestQueuedS: oldest, inPerS: 1.5, outPerS: 1.25,
            done: done, failed: 1, retried: 2, deadLettered: 0, workers: workers,
            latencyMs: p95.map { LatencySummary(count: done, p50: $0 / 2, p95: $0, p99: $0 * 1.5, max: $0 * 2) })
    }

    static func snapshot(stages: [StageStats], deadLetters: Int = 0) -> BrokerStatus {
        let queued = stages.reduce(0) { $0 + $1.queued }
        return BrokerStatus(
            version: "0.2.0", endpoint: "tcp://127.0.0.1:5555", uptimeSeconds: 7_384,
            workers: stages.reduce(0) { $0 + $1.workers },
            services: [], pipelines: ["default": stages.map(\.service)],
            jobs: .init(accepted: 1_240, queued: queued, running: 4, done: 1_199, failed: 0),
            counters: ["bad_frame": 2, "label \"with\" quotes": 1],
            totals: BrokerTotals(
                inPerS: 12.4, outPerS: 12.1, queued: queued, deadLetters: deadLetters,
                oldestQueuedS: stages.compactMap(\.oldestQueuedS).max(), workersKnown: 9,
                endToEndMs: LatencySummary(count: 1_199, p50: 84, p95: 210, p99: 480, max: 1_200)),
            stages: stages)
    }

    @Test func aHealthyBrokerPassesEveryCheckWithOneOKLine() {
        let status = Self.snapshot(stages: [Self.stage("extractor", workers: 2), Self.stage("summarizer")])
        let limits = HealthThresholds(maxOldestS: 300, minWorkers: ["extractor": 2], maxDeadLetters: 0, maxQueued: 10)
        let report = HealthCheck.evaluate(status, limits)
        #expect(report.isHealthy)
        #expect(report.exitCode == 0)
        #expect(report.line.hasPrefix("OK: 3 worker(s), 0 queued"))
        #expect(!report.line.contains("\n"))
    }

    @Test func everyCrossedThresholdIsNamedOnOneLineAndTheExitCodeIsCritical() {
        let status = Self.snapshot(
            stages: [
                Self.stage("extractor", workers: 1), Self.stage("summarizer", queued: 40, oldest: 412, p95: 2_500),
            ],
            deadLetters: 3)
        let limits = HealthThresholds(
            maxOldestS: 300, minWorkers: ["extractor": 2, "classifier": 1], maxDeadLetters: 0,
            maxQueued: 10, maxP95Ms: ["summarizer": 2_000, "extractor": 2_000])
        let report = HealthCheck.evaluate(status, limits)
        #expect(report.exitCode == 2)
        #expect(
            report.problems == [
                "oldest queued document has waited 6m52s in summarizer (limit 5m00s)",
                "classifier has 0 worker(s), wants at least 1",
                "extractor has 1 worker(s), wants at least 2",
                "3 dead letter(s) (limit 0); see `docpipe dlq list`",
                "40 documents queued (limit 10)",
                "summarizer p95 is 2.5s (limit 2.0s)",
            ])
        #expect(report.line.hasPrefix("CRITICAL: oldest queued"))
        #expect(!report.line.contains("\n"))
    }

    @Test func aStageWithoutAWorkerWhileDocumentsWaitIsCriticalWithoutAnyThreshold() {
        let waiting = Self.snapshot(stages: [Self.stage("extractor"), Self.stage("summarizer", queued: 12, workers: 0)])
        let report = HealthCheck.evaluate(waiting, HealthThresholds())
        #expect(report.exitCode == 2)
        #expect(
            report.problems == [
                "summarizer has no worker and 12 document(s) wait for it (pipeline 'default'); start one, e.g. "
                    + "`docpipe up --only summarizer=1`"
            ])
        // No worker but nothing waiting (a stage of a pipeline nobody uses right now): not a problem yet.
        let idle = Self.snapshot(stages: [Self.stage("extractor"), Self.stage("summarizer", workers: 0)])
        #expect(HealthCheck.evaluate(idle, HealthThresholds()).isHealthy)
    }

    @Test func warningLimitsGiveAWarningLineAndExitOneUnlessSomethingIsCritical() {
        let status = Self.snapshot(stages: [Self.stage("extractor", queued: 40, oldest: 90)])
        let warn = HealthThresholds(warnQueued: 10, warnOldestS: 60)
        let report = HealthCheck.evaluate(status, warn)
        #expect(report.exitCode == 1 && report.state == "warning")
        #expect(
            report.line == "WARNING: 40 documents queued (warning at 10); oldest queued document has waited 1m30s "
                + "(warning at 1m00s)")
        var both = warn
        both.maxQueued = 20
        let critical = HealthCheck.evaluate(status, both)
        #expect(
            critical.exitCode == 2 && critical.line.hasPrefix("CRITICAL: 40 documents queued (limit 20); 40 documents"))
        #expect(HealthCheck.evaluate(status, HealthThresholds(warnQueued: 100)).exitCode == 0)
    }

    @Test func thresholdFlagsParseDurationsAndServicePairs() throws {
        #expect(HealthCheck.parseDuration("300") == 300)
        #expect(HealthCheck.parseDuration("300s") == 300)
        #expect(HealthCheck.parseDuration("5m") == 300)
        #expect(HealthCheck.parseDuration("1500ms") == 1.5)
        #expect(HealthCheck.parseDuration("1h") == 3600)
        #expect(HealthCheck.parseDuration("soon") == nil)
        #expect(HealthCheck.parseDuration("-1s") == nil)
        #expect(
            try HealthCheck.parseWorkerMinimums(["extractor=2,summarizer=1", "classifier=3"])
                == ["extractor": 2, "summarizer": 1, "classifier": 3])
        #expect(
            try HealthCheck.parseLatencyLimits(["summarizer=2000", "extractor=1.5s"])
                == ["summarizer": 2000, "extractor": 1500])
        #expect(throws: HealthCheckError.self) { try HealthCheck.parseWorkerMinimums(["extractor"]) }
        #expect(throws: HealthCheckError.self) { try HealthCheck.parseWorkerMinimums(["extractor=two"]) }
    }

    @Test func prometheusTextCarriesEveryFigureInBaseUnits() {
        let status = Self.snapshot(stages: [
            Self.stage("extractor", queued: 3, oldest: 1.5, done: 42, p95: 20),
            Self.stage("storage-writer", done: 40),
        ])
        let workers = WorkerList(workers: [
            .init(
                id: "a1", service: "extractor", host: "h", pid: 1, version: "0.2.0", protocolVersion: "MDP/0.1",
                state: .busy, lastHeartbeatS: 0.2, inflight: 1, done: 42, failed: 0, latencyMs: nil, uptimeS: 60)
        ])
        let text = PrometheusText.render(status: status, workers: workers)
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            "docpipe_up 1", "# TYPE docpipe_stage_done_total counter",
            #"docpipe_stage_done_total{stage="extractor"} 42"#,
            #"docpipe_stage_done_total{stage="storage-writer"} 40"#, #"docpipe_stage_queued{stage="extractor"} 3"#,
            #"docpipe_stage_oldest_queued_seconds{stage="extractor"} 1.5"#,
            "# TYPE docpipe_stage_latency_seconds summary",
            #"docpipe_stage_latency_seconds{quantile="0.95",stage="extractor"} 0.02"#,
            #"docpipe_stage_latency_seconds_count{stage="extractor"} 42"#,
            #"docpipe_end_to_end_latency_seconds{quantile="0.99"} 0.48"#, "docpipe_dead_letters 0",
            #"docpipe_workers{service="extractor",state="busy"} 1"#,
            #"docpipe_workers{service="extractor",state="idle"} 0"#,
            #"docpipe_events_total{event="label \"with\" quotes"} 1"#, "docpipe_jobs_accepted_total 1240",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        // Every sample line is `name{labels} value`, and every family is declared before its samples.
        var declared: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                declared.insert(String(line.split(separator: " ")[2]))
                continue
            }
            if line.hasPrefix("#") { continue }
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            #expect(
                declared.contains(name) || declared.contains(name.replacingOccurrences(of: "_count", with: "")),
                "\(name) sampled before its # TYPE")
            #expect(Double(line.split(separator: " ").last ?? "") != nil, "not a number: \(line)")
        }
        #expect(PrometheusText.render(status: nil, workers: nil).contains("docpipe_up 0\n"))
    }

    @Test func topFitsAnEightyByTwentyFourTerminalWhateverTheBrokerHolds() {
        let stages = (1...9).map {
            Self.stage("a-rather-long-stage-name-\($0)", queued: 123_456, oldest: 99_999, done: 1, p95: 12_345)
        }
        let workers = WorkerList(
            workers: (1...40).map {
                .init(
                    id: "worker-\($0)-xxxxxxxx", service: "a-rather-long-stage-name",
                    host: "a-long-host-name.example.org",
                    pid: 4_000_000, version: "0.2.0", protocolVersion: "MDP/0.2", state: $0 % 3 == 0 ? .stale : .idle,
                    lastHeartbeatS: 1, inflight: 0, done: 9_999_999, failed: 12_345, latencyMs: nil, uptimeS: 999_999)
            })
        var history = TopHistory()
        for second in 0..<100 {
            var status = Self.snapshot(stages: stages)
            status.jobs.done += second * second
            history.record(status, at: Double(second))
        }
        for (columns, rows) in [(80, 24), (120, 40), (40, 10)] {
            let screen = TopScreen(
                columns: columns, rows: rows, endpoint: "tcp://broker-host.example.org:5555",
                interval: 1, clock: "12:00:00")
            let lines = screen.render(
                status: Self.snapshot(stages: stages), workers: workers, history: history, error: nil)
            #expect(lines.count == rows)
            for line in lines { #expect(TopScreen.visibleWidth(line) <= columns, "\(columns)x\(rows): \(line)") }
            if rows == 24 {
                #expect(lines.contains { $0.hasPrefix("… ") && $0.contains("more workers") })
                #expect(lines.last?.hasPrefix("every 1s") == true)
            }
        }
        let down = TopScreen(endpoint: "tcp://x:1", interval: 1).render(
            status: nil, workers: nil, history: history,
            error: "no reply")
        #expect(down.contains("broker did not answer: no reply"))
    }

    @Test func sparklinesScaleToTheirWindowAndLeaveZeroBlank() {
        #expect(TopScreen.sparkline([0, 1, 2, 4, 8], width: 5) == " ▁▂▄█")
        #expect(TopScreen.sparkline([3, 3], width: 4) == "  ██")
        #expect(TopScreen.sparkline([], width: 3) == "   ")
        var history = TopHistory()
        var status = Self.snapshot(stages: [Self.stage("extractor", done: 10)])
        history.record(status, at: 100)
        status.stages![0].done = 30
        history.record(status, at: 102)
        #expect(history.stageOut["extractor"] == [(20.0 + 0) / 2])
    }

    @Test func numbersReadTheSameInEveryView() {
        #expect(OperatorFormat.age(0.42) == "0.4s")
        #expect(OperatorFormat.age(412) == "6m52s")
        #expect(OperatorFormat.age(7_384) == "2h03m")
        #expect(OperatorFormat.age(nil) == "-")
        #expect(OperatorFormat.millis(0.42) == "0.42ms")
        #expect(OperatorFormat.millis(84.4) == "84ms")
        #expect(OperatorFormat.millis(1_234) == "1.2s")
        #expect(OperatorFormat.rate(0) == "0")
        #expect(OperatorFormat.rate(12.44) == "12.4")
        #expect(OperatorFormat.count(1_234_567) == "1,234,567")
        let rendered = StatusView.render(Self.snapshot(stages: [Self.stage("extractor", done: 5, p95: 20)]))
        #expect(rendered.contains("STAGE"))
        #expect(rendered.contains("end-to-end submit→stored: p50 84ms  p95 210ms  p99 480ms"))
    }

    @Test func jsonLogLinesAreOneObjectEachWithTheDocumentsJobAndStage() throws {
        let line = JSONLogHandler.line(
            ts: Date(timeIntervalSince1970: 1_700_000_000.25), level: .warning,
            label: "docpipe.extractor", message: "stage failed:\n\"bad\" input",
            metadata: ["job": "job-1", "stage": "extractor", "n": .array(["1"])])
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["ts"] as? String == "2023-11-14T22:13:20.250Z")
        #expect(object["level"] as? String == "warning")
        #expect(object["label"] as? String == "docpipe.extractor")
        #expect(object["message"] as? String == "stage failed:\n\"bad\" input")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["job"] as? String == "job-1")
        #expect(metadata["stage"] as? String == "extractor")
    }
}
