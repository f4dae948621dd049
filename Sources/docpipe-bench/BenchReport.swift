import Foundation
import ZeroMQ

/// Everything one run measured, printed as a table for people or as one JSON object for scripts.
struct BenchReport: Codable {
    var libzmq = ZeroMQVersion.string
    var cores = ProcessInfo.processInfo.activeProcessorCount
    var build = BenchReport.buildConfiguration
    var echo: EchoBenchmark.Figures
    /// The same echo run over CURVE (nil with --no-curve), to show what encryption and auth cost.
    var echoCurve: EchoBenchmark.Figures?
    var pipeline: PipelineBenchmark.Figures
    /// status / workers / jobs round trips while the broker is saturated.
    var operatorQueries: OperatorBenchmark.Figures? = nil
    /// The built-in workers' analysis per document, in process (nil when ./seeds is not there).
    var textAnalysis: TextAnalysisBenchmark.Figures? = nil

    enum CodingKeys: String, CodingKey {
        case libzmq, cores, build, echo, pipeline
        case echoCurve = "echo_curve"
        case operatorQueries = "operator_queries"
        case textAnalysis = "text_analysis"
    }

    static var buildConfiguration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    var table: String {
        let echoLabel = "MDP echo, \(kilobytes(echo.bodyBytes)) body, \(echo.workers) workers:"
        let pipelineLabel = "pipeline, \(pipeline.stages) no-op stages, journal:"
        let width = max(echoLabel.count, pipelineLabel.count) + 2
        var lines = ["docpipe bench (libzmq \(libzmq), \(cores) cores, \(build) build)"]
        lines.append(row(echoLabel, width, grouped(echo.requestsPerSecond), "req/s", echo.latency, "1 in flight"))
        lines.append(row("", width, "", "", echo.latencyUnderLoad, "\(echo.inflight) in flight"))
        if let echoCurve {
            let cost = (1 - echoCurve.requestsPerSecond / echo.requestsPerSecond) * 100
            lines.append(row("  same over CURVE + ZAP:".padding(toLength: width, withPad: " ", startingAt: 0), width,
                             grouped(echoCurve.requestsPerSecond), "req/s", echoCurve.latency,
                             "1 in flight; \(String(format: "%.0f", cost))% fewer req/s than plaintext"))
            lines.append(row("", width, "", "", echoCurve.latencyUnderLoad, "\(echoCurve.inflight) in flight"))
        }
        lines.append(row(pipelineLabel, width, grouped(pipeline.documentsPerSecond), "docs/s", pipeline.latency,
                         "≤\(pipeline.inflight) jobs in flight, \(pipeline.workersPerStage) workers/stage"))
        lines.append(row("", width, "", "", pipeline.latencyUnloaded, "1 job in flight"))
        if let ops = operatorQueries {
            lines.append("operator queries while saturated (\(grouped(ops.acceptedPerSecond)) submits/s accepted, "
                         + "\(grouped(Double(ops.busyReplies))) refused 503 busy, \(ops.queries) of each):")
            for (name, latency) in [("docpipe status", ops.status), ("docpipe workers", ops.workers),
                                    ("docpipe jobs", ops.jobs)] {
                lines.append(row("  " + name, width, "", "", latency, "max \(milliseconds(latency.maxMs))"))
            }
        }
        if let text = textAnalysis {
            lines.append("text analysis, one core, \(text.documents) documents of ~\(kilobytes(text.averageBytes)) "
                         + "(classifier: \(text.classifierModel)):")
            let rates = [("extract", text.extractPerSecond), ("language", text.languagePerSecond),
                         ("classify", text.classifyPerSecond), ("summarize", text.summarizePerSecond)]
            lines.append("  " + rates.map { "\($0.0) \(grouped($0.1)) docs/s" }.joined(separator: ", "))
            lines.append(row("  extract → classify → summarize", width, grouped(text.chainPerSecond), "docs/s",
                             text.chain, "per document, one core"))
        }
        if build == "debug" {
            lines.append("(debug build: figures are not representative; use swift build -c release)")
        }
        return lines.joined(separator: "\n")
    }

    private func row(
        _ label: String, _ width: Int, _ rate: String, _ unit: String, _ latency: LatencySummary, _ note: String
    ) -> String {
        label.padding(toLength: width, withPad: " ", startingAt: 0)
            + String(repeating: " ", count: max(0, 8 - rate.count)) + rate + " "
            + unit.padding(toLength: 8, withPad: " ", startingAt: 0)
            + "p50 \(milliseconds(latency.p50Ms))".padding(toLength: 14, withPad: " ", startingAt: 0)
            + "p99 \(milliseconds(latency.p99Ms))".padding(toLength: 14, withPad: " ", startingAt: 0)
            + "(\(note))"
    }
}

/// 2300 → "2.3 KB".
private func kilobytes(_ bytes: Int) -> String {
    String(format: "%.1f KB", Double(bytes) / 1000)
}

/// A rate rounded to a whole number with thousands separators: 41230.4 → "41,230".
private func grouped(_ value: Double) -> String {
    let digits = String(Int(value.rounded()))
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return out
}

/// Milliseconds with about three significant figures.
private func milliseconds(_ value: Double) -> String {
    switch value {
    case ..<10: String(format: "%.2f ms", value)
    case ..<100: String(format: "%.1f ms", value)
    default: String(format: "%.0f ms", value)
    }
}
