// docpipe-bench: broker, workers and clients as separate processes on loopback TCP — echo against
// zmq_proxy and majortomo, the journalled no-op pipeline, the queue's memory, the built-in workers —
// plus the in-process text-analysis and operator phases. `make bench` runs it; see `docpipe-bench --help`.
// `echo-worker`, `noop-worker` and `serve-proxy` are the children it starts (WorkerCommands.swift).
import Foundation

func fail(_ message: String, code: Int32) -> Never {
    ChildRegistry.killAll()
    FileHandle.standardError.write(Data("docpipe-bench: \(message)\n".utf8))
    exit(code)
}

SignalMask.unblockAll()
do {
    if try WorkerCommands.run(Array(CommandLine.arguments.dropFirst())) { exit(0) }
} catch {
    fail("\(error)", code: 1)
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

ChildRegistry.installInterruptHandler()
if let phase = options.only {
    do {
        print(try runAlone(phase, options))
        exit(0)
    } catch {
        fail("\(error)", code: 1)
    }
}
do {
    let echoBench = EchoBenchmark(
        requests: options.echoRequests, workers: options.echoWorkers,
        credit: options.echoCredit,
        connections: options.connections, inflight: options.inflight,
        timeoutSeconds: options.timeoutSeconds)
    let (echo, proxy) = try echoBench.runAlternating(rounds: options.echoRounds)
    let majortomo = echoBench.runMajortomo()
    let pipeline = try PipelineBenchmark(
        documents: options.documents, credits: options.credits, workersPerStage: options.workersPerStage,
        inflight: options.pipelineInflight, latencySamples: options.latencySamples,
        timeoutSeconds: options.timeoutSeconds, submitBatches: options.submitBatches
    ).run()
    let queue = try QueueBenchmark(documents: options.queueDocuments, timeoutSeconds: options.timeoutSeconds).run()
    let workers = try RealWorkersBenchmark(
        documents: options.realDocuments, extractorCounts: options.extractors,
        timeoutSeconds: options.timeoutSeconds
    ).run()
    let operatorQueries = try OperatorBenchmark(
        queries: options.operatorQueries, workersPerStage: 2, inflight: options.inflight,
        timeoutSeconds: options.timeoutSeconds
    ).run()
    FileHandle.standardError.write(Data("docpipe-bench: text analysis, in process…\n".utf8))
    let text = try TextAnalysisBenchmark(rounds: options.textRounds, largeBytes: options.textLargeBytes).run()
    let store = try storeBenchmark(options).run()
    let journal = try journalBenchmark(options).run()
    let gateway = try gatewayBenchmark(options).run()
    var report = BenchReport(
        echo: echo, baselines: .init(zmqProxy: proxy, majortomo: majortomo),
        pipeline: pipeline, queue: queue, realWorkers: workers,
        operatorQueries: operatorQueries, textAnalysis: text, store: store)
    report.add(journal: journal.journal, failover: journal.failover)
    report.gateway = gateway
    print(options.json ? try report.json() : report.table)
} catch {
    fail("\(error)", code: 1)
}

func storeBenchmark(_ options: BenchOptions) -> StoreBenchmark {
    StoreBenchmark(
        documents: options.storeDocuments, writers: options.storeWriters,
        searchDocuments: options.searchDocuments, queries: options.searchQueries)
}

func journalBenchmark(_ options: BenchOptions) -> JournalBenchmark {
    JournalBenchmark(
        documents: options.documents, workersPerStage: options.journalWorkersPerStage,
        inflight: options.pipelineInflight, latencySamples: options.latencySamples,
        timeoutSeconds: options.timeoutSeconds, documentsBeforeKill: options.failoverDocuments,
        submitBatches: options.submitBatches)
}

func gatewayBenchmark(_ options: BenchOptions) -> GatewayBenchmark {
    GatewayBenchmark(
        requests: options.gatewayRequests, callers: options.gatewayCallers,
        timeoutSeconds: options.timeoutSeconds)
}

/// One phase by itself, its figures as pretty JSON (`--only`); `--only store` without `--json` prints
/// its part of the table, and so does `--only journal`.
func runAlone(_ phase: String, _ options: BenchOptions) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let data: Data
    switch phase {
    case "echo":
        let bench = EchoBenchmark(
            requests: options.echoRequests, workers: options.echoWorkers, credit: options.echoCredit,
            connections: options.connections, inflight: options.inflight, timeoutSeconds: options.timeoutSeconds)
        let (docpipe, proxy) = try bench.runAlternating(rounds: options.echoRounds)
        data = try encoder.encode(["docpipe": docpipe, "zmq_proxy": proxy, "majortomo": bench.runMajortomo()])
    case "pipeline":
        data = try encoder.encode(
            try PipelineBenchmark(
                documents: options.documents, credits: options.credits, workersPerStage: options.workersPerStage,
                inflight: options.pipelineInflight, latencySamples: options.latencySamples,
                timeoutSeconds: options.timeoutSeconds, submitBatches: options.submitBatches
            ).run())
    case "store":
        let figures = try storeBenchmark(options).run()
        guard options.json else { return BenchReport.storeLines(figures).joined(separator: "\n") }
        data = try encoder.encode(figures)
    case "journal":
        let figures = try journalBenchmark(options).run()
        guard options.json else {
            return BenchReport.journalLines(figures.journal, figures.failover).joined(separator: "\n")
        }
        data = try encoder.encode(JournalPhase(journal: figures.journal, failover: figures.failover))
    case "text":
        data = try encoder.encode(
            try TextAnalysisBenchmark(rounds: options.textRounds, largeBytes: options.textLargeBytes).run())
    case "gateway":
        let figures = try gatewayBenchmark(options).run()
        guard options.json else { return BenchReport.gatewayLines(figures).joined(separator: "\n") }
        data = try encoder.encode(figures)
    default:
        data = try encoder.encode(
            try QueueBenchmark(
                documents: options.queueDocuments,
                timeoutSeconds: options.timeoutSeconds
            ).run())
    }
    return String(decoding: data, as: UTF8.self)
}

/// `--only journal --json`: the same two keys as in the whole run's JSON.
struct JournalPhase: Codable {
    var journal: JournalBenchmark.Figures
    var failover: JournalBenchmark.Failover
}
