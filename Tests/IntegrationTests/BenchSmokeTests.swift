import Foundation
import Testing

/// `docpipe-bench --quick --json` end to end: the real broker, the bench's worker and proxy children,
/// majortomo under python3, and the built-in workers, all as processes; every headline figure present
/// and positive. Figures from a debug build mean nothing; this proves the harness, not the speed.
@Suite(.serialized) struct BenchSmokeTests {
    static let headlineFields = [
        "echo.requests_per_second",
        "baselines.zmq_proxy.requests_per_second",
        "baselines.majortomo.requests_per_second",
        "pipeline.documents_per_second",
        "pipeline.latency_unloaded.p50_ms",
        "pipeline.broker_cpu_us_per_document",
        "pipeline.journal_bytes_per_document",
        "queue.peak_rss_mib",
        "gateway.http.requests_per_second",
        "gateway.http.latency.p99_ms",
        "gateway.mdp.requests_per_second",
    ]

    @Test func quickRunReportsEveryHeadlineFigure() throws {
        let result = try runBench(["--quick", "--json"], timeout: 180)
        guard result.status == 0 else {
            throw TestFailure("docpipe-bench --quick --json exited \(result.status):\n\(result.errors.suffix(3000))")
        }
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
            "not a JSON object:\n\(result.output.prefix(2000))")
        // A baseline that could not run says why; that is a failure here, with the reason, not a skip.
        for baseline in ["zmq_proxy", "majortomo"] {
            let reason = (json["baselines"] as? [String: Any]).flatMap { $0[baseline] as? [String: Any] }?["error"]
            if let reason = reason as? String {
                Issue.record("the \(baseline) baseline did not run: \(reason)")
            }
        }
        for field in Self.headlineFields {
            let value = Self.number(at: field, in: json)
            #expect(
                value.map { $0 > 0 } == true,
                "\(field) should be a positive number, got \(String(describing: value))")
        }
        // The broker's CPU split by thread finds the loop thread by its name (the name reaches the kernel), and
        // all four parts are there. (Threads that ran less than a clock tick in a quick run read 0.)
        let split = "pipeline.best.broker.cpu_us_per_document_by_thread"
        let loop = Self.number(at: "\(split).loop", in: json)
        #expect(loop.map { $0 > 0 } == true, "\(split).loop should be positive, got \(String(describing: loop))")
        let whole = try #require(Self.number(at: "pipeline.best.broker.cpu_us_per_document", in: json))
        let documents = try #require(Self.number(at: "pipeline.best.documents", in: json))
        let parts = ["loop", "journal", "zeromq_io", "other"].compactMap {
            Self.number(at: "\(split).\($0)", in: json)
        }
        // /proc counts CPU in clock ticks, each thread's and the process's rounded apart, so the named
        // threads may add up to a tick each more than the whole: in a quick run of a few hundred documents
        // one tick is tens of µs per document (the check once failed with [300, 50, 50, 0] against 350).
        let tickMicros = 1_000_000 / Double(sysconf(Int32(_SC_CLK_TCK)))
        let slack = 3 * tickMicros / documents + 1
        #expect(
            parts.count == 4 && abs(parts.reduce(0, +) - whole) <= slack, "\(parts) against \(whole), ± \(slack)")
        // The whole machine's CPU over the best cell, who spent it, and the rate at which the cores run out.
        let machine = "pipeline.best.machine"
        for field in ["cpu_us_per_document", "ceiling_documents_per_second", "cores"] {
            let value = Self.number(at: "\(machine).\(field)", in: json)
            #expect(
                value.map { $0 > 0 } == true, "\(machine).\(field) should be positive, got \(String(describing: value))"
            )
        }
        for field in ["workers_cpu_us_per_document", "bench_cpu_us_per_document"] {
            let value = Self.number(at: "\(machine).\(field)", in: json)
            #expect(value.map { $0 >= 0 } == true, "\(machine).\(field) missing, got \(String(describing: value))")
        }
        let idle = Self.number(at: "\(machine).idle_share", in: json)
        #expect(
            idle.map { (0...1).contains($0) } == true,
            "\(machine).idle_share should be 0…1, got \(String(describing: idle))")
    }

    /// Follows a dotted path through nested JSON objects to a number.
    static func number(at path: String, in json: [String: Any]) -> Double? {
        var current: Any? = json
        for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
        return (current as? NSNumber)?.doubleValue
    }

    /// Runs the bench from the repository root (it reads seeds/), output through temp files.
    private func runBench(_ arguments: [String], timeout: Double) throws
        -> (status: Int32, output: String, errors: String)
    {
        let bench = TestPaths.executable("docpipe-bench")
        guard FileManager.default.isExecutableFile(atPath: bench.path) else {
            throw TestFailure("\(bench.path) is missing: swift build --build-tests builds it")
        }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out")
        let errURL = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = bench
        process.arguments = arguments
        process.currentDirectoryURL = TestPaths.repoRoot
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            // SIGINT: the bench kills its own children by pid before exiting.
            kill(process.processIdentifier, SIGINT)
            Thread.sleep(forTimeInterval: 2)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let errors = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            throw TestFailure("docpipe-bench --quick ran over \(Int(timeout)) s:\n\(errors.suffix(2000))")
        }
        process.waitUntilExit()
        return (
            process.terminationStatus, (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        )
    }
}
