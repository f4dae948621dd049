import BrokerCore
import DocClient
import DocProtocol
import Foundation
import ZeroMQ

/// Phase (b): documents through a 4-stage pipeline of no-op workers, the broker journalling every step.
///
/// Latency is submit-sent to last-stage-replied: the last stage's workers stamp each job as they answer
/// and report it over an in-process PUSH socket, which is more exact than polling `docpipe.job`.
struct PipelineBenchmark {
    static let stages = ["noop1", "noop2", "noop3", "noop4"]
    static let documentBytes = 2_300

    var documents: Int
    var workersPerStage: Int
    /// Jobs submitted but not yet through the last stage, at most.
    var inflight: Int
    var timeoutSeconds: Int
    /// Documents sent one at a time before the throughput run: they warm connections and the journal,
    /// and their latency is the pipeline's own, with no queue in front of it.
    var unloadedSamples = 100

    /// Figures from one run.
    struct Figures: Codable, Equatable {
        var documents: Int
        var stages: Int
        var workersPerStage: Int
        var inflight: Int
        var documentBytes: Int
        var seconds: Double
        var documentsPerSecond: Double
        /// Submit-to-done of each job in the throughput run, with up to `inflight` jobs queued ahead.
        var latency: LatencySummary
        /// One job at a time: four stage round trips and five journal commits, nothing queued.
        var latencyUnloaded: LatencySummary

        enum CodingKeys: String, CodingKey {
            case documents, stages, inflight, seconds, latency
            case workersPerStage = "workers_per_stage"
            case documentBytes = "document_bytes"
            case documentsPerSecond = "documents_per_second"
            case latencyUnloaded = "latency_unloaded"
        }
    }

    func run() throws -> Figures {
        let context = Context()
        // Closed only after the workers have stopped, so a last-stage report never waits for a reader.
        let reports = try Socket(context, .pull)
        defer { reports.close() }
        let broker = try BenchBroker(pipelines: ["default": PipelineDefinition(stages: Self.stages.map {
            StageDefinition(service: $0)
        })])
        var figures: Figures?
        var failure: (any Error)?
        var pool: [NoopWorker] = []
        do {
            try reports.setLinger(milliseconds: 0)
            let reportEndpoint = "inproc://docpipe-bench-done-\(UUID().uuidString)"
            try reports.bind(reportEndpoint)
            for (index, stage) in Self.stages.enumerated() {
                let behaviour: NoopWorker.Behaviour =
                    index == Self.stages.count - 1 ? .lastStage(reportingTo: reportEndpoint) : .stage
                pool += (0..<workersPerStage).map {
                    NoopWorker(service: stage, behaviour: behaviour, broker: broker.endpoint, context: context,
                               index: $0)
                }
            }
            try waitForWorkers(Dictionary(uniqueKeysWithValues: Self.stages.map { ($0, workersPerStage) }),
                               broker: broker.endpoint)

            let client = try Socket(context, .dealer)
            defer { client.close() }
            try client.setLinger(milliseconds: 0)
            try client.connect(broker.endpoint)
            let deadline = monotonicNanos() + UInt64(timeoutSeconds) * 1_000_000_000
            let unloaded = try push(count: unloadedSamples, window: 1, firstSequence: 0, client: client,
                                    reports: reports, deadline: deadline)
            let timed = try push(count: documents, window: inflight, firstSequence: unloadedSamples, client: client,
                                 reports: reports, deadline: deadline)
            try confirmDone(total: unloadedSamples + documents, broker: broker.endpoint)
            figures = Figures(
                documents: documents, stages: Self.stages.count, workersPerStage: workersPerStage,
                inflight: inflight, documentBytes: Self.documentBytes, seconds: timed.seconds,
                documentsPerSecond: Double(documents) / timed.seconds, latency: LatencySummary(nanos: timed.latencies),
                latencyUnloaded: LatencySummary(nanos: unloaded.latencies))
        } catch {
            failure = error
        }
        for worker in pool { worker.stop() }
        for worker in pool {
            do { try worker.join() } catch { failure = failure ?? error }
        }
        do { try broker.stop() } catch { failure = failure ?? error }
        if let failure { throw failure }
        return figures!
    }

