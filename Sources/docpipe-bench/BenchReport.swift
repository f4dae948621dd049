import Foundation
import ZeroMQ

/// Everything one run measured, printed as a table for people or as one JSON object for scripts.
struct BenchReport: Codable {
    /// The echo figures of the brokers docpipe is compared with.
    struct Baselines: Codable {
        var zmqProxy: EchoBenchmark.Figures
        var majortomo: EchoBenchmark.Figures

        enum CodingKeys: String, CodingKey {
            case majortomo
            case zmqProxy = "zmq_proxy"
        }
    }

    /// One issue target beside the figure it judges.
    struct Target: Codable {
        var name: String
        var value: String
        var target: String
        var met: Bool
    }

    var libzmq = ZeroMQVersion.string
    var cores = ProcessInfo.processInfo.activeProcessorCount
    var build = BenchReport.buildConfiguration
    var echo: EchoBenchmark.Figures
    var baselines: Baselines
    var ratios: [String: Double] = [:]
    var pipeline: PipelineBenchmark.Figures
    var queue: QueueBenchmark.Figures
    /// The built-in worker executables on seeds/ (nil when ./seeds is not there).
    var realWorkers: [RealWorkersBenchmark.Run]?
    var operatorQueries: OperatorBenchmark.Figures?
    var textAnalysis: TextAnalysisBenchmark.Figures?
    /// The document store on PostgreSQL and SQLite (#12).
    var store: StoreBenchmark.Figures?
    /// The pipeline on the PostgreSQL journal beside the embedded one, and failover between two brokers (#13).
    var journal: JournalBenchmark.Figures?
    var failover: JournalBenchmark.Failover?
    /// HTTP submits through `docpipe gateway` next to MDP submits (#16).
    var gateway: GatewayBenchmark.Figures?
    var targets: [Target] = []

    enum CodingKeys: String, CodingKey {
        case libzmq, cores, build, echo, baselines, ratios, pipeline, queue, store, journal, failover, gateway, targets
        case realWorkers = "real_workers"
        case operatorQueries = "operator_queries"
        case textAnalysis = "text_analysis"
    }

    init(
        echo: EchoBenchmark.Figures, baselines: Baselines, pipeline: PipelineBenchmark.Figures,
        queue: QueueBenchmark.Figures, realWorkers: [RealWorkersBenchmark.Run]?,
        operatorQueries: OperatorBenchmark.Figures?, textAnalysis: TextAnalysisBenchmark.Figures?,
        store: StoreBenchmark.Figures?
    ) {
        self.store = store
        self.echo = echo
        self.baselines = baselines
        self.pipeline = pipeline
        self.queue = queue
        self.realWorkers = realWorkers
        self.operatorQueries = operatorQueries
        self.textAnalysis = textAnalysis
        let proxyRatio = Self.ratio(echo.requestsPerSecond, baselines.zmqProxy.requestsPerSecond)
        let majortomoRatio = Self.ratio(echo.requestsPerSecond, baselines.majortomo.requestsPerSecond)
        if let proxyRatio { ratios["docpipe_vs_zmq_proxy"] = proxyRatio }
        if let majortomoRatio { ratios["docpipe_vs_majortomo"] = majortomoRatio }
        let cost = pipeline.best.broker
        targets = [
            Target(
                name: "pipeline docs/s (best cell)", value: grouped(pipeline.documentsPerSecond),
                target: "≥ 20,000", met: pipeline.documentsPerSecond >= 20_000),
            Target(
                name: "pipeline p50, 1 in flight", value: milliseconds(pipeline.latencyUnloaded.p50Ms),
                target: "≤ 1 ms", met: pipeline.latencyUnloaded.p50Ms <= 1),
            Target(
                name: "echo vs zmq_proxy", value: proxyRatio.map { String(format: "%.2f×", $0) } ?? "n/a",
                target: "≥ 0.6×", met: (proxyRatio ?? 0) >= 0.6),
            Target(
                name: "echo vs majortomo", value: majortomoRatio.map { String(format: "%.1f×", $0) } ?? "n/a",
                target: "≥ 5×", met: (majortomoRatio ?? 0) >= 5),
            Target(
                name: "broker CPU per document", value: String(format: "%.0f µs", cost.cpuMicrosPerDocument),
                target: "≤ 50 µs", met: cost.cpuMicrosPerDocument <= 50),
            Target(
                name: "journal per document (\(cost.journalBytesSource))",
                value: String(format: "%.1f KB", cost.journalBytesPerDocument / 1000),
                target: "≤ 4 KB", met: cost.journalBytesPerDocument <= 4_000),
            Target(
                name: "broker peak RSS, \(grouped(Double(queue.documents))) queued",
                value: String(format: "%.0f MiB", queue.peakRssMiB), target: "≤ 1 GiB",
                met: queue.peakRssMiB <= 1_024),
        ]
    }

