import DocProtocol
import Foundation
import ZeroMQ

/// A raw MDP/0.1 worker on its own DEALER socket and thread, doing no work: the cheapest worker
/// possible, so the figures measure the broker and the transport rather than a plugin.
///
/// WorkerKit is deliberately not used: its extra machinery would be part of what is measured.
final class NoopWorker {
    /// What the worker answers.
    enum Behaviour: Sendable {
        /// Sends the request body straight back.
        case echo
        /// Decodes a `StageRequest` and answers `StageResult.ok` with an empty object.
        case stage
        /// As `stage`, and also reports `(bench sequence number, reply time)` on a PUSH socket to
        /// `endpoint`, so the client learns when each job left its last stage.
        case lastStage(reportingTo: String)
    }

    /// Metadata key carrying the client's sequence number through the pipeline.
    static let sequenceKey = "bench_seq"

    private let stopFlag = StopFlag()
    private let thread: BenchThread

    init(service: String, behaviour: Behaviour, broker: String, context: Context, index: Int,
         curve: CurveClientKeys? = nil) {
        let stopFlag = self.stopFlag
        thread = BenchThread(name: "bench-worker-\(service)-\(index)") {
            try Self.run(service: service, behaviour: behaviour, broker: broker, context: context, stop: stopFlag,
                         curve: curve)
        }
    }

    /// Asks the worker to send DISCONNECT and close; pair with `join`.
    func stop() { stopFlag.raise() }

    /// Waits for the worker's thread; throws if it failed or did not end in time.
    func join() throws {
        guard thread.join(timeoutSeconds: 3) else { throw BenchError(message: "\(thread.name) did not stop within 3 s") }
        if let error = thread.error { throw BenchError(message: "\(thread.name) failed: \(error)") }
    }

    // MARK: the worker thread

    private static let heartbeatIntervalNanos: UInt64 = 2_500_000_000

    private static func run(
        service: String, behaviour: Behaviour, broker: String, context: Context, stop: StopFlag,
        curve: CurveClientKeys?
    ) throws {
        let socket = try Socket(context, .dealer)
        defer { socket.close() }
        try socket.setLinger(milliseconds: 0)
        // A blocking receive that gives up now and then, so the stop flag and heartbeats are noticed.
        try socket.setReceiveTimeout(milliseconds: 50)
        try curve?.apply(to: socket)
        try socket.connect(broker)
        var reports: Socket?
        defer { reports?.close() }
        if case .lastStage(let endpoint) = behaviour {
            let push = try Socket(context, .push)
            try push.setLinger(milliseconds: 0)
            // The reader keeps at most --inflight jobs unfinished, so reports never pile up; a send that
            // still cannot go out within a second means the reader is gone, and must not hang the worker.
            try push.setSendTimeout(milliseconds: 1_000)
            try push.connect(endpoint)
            reports = push
        }

        try socket.send(MDP.ready(service: service))
        var lastSent = monotonicNanos()
        while !stop.isRaised {
            if let frames = try socket.receive() {
                switch try MDP.decodeAtWorker(frames) {
                case .request(let client, let body):
                    let reply = try answer(body, behaviour: behaviour, reports: reports)
                    try socket.send(MDP.reply(client: client, body: reply))
                case .heartbeat:
                    try socket.send(MDP.heartbeat)
                case .disconnect:
                    throw BenchError(message: "broker disconnected worker for '\(service)'")
                }
                lastSent = monotonicNanos()
            }
            if monotonicNanos() - lastSent >= heartbeatIntervalNanos {
                try socket.send(MDP.heartbeat)
                lastSent = monotonicNanos()
            }
        }
        try socket.send(MDP.disconnect, dontWait: true)
    }

    private static func answer(_ body: [Data], behaviour: Behaviour, reports: Socket?) throws -> [Data] {
        if case .echo = behaviour { return body }
        let request = try WireJSON.decodeMessage(StageRequest.self, from: body.first ?? Data())
        let result = StageResult.ok(jobID: request.jobID, stage: request.stage, output: .object([:]))
        let encoded = try WireJSON.encode(result)
        if let reports, let text = request.document.metadata[sequenceKey], let sequence = UInt64(text) {
            // Stamped just before the reply goes out: this is when the job's last stage is done.
            guard try reports.send([Data(littleEndian: sequence), Data(littleEndian: monotonicNanos())]) else {
                throw BenchError(message: "nobody read the last-stage report for document \(sequence) within 1 s")
            }
        }
        return [encoded]
    }
}

extension Data {
    /// The 8 bytes of a `UInt64`, little-endian.
    init(littleEndian value: UInt64) {
        self = Swift.withUnsafeBytes(of: value.littleEndian) { Data($0) }
    }

    /// Reads a little-endian `UInt64` from the first 8 bytes; nil when there are fewer.
    var littleEndianUInt64: UInt64? {
        guard count >= 8 else { return nil }
        var value: UInt64 = 0
        Swift.withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: prefix(8)) }
        return UInt64(littleEndian: value)
    }
}
