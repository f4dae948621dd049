import BrokerCore
import DocBroker
import DocClient
import DocProtocol
import Foundation
import ZeroMQ

/// The built-in workers as a deployment runs them: the `docpipe-extractor`, `-classifier`, `-summarizer`
/// and `-storage-writer` executables against a `docpipe broker`, on the files in seeds/ repeated.
struct RealWorkersBenchmark {
    var documents: Int
    var extractorCounts: [Int]
    var timeoutSeconds: Int
    var folder = "seeds"

    struct Run: Codable, Equatable {
        var extractors: Int
        var documents: Int
        var seconds: Double
        var documentsPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case extractors, documents, seconds
            case documentsPerSecond = "documents_per_second"
        }
    }

    /// Nil when seeds/ is not there (the bench was started outside the repository).
    func run() throws -> [Run]? {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        let seeds = names.compactMap { name in
            FileManager.default.contents(atPath: "\(folder)/\(name)").map { (name, $0) }
        }
        guard !seeds.isEmpty else { return nil }
        // The submit bodies are made once: the clock measures the workers and the broker, not JSON encoding.
        let bodies = try (0..<documents).map { index in
            let (name, bytes) = seeds[index % seeds.count]
            return try WireJSON.encode(SubmitRequest(document: Document(bytes: bytes, name: "\(index)-\(name)")))
        }
        return try extractorCounts.map { try runOnce(extractors: $0, bodies: bodies) }
    }

    private func runOnce(extractors: Int, bodies: [Data]) throws -> Run {
        FileHandle.standardError.write(
            Data(
                "docpipe-bench: built-in workers, \(extractors) extractors, \(bodies.count) documents…\n".utf8))
        let broker = try BrokerProcess(
            config: BrokerProcess.config(stages: nil), label: "workers",
            timeoutSeconds: timeoutSeconds)
        var pool: [ChildProcess] = []
        defer {
            for worker in pool { worker.stop(graceSeconds: 3) }
            broker.stop()
        }
        let plan = [("extractor", extractors), ("classifier", 1), ("summarizer", 1), ("storage-writer", 1)]
        for (name, count) in plan {
            for number in 0..<count {
                pool.append(
                    try ChildProcess(
                        name: "\(name)-\(number)", executable: try BenchPaths.executable("docpipe-\(name)"),
                        arguments: [
                            "--broker", broker.endpoint, "--data", broker.folder.path, "--log-level", "warning",
                        ],
                        logFolder: broker.folder))
            }
        }
        let services = PipelineDefinition.standard.stages.map(\.service)
        try broker.waitForWorkers(services, count: 1, timeoutSeconds: timeoutSeconds)
        try broker.waitForWorkers([services[0]], count: extractors, timeoutSeconds: timeoutSeconds)

        let context = Context()
        let client = try Socket(context, .dealer)
        defer { client.close() }
        try client.setLinger(milliseconds: 0)
        try client.setSendHighWaterMark(100_000)
        try client.setSendTimeout(milliseconds: 10_000)
        try client.connect(broker.endpoint)
        let started = monotonicNanos()
        for body in bodies {
            guard try client.send(MDP.clientRequest(service: ServiceName.submit, body: [body])) else {
                throw BenchError(message: "built-in workers: the broker took no submit for 10 s")
            }
        }
        try broker.waitForStatus(
            "\(bodies.count) documents through the built-in workers",
            timeoutSeconds: timeoutSeconds
        ) { $0.jobs.done >= bodies.count }
        let seconds = Double(monotonicNanos() - started) / 1e9
        return Run(
            extractors: extractors, documents: bodies.count, seconds: seconds,
            documentsPerSecond: Double(bodies.count) / seconds)
    }
}