    /// The journal phase's figures, and its target beside the others.
    mutating func add(journal: JournalBenchmark.Figures, failover: JournalBenchmark.Failover) {
        self.journal = journal
        self.failover = failover
        targets.append(
            Target(
                name: "pipeline docs/s, PostgreSQL journal", value: grouped(journal.postgres.documentsPerSecond),
                target: "≥ " + grouped(journal.target), met: journal.targetMet))
    }

    private static func ratio(_ value: Double, _ base: Double) -> Double? { base > 0 ? value / base : nil }

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
        var lines = [
            "docpipe bench (libzmq \(libzmq), \(cores) cores, \(build) build; separate processes on 127.0.0.1)", "",
        ]
        lines.append(pad("target", 42) + pad("measured", 14) + pad("wanted", 12) + "")
        for target in targets {
            lines.append(
                pad(target.name, 42) + pad(target.value, 14) + pad(target.target, 12)
                    + (target.met ? "met" : "NOT met"))
        }
        lines.append("")
        lines.append(
            "echo, \(kilobytes(echo.bodyBytes)) bodies, \(echo.inflight) in flight over \(echo.connections) "
                + "connections, \(echo.workers) echo worker processes:")
        for figures in [echo, baselines.zmqProxy, baselines.majortomo] {
            if let error = figures.error {
                lines.append("  " + pad(figures.broker, 12) + "not run: \(error)")
            } else {
                lines.append(
                    "  " + pad(figures.broker, 12) + pad(grouped(figures.requestsPerSecond) + " req/s", 16)
                        + "p50 \(milliseconds(figures.latencyUnderLoad.p50Ms)), "
                        + "p99 \(milliseconds(figures.latencyUnderLoad.p99Ms)) under load"
                        + (figures.brokerCpuMicrosPerRequest.map { String(format: ", broker CPU %.1f µs/req", $0) }
                            ?? "")
                        + (figures.roundsRequestsPerSecond.map { rates in
                            "; median of " + rates.map { grouped($0) }.joined(separator: ", ")
                        } ?? ""))
            }
        }
        lines.append("")
        lines.append(
            "pipeline, 4 no-op stages, journal, ≤\(pipeline.inflight) unfinished, docs/s "
                + "(broker CPU µs/doc, journal KB/doc):")
        for cell in pipeline.cells {
            lines.append(
                "  credit " + pad("\(cell.credit),", 4) + pad(Self.cellLabel(cell), 30)
                    + pad(grouped(cell.documentsPerSecond) + " docs/s", 16)
                    + String(
                        format: "(%.0f µs, %.1f KB)  ", cell.broker.cpuMicrosPerDocument,
                        cell.broker.journalBytesPerDocument / 1000)
                    + "p50 \(milliseconds(cell.latency.p50Ms)), p99 \(milliseconds(cell.latency.p99Ms))")
        }
        let split = pipeline.best.broker.threadMicrosPerDocument
        lines.append(
            String(
                format: "  the best cell's broker CPU by thread: loop %.0f µs, journal writer %.0f, ZeroMQ I/O %.0f, "
                    + "other %.0f; in the kernel %.0f of the %.0f",
                split["loop"] ?? 0, split["journal"] ?? 0, split["zeromq_io"] ?? 0, split["other"] ?? 0,
                pipeline.best.broker.kernelMicrosPerDocument, pipeline.best.broker.cpuMicrosPerDocument))
        if let machine = pipeline.best.machine {
            lines.append(
                String(
                    format:
                        "  the best cell's whole machine: %.0f µs CPU per document (broker %.0f, no-op workers %.0f, "
                        + "bench clients %.0f, the rest %.0f), %.0f %% idle: %d cores run out at ",
                    machine.cpuMicrosPerDocument, pipeline.best.broker.cpuMicrosPerDocument,
                    machine.workersMicrosPerDocument, machine.benchMicrosPerDocument,
                    max(
                        0,
                        machine.cpuMicrosPerDocument - pipeline.best.broker.cpuMicrosPerDocument
                            - machine.workersMicrosPerDocument - machine.benchMicrosPerDocument),
                    machine.idleShare * 100, machine.cores) + grouped(machine.ceilingDocumentsPerSecond) + " docs/s")
        }
        lines.append(
            "  one job in flight: p50 \(milliseconds(pipeline.latencyUnloaded.p50Ms)), "
                + "p99 \(milliseconds(pipeline.latencyUnloaded.p99Ms)) (\(pipeline.latencyUnloaded.samples) jobs)")
        lines.append(
            "queue: \(grouped(Double(queue.documents))) documents accepted at "
                + "\(grouped(queue.acceptedPerSecond))/s, no workers: broker peak RSS "
                + String(format: "%.0f MiB", queue.peakRssMiB))
        if let realWorkers {
            lines.append(
                "built-in workers on seeds/: "
                    + realWorkers.map {
                        "\($0.extractors) extractor\($0.extractors == 1 ? "" : "s") "
                            + String(format: "%.1f docs/s", $0.documentsPerSecond)
                    }.joined(separator: ", ") + " (\(realWorkers.first?.documents ?? 0) documents each)")
        }
        if let ops = operatorQueries {
            lines.append(
                "operator queries while saturated (\(grouped(ops.acceptedPerSecond)) submits/s accepted, "
                    + "\(grouped(Double(ops.busyReplies))) refused 503 busy, \(ops.queries) of each):")
            for (name, latency) in [
                ("docpipe status", ops.status), ("docpipe workers", ops.workers),
                ("docpipe jobs", ops.jobs),
            ] {
                lines.append(
                    "  " + pad(name, 18) + "p50 \(milliseconds(latency.p50Ms)), "
                        + "p99 \(milliseconds(latency.p99Ms)), max \(milliseconds(latency.maxMs))")
            }
        }
        if let text = textAnalysis {
            lines.append(
                "text analysis, one core, in process, \(text.documents) documents of "
                    + "~\(kilobytes(text.averageBytes)) "
                    + "(classifier: \(text.classifierModel)):")
            let rates = [
                ("extract", text.extractPerSecond), ("language", text.languagePerSecond),
                ("classify", text.classifyPerSecond), ("summarize", text.summarizePerSecond),
                ("whole chain", text.chainPerSecond),
            ]
            lines.append("  " + rates.map { "\($0.0) \(grouped($0.1)) docs/s" }.joined(separator: ", "))
            lines.append(
                String(
                    format: "  one %.1f MB plain text through the extractor: %.2f s; one %.1f MB: %.2f s",
                    Double(text.largeTextBytes) / 1e6, text.largeTextSeconds, Double(text.hugeTextBytes) / 1e6,
                    text.hugeTextSeconds))
        }
        if let store { lines += Self.storeLines(store) }
        if let journal, let failover { lines += Self.journalLines(journal, failover) }
        if let gateway { lines += Self.gatewayLines(gateway) }
        if build == "debug" {
            lines.append("(debug build: figures are not representative; use swift build -c release)")
        }
        return lines.joined(separator: "\n")
    }

    /// The store phase's part of the table (also what `--only store` prints).
    static func storeLines(_ store: StoreBenchmark.Figures) -> [String] {
        var lines = [
            "document store, PostgreSQL \(store.postgresVersion) (throwaway server on this machine, "
                + "fsync on) and SQLite (WAL, synchronous=NORMAL: no fsync per commit):"
        ]
        let writerCounts = Set(store.upserts.map(\.writers)).sorted()
        lines.append(
            "  upserts/s, \(grouped(Double(store.documentsPerConfiguration))) new "
                + "~\(kilobytes(store.documentBytes)) documents, each writer its own store, one upsert at a time:")
        lines.append(
            "  " + pad("", 12) + writerCounts.map { pad("\($0) writer\($0 == 1 ? "" : "s")", 12) }.joined()
                + "per upsert at 1 writer")
        for (backend, label) in [("postgres", "PostgreSQL"), ("sqlite", "SQLite")] {
            let runs = store.upserts.filter { $0.backend == backend }
            var line = "  " + pad(label, 12)
            for writers in writerCounts {
                line += pad(runs.first { $0.writers == writers }.map { grouped($0.upsertsPerSecond) } ?? "-", 12)
            }
            if let one = runs.first(where: { $0.writers == 1 }) ?? runs.first {
                line += "p50 \(milliseconds(one.latency.p50Ms)), p99 \(milliseconds(one.latency.p99Ms))"
            }
            let retries = runs.map(\.busyRetries).reduce(0, +)
            if retries > 0 { line += "; \(retries) busy retries" }
            lines.append(line)
        }
        let ratioNames = store.ratios.keys.filter { $0.hasPrefix("postgres_") && $0.hasSuffix("_vs_sqlite_1") }
            .sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }
        if !ratioNames.isEmpty {
            lines.append(
                "  PostgreSQL / SQLite 1 writer: "
                    + ratioNames.map { name in
                        let writers = name.dropFirst("postgres_".count).prefix { $0 != "_" }
                        return "\(writers) writer\(writers == "1" ? "" : "s") "
                            + String(format: "%.2f×", store.ratios[name] ?? 0)
                    }.joined(separator: ", "))
        }
        let search = store.search
        lines.append(
            "  search over \(grouped(Double(search.documents))) documents of "
                + "~\(kilobytes(search.documentBytes)), \(search.queries) queries one at a time, "
                + "limit \(search.limit) (e.g. "
                + StoreBenchmark.queryKinds.compactMap { search.examples[$0] }.joined(separator: ", ") + "):")
        for (label, figures) in [("PostgreSQL", search.postgres), ("SQLite", search.sqlite)] {
            let kinds = StoreBenchmark.queryKinds.compactMap { kind in
                figures.byKind[kind].map { "\(kind) \(milliseconds($0.p50Ms))" }
            }.joined(separator: ", ")
            lines.append(
                "  " + pad(label, 12) + "p50 \(milliseconds(figures.p50Ms)), "
                    + "p99 \(milliseconds(figures.p99Ms)), max \(milliseconds(figures.maxMs)); "
                    + String(format: "%.1f hits/query", figures.meanHits)
                    + (figures.emptyQueries > 0 ? " (\(figures.emptyQueries) found nothing)" : ""))
            lines.append("  " + pad("", 12) + "p50 by kind: \(kinds)")
            lines.append(
                "  " + pad("", 12) + String(format: "loaded in %.1f s", figures.loadSeconds)
                    + " (\(figures.loadNote))")
        }
        lines.append(String(format: "  (store phase: %.0f s in all)", store.seconds))
        return lines
    }
}

