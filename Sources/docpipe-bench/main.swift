// docpipe-bench: throughput and latency of an in-process broker, its echo workers and a 4-stage
// no-op pipeline, all on loopback TCP; then the built-in workers' text analysis in process. `make bench` runs it; see `docpipe-bench --help`.
import Foundation

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("docpipe-bench: \(message)\n".utf8))
    exit(code)
}

let options: BenchOptions
do {
    options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error.message)\n\n\(BenchOptions.usage)", code: 2)
}
if options.help {
    print(BenchOptions.usage)
    exit(0)
}

do {
    let echo = try EchoBenchmark(
        requests: options.requests, workers: options.workers, inflight: options.inflight,
        timeoutSeconds: options.timeoutSeconds
    ).run()
    let echoCurve = options.curve ? try EchoBenchmark(
        requests: options.requests, workers: options.workers, inflight: options.inflight,
        timeoutSeconds: options.timeoutSeconds, curve: true
    ).run() : nil
    let pipeline = try PipelineBenchmark(
        documents: options.documents, workersPerStage: options.workers, inflight: options.inflight,
        timeoutSeconds: options.timeoutSeconds
    ).run()
    let operatorQueries = try OperatorBenchmark(
        workersPerStage: options.workers, inflight: options.inflight, timeoutSeconds: options.timeoutSeconds
    ).run()
    let text = try TextAnalysisBenchmark(rounds: options.textRounds).run()
    let report = BenchReport(echo: echo, echoCurve: echoCurve, pipeline: pipeline, operatorQueries: operatorQueries,
                             textAnalysis: text)
    print(options.json ? try report.json() : report.table)
} catch {
    fail("\(error)", code: 1)
}