    /// Submits `count` documents, keeping at most `window` unfinished, until every one has left the last stage.
    /// Returns each job's submit-to-done time and the span from first submit to last finish.
    private func push(
        count: Int, window: Int, firstSequence: Int, client: Socket, reports: Socket, deadline: UInt64
    ) throws
        -> (latencies: [UInt64], seconds: Double)
    {
        var submittedAt = [UInt64](repeating: 0, count: count)
        var finishedAt = [UInt64](repeating: 0, count: count)
        var latencies: [UInt64] = []
        latencies.reserveCapacity(count)
        var submitted = 0
        var accepted = 0
        let started = monotonicNanos()
        var lastFinish = started
        while latencies.count < count || accepted < count {
            while submitted < count, submitted - latencies.count < window {
                let body = try WireJSON.encode(SubmitRequest(document: Self.document(firstSequence + submitted)))
                submittedAt[submitted] = monotonicNanos()
                try client.send(MDP.clientRequest(service: ServiceName.submit, body: [body]))
                submitted += 1
            }
            let readable = try poll([client, reports], timeoutMilliseconds: 100)
            if readable[0] {
                while let frames = try client.receive(dontWait: true) {
                    let reply = try MDP.decodeAtClient(frames)
                    guard reply.service == ServiceName.submit else { continue }
                    _ = try DocpipeClient.decodeReply(reply.body, as: SubmitReply.self)
                    accepted += 1
                }
            }
            if readable[1] {
                while let frames = try reports.receive(dontWait: true) {
                    guard frames.count == 2, let sequence = frames[0].littleEndianUInt64,
                          let at = frames[1].littleEndianUInt64
                    else { throw BenchError(message: "pipeline: malformed report from the last stage") }
                    let index = Int(sequence) - firstSequence
                    // At-least-once delivery may report a job twice; count it once.
                    guard submittedAt.indices.contains(index), finishedAt[index] == 0 else { continue }
                    finishedAt[index] = at
                    latencies.append(at - submittedAt[index])
                    lastFinish = max(lastFinish, at)
                }
            }
            guard monotonicNanos() < deadline else {
                throw BenchError(message: "pipeline: after \(timeoutSeconds) s, \(accepted) of \(count) submits "
                                 + "accepted and \(latencies.count) jobs through all stages; "
                                 + "raise --timeout or lower --documents")
            }
        }
        return (latencies, Double(lastFinish - started) / 1e9)
    }

    /// The journal must agree: every job done, none failed (the last transition lands just after the reply).
    private func confirmDone(total: Int, broker endpoint: String) throws {
        let client = try DocpipeClient(broker: endpoint, timeoutMs: 2_000)
        let deadline = monotonicNanos() + 5_000_000_000
        while true {
            let jobs = try client.status().jobs
            if jobs.failed > 0 { throw BenchError(message: "pipeline: \(jobs.failed) jobs failed") }
            if jobs.done == total { return }
            guard monotonicNanos() < deadline else {
                throw BenchError(message: "pipeline: journal shows \(jobs.done) of \(total) jobs done after 5 s")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// A distinct ~2.3 KB text document carrying its sequence number for the last stage to report.
    static func document(_ sequence: Int) -> Document {
        let heading = "bench document \(sequence)\n"
        let filler = String(repeating: "The quick brown fox jumps over the lazy dog. ",
                            count: documentBytes / 45 + 1)
        let content = heading + filler.prefix(documentBytes - heading.utf8.count)
        return Document(name: "bench-\(sequence).txt", contentType: "text/plain", content: content,
                        metadata: [NoopWorker.sequenceKey: String(sequence)])
    }
}
