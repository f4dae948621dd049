import BrokerCore
import DocBroker
import DocClient
import DocProtocol
import Foundation
import ZeroMQ

/// Documents through a 4-stage pipeline of no-op worker processes, the `docpipe broker` process
/// journalling every step; one fresh broker per cell of a credit × workers-per-stage matrix.
///
/// Completion is seen from outside the broker: the last stage's workers PUSH `[job, sequence, time]` to
/// the bench as they answer, and the journal's `done` counter must agree before a cell counts.
struct PipelineBenchmark {
    static let stages = ["noop1", "noop2", "noop3", "noop4"]
    static let documentBytes = 2_300

    var documents: Int
    var credits: [Int]
    var workersPerStage: [Int]
    /// Jobs submitted but not yet through the last stage, at most.
    var inflight: Int
    var latencySamples: Int
    var timeoutSeconds: Int
    /// Batch sizes for `docpipe.submit` tried beyond single documents: each one more cell, at the highest
    /// credit and the most workers per stage (bulk ingest, as `docpipe submit` of a folder sends). Fixed,
    /// not the best single cell's: the journal phase sets the embedded and PostgreSQL cells side by side.
    var submitBatches: [Int] = []
    /// The `--journal` each cell's broker gets (a fresh PostgreSQL database per cell); nil: the embedded one.
    var journal: (() throws -> String)? = nil
    /// CPU microseconds the journal's server (PostgreSQL) has used so far, to charge it per document.
    var journalServerCpuMicros: (() -> UInt64?)? = nil

    /// One cell of the matrix.
    struct Cell: Codable, Equatable {
        var credit: Int
        var workersPerStage: Int
        /// Documents per `docpipe.submit` request (1: the single-document form).
        var submitBatch: Int = 1
        var documents: Int
        var seconds: Double
        var documentsPerSecond: Double
        var latency: LatencySummary
        var broker: BrokerCost
        /// The PostgreSQL server's CPU (all its processes) per document, when the journal is there.
        var journalServerCpuMicrosPerDocument: Double? = nil
        /// How long after the last document left the last stage its submit was acknowledged (0 when the
        /// acknowledgements kept up); `seconds` runs to the later of the two.
        var acknowledgementLagMs: Double = 0
        /// The whole machine's CPU over the run and who spent it (broker, workers, this bench).
        var machine: MachineCost? = nil

        enum CodingKeys: String, CodingKey {
            case credit, documents, seconds, latency, broker, machine
            case workersPerStage = "workers_per_stage"
            case submitBatch = "submit_batch"
            case documentsPerSecond = "documents_per_second"
            case journalServerCpuMicrosPerDocument = "journal_server_cpu_us_per_document"
            case acknowledgementLagMs = "acknowledgement_lag_ms"
        }
    }

    struct Figures: Codable, Equatable {
        var stages: Int
        var inflight: Int
        var documentBytes: Int
        /// The best cell's rate, CPU and journal figures.
        var documentsPerSecond: Double
        var best: Cell
        var brokerCpuMicrosPerDocument: Double
        var journalBytesPerDocument: Double
        var journalBytesSource: String
        /// One job at a time (credit 1, one worker per stage): four stage round trips and the journal commits.
        var latencyUnloaded: LatencySummary
        var cells: [Cell]

        enum CodingKeys: String, CodingKey {
            case stages, inflight, best, cells
            case documentBytes = "document_bytes"
            case documentsPerSecond = "documents_per_second"
            case brokerCpuMicrosPerDocument = "broker_cpu_us_per_document"
            case journalBytesPerDocument = "journal_bytes_per_document"
            case journalBytesSource = "journal_bytes_source"
            case latencyUnloaded = "latency_unloaded"
        }
    }

