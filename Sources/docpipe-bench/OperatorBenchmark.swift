import DocClient
import DocProtocol
import Foundation
import Synchronization
import ZeroMQ

/// Phase (c): how fast `docpipe status`, `docpipe workers` and `docpipe jobs` answer while the broker is
/// saturated — a client flooding submits until the broker answers 503 busy, four no-op stages draining.
///
/// The broker promises to answer operator queries from state it already holds; this is the figure that
/// shows it (the bar: under 100 ms).
struct OperatorBenchmark {
    var queries = 200
    var workersPerStage: Int
    /// Submits the flood keeps unanswered at once.
    var inflight: Int
    var timeoutSeconds: Int

    /// Figures from one run.
    struct Figures: Codable, Equatable {
        var queries: Int
        /// Submits the broker accepted per second while the queries ran.
        var acceptedPerSecond: Double
        /// Submits refused with 503 busy while the queries ran: the broker really was at its bound.
        var busyReplies: Int
        var status: LatencySummary
        var workers: LatencySummary
        var jobs: LatencySummary

        enum CodingKeys: String, CodingKey {
            case queries, status, workers, jobs
            case acceptedPerSecond = "accepted_per_second"
            case busyReplies = "busy_replies"
        }
    }

    /// Counters the flood thread updates and the measuring thread reads.
    private final class FloodCounts: Sendable {
        let accepted = Atomic<Int>(0)
        let busy = Atomic<Int>(0)
    }

    func run() throws -> Figures {
        FileHandle.standardError.write(Data("docpipe-bench: operator queries while saturated…\n".utf8))
        let context = Context()
        let stages = PipelineBenchmark.stages
        // The default bound on unfinished jobs (10,000), so the flood meets 503 busy as a deployment would.
        let broker = try BrokerProcess(
            config: BrokerProcess.config(stages: stages, maxJobs: 10_000),
            label: "operator", timeoutSeconds: timeoutSeconds)
        var pool: [ChildProcess] = []
        defer {
            for worker in pool { worker.stop(graceSeconds: 1) }
            broker.stop()
        }
        for stage in stages {
            for number in 0..<workersPerStage {
                pool.append(
                    try ChildProcess(
                        name: "noop-\(stage)-\(number)", executable: BenchPaths.bench,
                        arguments: ["noop-worker", "--broker", broker.endpoint, "--service", stage, "--credit", "1"],
                        logFolder: broker.folder))
            }
        }
        let stop = StopFlag()
        let counts = FloodCounts()
        var flood: BenchThread?
        var figures: Figures?
        var failure: (any Error)?
        do {
            try broker.waitForWorkers(stages, count: workersPerStage, timeoutSeconds: timeoutSeconds)
            let endpoint = broker.endpoint
            let window = inflight
            flood = BenchThread(name: "bench-flood") {
                try Self.flood(endpoint: endpoint, context: context, window: window, stop: stop, counts: counts)
            }
            // Let the queues fill before measuring.
            let client = try DocpipeClient(broker: broker.endpoint, timeoutMs: timeoutSeconds * 1000)
            let deadline = monotonicNanos() + UInt64(timeoutSeconds) * 1_000_000_000
            while try client.status().totals.map({ $0.queued < window / 2 }) ?? true,
                counts.busy.load(ordering: .relaxed) == 0
            {
                guard monotonicNanos() < deadline else {
                    throw BenchError(message: "operator: the flood never filled a queue")
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            let acceptedBefore = counts.accepted.load(ordering: .relaxed)
            let busyBefore = counts.busy.load(ordering: .relaxed)
            let started = monotonicNanos()
            var status: [UInt64] = []
            var workers: [UInt64] = []
            var jobs: [UInt64] = []
            let listJobs = try WireJSON.encode(JobListRequest(limit: 50))
            for _ in 0..<queries {
                status.append(try timed { _ = try client.status() })
                workers.append(
                    try timed {
                        let reply = try client.mdp.request(
                            service: ServiceName.workers, body: [Data("{}".utf8)],
                            timeoutMs: client.timeoutMs)
                        _ = try DocpipeClient.decodeReply(reply, as: WorkerList.self)
                    })
                jobs.append(
                    try timed {
                        let reply = try client.mdp.request(
                            service: ServiceName.jobs, body: [listJobs], timeoutMs: client.timeoutMs)
                        _ = try DocpipeClient.decodeReply(reply, as: JobList.self)
                    })
                Thread.sleep(forTimeInterval: 0.005)
            }
            let seconds = Double(monotonicNanos() - started) / 1e9
            figures = Figures(
                queries: queries,
                acceptedPerSecond: Double(counts.accepted.load(ordering: .relaxed) - acceptedBefore) / seconds,
                busyReplies: counts.busy.load(ordering: .relaxed) - busyBefore,
                status: LatencySummary(nanos: status), workers: LatencySummary(nanos: workers),
                jobs: LatencySummary(nanos: jobs))
        } catch {
            failure = error
        }
        stop.raise()
        if let flood, !flood.join(timeoutSeconds: 5) { failure = failure ?? BenchError(message: "flood did not stop") }
        if let error = flood?.error { failure = failure ?? BenchError(message: "flood failed: \(error)") }
        // The backlog (up to 10,000 jobs) is not drained: the broker is a child with a throw-away journal,
        // stopped by pid with a short shutdown grace (BrokerProcess.config).
        if let failure { throw failure }
        return figures!
    }

    private func timed(_ body: () throws -> Void) throws -> UInt64 {
        let started = monotonicNanos()
        try body()
        return monotonicNanos() - started
    }

    /// Keeps `window` submits unanswered until stopped; a 503 busy reply is counted and the slot reused.
    private static func flood(endpoint: String, context: Context, window: Int, stop: StopFlag, counts: FloodCounts)
        throws
    {
        let socket = try Socket(context, .dealer)
        defer { socket.close() }
        try socket.setLinger(milliseconds: 0)
        try socket.connect(endpoint)
        var outstanding = 0
        var sequence = 0
        while !stop.isRaised {
            while outstanding < window {
                let body = try WireJSON.encode(
                    SubmitRequest(document: PipelineBenchmark.document(1_000_000 + sequence)))
                try socket.send(MDP.clientRequest(service: ServiceName.submit, body: [body]))
                outstanding += 1
                sequence += 1
            }
            guard try poll([socket], timeoutMilliseconds: 20)[0] else { continue }
            while let frames = try socket.receive(dontWait: true) {
                outstanding -= 1
                guard let reply = try? MDP.decodeAtClient(frames), let data = reply.body.first,
                    let head = try? WireJSON.decode(ReplyHead.self, from: data)
                else { continue }
                if head.status.isSuccess {
                    counts.accepted.add(1, ordering: .relaxed)
                } else if head.status == .busy {
                    counts.busy.add(1, ordering: .relaxed)
                    // The broker asked for a pause; a real client waits, and so does this one, briefly.
                    Thread.sleep(forTimeInterval: 0.002)
                }
            }
        }
    }
}