extension BenchReport {
    /// The gateway phase's part of the table (also what `--only gateway` prints).
    static func gatewayLines(_ figures: GatewayBenchmark.Figures) -> [String] {
        func side(_ name: String, _ side: GatewayBenchmark.Side) -> String {
            "  " + pad(name, 34) + pad("\(grouped(side.requestsPerSecond)) req/s", 16)
                + "p50 \(milliseconds(side.latency.p50Ms)), p99 \(milliseconds(side.latency.p99Ms))"
        }
        return [
            "submits, \(grouped(Double(figures.requests))) each way, \(figures.callers) callers waiting for each "
                + "answer, ~\(figures.documentBytes / 1000) KB documents (gateway: \(figures.gatewayLanes) broker lanes):",
            side("POST /v1/documents (HTTP gateway)", figures.http),
            side("docpipe.submit (MDP)", figures.mdp),
            "  HTTP / MDP " + String(format: "%.2f×", figures.ratio),
        ]
    }

    /// The journal phase's part of the table (also what `--only journal` prints).
    /// "2 workers/stage", with ", submits of 100" for a batched cell.
    static func cellLabel(_ cell: PipelineBenchmark.Cell) -> String {
        "\(cell.workersPerStage) workers/stage" + (cell.submitBatch > 1 ? ", submits of \(cell.submitBatch)" : "")
    }