    func run() throws -> Figures {
        var cells: [Cell] = []
        var unloaded: LatencySummary?
        var sequence = 0
        for credit in credits {
            for perStage in workersPerStage {
                let measureLatency = unloaded == nil
                let (cell, latency) = try runCell(
                    credit: credit, perStage: perStage, firstSequence: sequence,
                    measureLatency: measureLatency)
                sequence += documents + latencySamples + 100
                if measureLatency { unloaded = latency }
                cells.append(cell)
            }
        }
        if let credit = credits.max(), let perStage = workersPerStage.max() {
            for batch in submitBatches where batch > 1 {
                let (cell, _) = try runCell(
                    credit: credit, perStage: perStage, firstSequence: sequence, measureLatency: false, batch: batch)
                sequence += documents + latencySamples + 100
                cells.append(cell)
            }
        }
        let best = cells.max { $0.documentsPerSecond < $1.documentsPerSecond }!
        return Figures(
            stages: Self.stages.count, inflight: inflight, documentBytes: Self.documentBytes,
            documentsPerSecond: best.documentsPerSecond, best: best,
            brokerCpuMicrosPerDocument: best.broker.cpuMicrosPerDocument,
            journalBytesPerDocument: best.broker.journalBytesPerDocument,
            journalBytesSource: best.broker.journalBytesSource, latencyUnloaded: unloaded!, cells: cells)
    }

    private func runCell(credit: Int, perStage: Int, firstSequence: Int, measureLatency: Bool, batch: Int = 1)
        throws -> (Cell, LatencySummary?)
    {
        let batching = batch > 1 ? ", submits of \(batch)" : ""
        FileHandle.standardError.write(
            Data(
                "docpipe-bench: pipeline, credit \(credit), \(perStage) workers/stage\(batching), \(documents) documents…\n"
                    .utf8))
        let sharedJournal = try journal?()
        let broker = try BrokerProcess(
            config: BrokerProcess.config(stages: Self.stages), label: "pipeline",
            timeoutSeconds: timeoutSeconds, journal: sharedJournal)
        let context = Context()
        let reports = try Socket(context, .pull)
        var pool: [ChildProcess] = []
        defer {
            for worker in pool { worker.stop(graceSeconds: 1) }
            broker.stop()
            reports.close()
        }
        if sharedJournal != nil {
            // On a shared journal the broker answers as a standby until it holds the lease, and a standby
            // turns workers away (DISCONNECT): a loaded machine can take seconds to get there.
            try broker.waitForStatus("the broker active on its journal", timeoutSeconds: timeoutSeconds) {
                $0.role == .active
            }
        }
        try reports.setLinger(milliseconds: 0)
        try reports.bind("tcp://127.0.0.1:*")
        let reportEndpoint = reports.lastEndpoint!
        for (index, stage) in Self.stages.enumerated() {
            let last = index == Self.stages.count - 1
            for number in 0..<perStage {
                pool.append(
                    try ChildProcess(
                        name: "noop-\(stage)-\(number)", executable: BenchPaths.bench,
                        arguments: [
                            "noop-worker", "--broker", broker.endpoint, "--service", stage, "--credit", "\(credit)",
                        ]
                            + (last ? ["--report", reportEndpoint] : []),
                        logFolder: broker.folder))
            }
        }
        try broker.waitForWorkers(Self.stages, count: perStage, timeoutSeconds: timeoutSeconds)
        let feeder = try PipelineFeeder(
            broker: broker, reports: reports, context: context, children: pool,
            timeoutSeconds: timeoutSeconds)
        var sequence = firstSequence
        var latency: LatencySummary?
        if measureLatency {
            let run = try feeder.push(count: latencySamples, window: 1, firstSequence: sequence)
            latency = LatencySummary(nanos: run.latencies)
            sequence += latencySamples
        } else {
            _ = try feeder.push(count: 100, window: 100, firstSequence: sequence)
            sequence += 100
        }
        let already = sequence - firstSequence
        try broker.waitForStatus("warm-up done", timeoutSeconds: timeoutSeconds) { $0.finishedTotal >= already }
        let workerPids = pool.map(\.pid)
        let before = try broker.counters()
        var machineBefore: MachineCost.Sample?
        let serverBefore = journalServerCpuMicros?()
        let run = try feeder.push(count: documents, window: inflight, firstSequence: sequence, batch: batch) {
            // After the documents are encoded: that is the bench's work, not the pipeline's.
            machineBefore = try MachineCost.Sample.take(workers: workerPids)
        }
        let machineAfter = try MachineCost.Sample.take(workers: workerPids)
        // The last transition is journalled just after the last stage replies: wait for the journal to agree.
        try broker.waitForStatus("all jobs done", timeoutSeconds: timeoutSeconds) {
            $0.finishedTotal >= already + documents
        }
        let after = try broker.counters()
        var cell = Cell(
            credit: credit, workersPerStage: perStage, submitBatch: batch, documents: documents, seconds: run.seconds,
            documentsPerSecond: Double(documents) / run.seconds,
            latency: LatencySummary(nanos: run.latencies),
            broker: BrokerCost(before: before, after: after, documents: documents))
        cell.acknowledgementLagMs = run.acknowledgementLagSeconds * 1000
        if let machineBefore {
            cell.machine = MachineCost(before: machineBefore, after: machineAfter, documents: documents)
        }
        if let serverBefore, let serverAfter = journalServerCpuMicros?(), serverAfter >= serverBefore {
            cell.journalServerCpuMicrosPerDocument = Double(serverAfter - serverBefore) / Double(documents)
        }
        return (cell, latency)
    }

