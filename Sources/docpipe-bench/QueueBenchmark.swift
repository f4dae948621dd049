import DocClient
import DocProtocol
import Foundation
import ZeroMQ

/// How much memory the broker needs to hold a backlog: `documents` jobs submitted with no worker
/// connected, then the broker process's peak resident set (VmHWM).
struct QueueBenchmark {
    var documents: Int
    var timeoutSeconds: Int

    struct Figures: Codable, Equatable {
        var documents: Int
        var documentBytes: Int
        var seconds: Double
        var acceptedPerSecond: Double
        var peakRssMiB: Double

        enum CodingKeys: String, CodingKey {
            case documents, seconds
            case documentBytes = "document_bytes"
            case acceptedPerSecond = "accepted_per_second"
            case peakRssMiB = "peak_rss_mib"
        }
    }

    func run() throws -> Figures {
        FileHandle.standardError.write(Data("docpipe-bench: queueing \(documents) documents, no workers…\n".utf8))
        let broker = try BrokerProcess(
            config: BrokerProcess.config(
                stages: PipelineBenchmark.stages,
                maxJobs: max(documents * 2, 10_000)),
            label: "queue", timeoutSeconds: timeoutSeconds)
        defer { broker.stop() }
        let context = Context()
        let client = try Socket(context, .dealer)
        defer { client.close() }
        try client.setLinger(milliseconds: 0)
        try client.setSendTimeout(milliseconds: 10_000)
        try client.connect(broker.endpoint)
        let window = 512
        var submitted = 0
        var accepted = 0
        let started = monotonicNanos()
        let deadline = started + UInt64(timeoutSeconds) * 1_000_000_000
        var lastCheck = started
        while accepted < documents {
            while submitted < documents, submitted - accepted < window {
                let body = try WireJSON.encode(SubmitRequest(document: PipelineBenchmark.document(submitted)))
                guard try client.send(MDP.clientRequest(service: ServiceName.submit, body: [body])) else {
                    throw BenchError(message: "queue: the broker took no submit for 10 s")
                }
                submitted += 1
            }
            if try poll([client], timeoutMilliseconds: 100)[0] {
                while let frames = try client.receive(dontWait: true) {
                    let reply = try MDP.decodeAtClient(frames)
                    _ = try DocpipeClient.decodeReply(reply.body, as: SubmitReply.self)
                    accepted += 1
                }
            }
            let now = monotonicNanos()
            if now - lastCheck > 500_000_000 {
                lastCheck = now
                try broker.child.checkRunning()
            }
            guard now < deadline else {
                throw BenchError(
                    message: "queue: \(accepted) of \(documents) submits accepted in \(timeoutSeconds) s; "
                        + "raise --timeout or lower --queue-documents")
            }
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        try broker.waitForStatus("\(documents) jobs queued", timeoutSeconds: timeoutSeconds) {
            $0.jobs.queued + $0.jobs.running >= documents
        }
        let peak = try ProcessCounters.peakResidentBytes(pid: broker.pid)
        return Figures(
            documents: documents, documentBytes: PipelineBenchmark.documentBytes, seconds: seconds,
            acceptedPerSecond: Double(documents) / seconds, peakRssMiB: Double(peak) / 1_048_576)
    }
}