    static func journalLines(_ journal: JournalBenchmark.Figures, _ failover: JournalBenchmark.Failover) -> [String] {
        var lines = [
            "journal: the pipeline (4 no-op stages, credit \(journal.credit), ≤\(journal.inflight) unfinished, "
                + "\(grouped(Double(journal.documentsPerCell))) documents a cell) on the embedded journal and "
                + "on PostgreSQL \(journal.postgresVersion.split(separator: " ").first ?? "") (throwaway server on this machine, fsync on):"
        ]
        lines.append("  " + pad("", 30) + pad("embedded", 40) + "PostgreSQL")
        for cell in journal.postgres.cells {
            let base = journal.embedded.cells.first {
                $0.workersPerStage == cell.workersPerStage && $0.submitBatch == cell.submitBatch
            }
            var line = "  " + pad(Self.cellLabel(cell), 30)
            line += pad(
                base.map {
                    grouped($0.documentsPerSecond) + " docs/s "
                        + String(
                            format: "(broker %.0f µs/doc)",
                            $0.broker.cpuMicrosPerDocument)
                } ?? "-", 40)
            line +=
                grouped(cell.documentsPerSecond) + " docs/s "
                + String(format: "(broker %.0f µs/doc", cell.broker.cpuMicrosPerDocument)
                + (cell.journalServerCpuMicrosPerDocument.map { String(format: ", server %.0f µs/doc", $0) } ?? "")
                + (cell.acknowledgementLagMs >= 1 ? ", last 202 \(milliseconds(cell.acknowledgementLagMs)) late" : "")
                + ")"
            let key = "\(cell.workersPerStage)" + (cell.submitBatch > 1 ? "/batch\(cell.submitBatch)" : "")
            if let ratio = journal.postgresRatioByWorkers[key] {
                line += String(format: "  %.2f×", ratio)
            }
            lines.append(line)
        }
        lines.append(
            "  " + pad("one in flight", 30)
                + pad(
                    "p50 \(milliseconds(journal.embedded.latencyUnloaded.p50Ms)), "
                        + "p99 \(milliseconds(journal.embedded.latencyUnloaded.p99Ms))", 40)
                + "p50 \(milliseconds(journal.postgres.latencyUnloaded.p50Ms)), "
                + "p99 \(milliseconds(journal.postgres.latencyUnloaded.p99Ms))")
        lines.append(
            "  best cells: PostgreSQL / embedded " + String(format: "%.2f×", journal.postgresRatio)
                + "; target ≥ \(grouped(journal.target)) docs/s with PostgreSQL: "
                + (journal.targetMet ? "met" : "NOT met"))
        lines.append(
            "failover: two brokers on one PostgreSQL journal (lease TTL 3 s), the active one SIGKILLed "
                + "after \(grouped(Double(failover.doneBeforeKill))) documents with "
                + "\(failover.unfinishedAtKill) accepted jobs unfinished (credit \(failover.credit), "
                + "\(failover.workersPerStage) workers/stage):")
        lines.append(
            "  kill → standby says role active   \(milliseconds(failover.takeoverMs)) "
                + "(status polled every \(failover.statusPollMs) ms)")
        lines.append(
            "  kill → first document through it  \(milliseconds(failover.firstDocumentAfterKillMs)) "
                + "(workers retry READY every \(failover.workerRetryMs) ms)")
        lines.append(
            "  kill → last resumed job through   \(milliseconds(failover.resumedDoneMs)) "
                + "(no accepted job lost; \(failover.unacknowledgedResumed) resumed jobs whose submit reply "
                + "died with the broker; \(failover.repeated) last-stage answers repeated)")
        lines.append(
            "  then \(failover.documentsAfterTakeover) new documents through the new active broker; "
                + "failovers \(failover.failovers), lease epoch \(failover.leaseEpoch.map(String.init) ?? "-")")
        return lines
    }
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
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