    /// A distinct ~2.3 KB text document carrying its sequence number for the last stage to report.
    static func document(_ sequence: Int) -> Document {
        let heading = "bench document \(sequence)\n"
        let filler = String(
            repeating: "The quick brown fox jumps over the lazy dog. ",
            count: documentBytes / 45 + 1)
        let content = heading + filler.prefix(documentBytes - heading.utf8.count)
        return Document(
            name: "bench-\(sequence).txt", contentType: "text/plain", content: content,
            metadata: [NoopWorker.sequenceKey: String(sequence)])
    }
}

/// Submits documents to a broker and hears from the last stage when each is through.
final class PipelineFeeder {
    private let client: Socket
    private let reports: Socket
    private let children: [ChildProcess]
    private let timeoutSeconds: Int

    init(broker: BrokerProcess, reports: Socket, context: Context, children: [ChildProcess], timeoutSeconds: Int)
        throws
    {
        client = try Socket(context, .dealer)
        try client.setLinger(milliseconds: 0)
        // The window may exceed the default high-water mark; a send stuck for 10 s fails instead of hanging.
        try client.setSendHighWaterMark(100_000)
        try client.setSendTimeout(milliseconds: 10_000)
        try client.connect(broker.endpoint)
        self.reports = reports
        self.children = [broker.child] + children
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { client.close() }

    /// Submits `count` documents keeping at most `window` unfinished, until each has left the last stage
    /// and its submit has been acknowledged (the broker sends the 202 once the job's record is durable, and
    /// may dispatch the job before that: with a slow journal, documents can leave the last stage before
    /// their submit is acknowledged). A document is unfinished until both have happened.
    /// Returns each job's submit-to-last-stage time, the span from first submit to the later of the last
    /// finish and the last acknowledgement, and how long after the last finish that acknowledgement came.
    /// A SubmitRequest (or SubmitBatchRequest) around already-encoded documents: the bytes `WireJSON.encode`
    /// gives for the same values (keys sorted).
    static func submitBody(_ documents: ArraySlice<Data>, batch: Bool) -> Data {
        var body = Data(capacity: documents.reduce(64) { $0 + $1.count + 1 })
        body.append(contentsOf: (batch ? #"{"documents":["# : #"{"document":"#).utf8)
        for (index, document) in documents.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(document)
        }
        body.append(contentsOf: (batch ? "]," : ",").utf8)
        body.append(contentsOf: #""pipeline":"default","v":1}"#.utf8)
        return body
    }

    /// Whether a reply body is a SubmitReply with status 202.
    static func isAccepted(_ body: Data?) -> Bool {
        guard let body, let members = try? RawJSON.objectMembers(body),
            let status = members.first(where: { $0.key == "status" })
        else { return false }
        return body[(body.startIndex + status.value.lowerBound)..<(body.startIndex + status.value.upperBound)]
            == Data("202".utf8)
    }

    /// `batch` documents go in one `docpipe.submit` request (1: the single-document form), as `docpipe
    /// submit` of a folder sends them; every document of a batch is timed from the batch's send.
    /// `atStart` runs once the documents are encoded, just before the clock starts.
    func push(count: Int, window: Int, firstSequence: Int, batch: Int = 1, atStart: () throws -> Void = {}) throws
        -> (latencies: [UInt64], seconds: Double, acknowledgementLagSeconds: Double)
    {
        // The documents are encoded before the clock starts and each request is put together from those
        // bytes: on two shared cores the feeder's JSONEncoder took CPU from the broker it is measuring.
        let documents = try (0..<count).map { try WireJSON.encode(PipelineBenchmark.document(firstSequence + $0)) }
        var submittedAt = [UInt64](repeating: 0, count: count)
        var finished = [Bool](repeating: false, count: count)
        var latencies: [UInt64] = []
        latencies.reserveCapacity(count)
        var submitted = 0
        var accepted = 0
        try atStart()
        let started = monotonicNanos()
        let deadline = started + UInt64(timeoutSeconds) * 1_000_000_000
        var lastFinish = started
        var lastAccepted = started
        var lastCheck = started
        while latencies.count < count || accepted < count {
            while submitted < count, submitted - min(latencies.count, accepted) < window {
                // As many documents as the window and the batch size allow, in one request when batching.
                let room = window - (submitted - min(latencies.count, accepted))
                let take = min(batch, room, count - submitted)
                let body = Self.submitBody(documents[submitted..<(submitted + take)], batch: batch > 1)
                let at = monotonicNanos()
                for index in submitted..<(submitted + take) { submittedAt[index] = at }
                guard try client.send(MDP.clientRequest(service: ServiceName.submit, body: [body])) else {
                    throw BenchError(message: "pipeline: the broker took no submit for 10 s")
                }
                submitted += take
            }
            let readable = try poll([client, reports], timeoutMilliseconds: 100)
            if readable[0] {
                while let frames = try client.receive(dontWait: true) {
                    let reply = try MDP.decodeAtClient(frames)
                    guard reply.service == ServiceName.submit else { continue }
                    if batch == 1 {
                        // The 202 is recognised by its status; anything else is decoded to say what it was.
                        if !Self.isAccepted(reply.body.first) {
                            _ = try DocpipeClient.decodeReply(reply.body, as: SubmitReply.self)
                        }
                        accepted += 1
                    } else {
                        let answer = try DocpipeClient.decodeReply(reply.body, as: SubmitBatchReply.self)
                        if let refused = answer.jobs.lazy.compactMap(\.error).first {
                            throw BenchError(message: "pipeline: a batched document was refused: \(refused.message)")
                        }
                        accepted += answer.jobs.count
                    }
                    lastAccepted = monotonicNanos()
                }
            }
            if readable[1] {
                while let frames = try reports.receive(dontWait: true) {
                    // A fourth frame (which broker of a failover pair the job came from) is not needed here.
                    guard frames.count >= 3, let sequence = frames[1].littleEndianUInt64,
                        let at = frames[2].littleEndianUInt64
                    else { throw BenchError(message: "pipeline: malformed report from the last stage") }
                    let index = Int(truncatingIfNeeded: sequence) - firstSequence
                    // At-least-once delivery may report a job twice, and a late warm-up job may arrive: count once.
                    guard finished.indices.contains(index), !finished[index] else { continue }
                    finished[index] = true
                    latencies.append(at - submittedAt[index])
                    lastFinish = max(lastFinish, at)
                }
            }
            let now = monotonicNanos()
            if now - lastCheck > 500_000_000 {
                lastCheck = now
                for child in children { try child.checkRunning() }
            }
            guard now < deadline else {
                throw BenchError(
                    message: "pipeline: after \(timeoutSeconds) s, \(accepted) of \(count) submits "
                        + "accepted and \(latencies.count) jobs through all stages; "
                        + "raise --timeout or lower --documents")
            }
        }
        let end = max(lastFinish, lastAccepted)
        return (
            latencies, Double(end - started) / 1e9,
            lastAccepted > lastFinish ? Double(lastAccepted - lastFinish) / 1e9 : 0
        )
    }
}

extension BrokerStatus {
    /// Jobs done since the journal began, from the broker's `done` counter: `jobs.done` counts the done jobs
    /// the broker still retains, at most 100,000, so a run of 100,000 documents after a warm-up never saw
    /// it reach its total and timed out with every job done.
    var finishedTotal: Int { max(jobs.done, counters["done"] ?? 0) }
}
