import DocProtocol
import Foundation
import ZeroMQ

/// A pipeline stage that does nothing: MDP/0.1 on a DEALER, READY carrying `credit` in docpipe's
/// identity frame, and each REQUEST answered at once with a minimal `StageResult`.
///
/// The request is not decoded: `job_id`, `stage` (and the bench's sequence number) are found by a
/// byte scan, so the worker costs microseconds and the figures show the broker. With `report`, the
/// worker is a last stage and PUSHes `[job ID, bench sequence, CLOCK_MONOTONIC ns]` per job it answers.
struct NoopWorker {
    var broker: String
    var service: String
    var credit: Int
    var report: String?

    /// Metadata key carrying the bench's sequence number through the pipeline.
    static let sequenceKey = "bench_seq"
    fileprivate static let heartbeatNanos: UInt64 = 2_500_000_000

    /// How soon a worker turned away by a standby (DISCONNECT) sends READY to it again.
    static let standbyRetryNanos: UInt64 = 50_000_000

    func run() throws {
        let endpoints = broker.split(separator: ",").map(String.init)
        if endpoints.count > 1 { return try runAttachedToAll(endpoints) }
        let context = Context()
        let socket = try Socket(context, .dealer)
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveTimeout(milliseconds: 100)
        try socket.connect(broker)
        var reports: Socket?
        if let report {
            let push = try Socket(context, .push)
            try push.setLinger(milliseconds: 1_000)
            // The reader keeps a bounded window unfinished; a send blocked for 5 s means the bench is gone.
            try push.setSendTimeout(milliseconds: 5_000)
            try push.connect(report)
            reports = push
        }
        let identity = WorkerIdentity(
            host: ProcessInfo.processInfo.hostName,
            pid: Int(ProcessInfo.processInfo.processIdentifier),
            version: ProtocolVersion.release, credit: credit)
        _ = try socket.send(MDP.ready(service: service, identity: identity))
        var lastSent = monotonicNanos()
        var watch = ParentWatch()
        while true {
            if let frames = try socket.receive() {
                switch try MDP.decodeAtWorker(frames) {
                case .request(let client, let body):
                    let request = body.first ?? Data()
                    guard let jobID = JSONScan.stringValue(of: "job_id", in: request),
                        let stage = JSONScan.stringValue(of: "stage", in: request)
                    else { throw BenchError(message: "noop worker: a request without job_id or stage") }
                    let result =
                        "{\"v\":\(ProtocolVersion.current),\"job_id\":\"\(jobID)\",\"stage\":\"\(stage)\","
                        + "\"status\":\"ok\",\"output\":{}}"
                    _ = try socket.send(MDP.reply(client: client, body: [Data(result.utf8)]))
                    if let reports {
                        let sequence = JSONScan.stringValue(of: Self.sequenceKey, in: request).flatMap { UInt64($0) }
                        let sent = try reports.send([
                            Data(jobID.utf8), Data(littleEndian: sequence ?? .max),
                            Data(littleEndian: monotonicNanos()),
                        ])
                        guard sent else { throw BenchError(message: "noop worker: nobody read the report for 5 s") }
                    }
                case .heartbeat:
                    _ = try socket.send(MDP.heartbeat)
                case .disconnect:
                    throw BenchError(message: "the broker disconnected noop worker for '\(service)'")
                }
                lastSent = monotonicNanos()
            }
            if monotonicNanos() - lastSent >= Self.heartbeatNanos {
                _ = try socket.send(MDP.heartbeat)
                lastSent = monotonicNanos()
            }
            watch.exitIfOrphaned()
        }
    }
}

extension NoopWorker {
    /// Brokers sharing a journal (`--broker A,B`): one DEALER per broker, READY sent to each. The active
    /// one serves; a standby answers DISCONNECT, and READY goes to it again every ``standbyRetryNanos``,
    /// so the worker is serving the new active broker within that time of its takeover. A dead broker is
    /// simply never heard from again (no liveness timeout: the bench measures the brokers' failover, not
    /// the worker's detection of a dead peer). Reports carry a fourth frame: the index of the broker the
    /// job came from.
    private func runAttachedToAll(_ endpoints: [String]) throws {
        let context = Context()
        let identity = WorkerIdentity(
            host: ProcessInfo.processInfo.hostName,
            pid: Int(ProcessInfo.processInfo.processIdentifier),
            version: ProtocolVersion.release, credit: credit)
        var sockets: [Socket] = []
        for endpoint in endpoints {
            let socket = try Socket(context, .dealer)
            try socket.setLinger(milliseconds: 0)
            // A dead broker's pipe must not block the worker: drop what cannot be sent within 100 ms.
            try socket.setSendTimeout(milliseconds: 100)
            try socket.connect(endpoint)
            sockets.append(socket)
        }
        var reports: Socket?
        if let report {
            let push = try Socket(context, .push)
            try push.setLinger(milliseconds: 1_000)
            try push.setSendTimeout(milliseconds: 5_000)
            try push.connect(report)
            reports = push
        }
        var lastSent = [UInt64](repeating: 0, count: sockets.count)
        // When READY is due on each socket (0: registered, nothing due).
        var readyDue = [UInt64](repeating: 0, count: sockets.count)
        for (index, socket) in sockets.enumerated() {
            _ = try socket.send(MDP.ready(service: service, identity: identity))
            lastSent[index] = monotonicNanos()
        }
        var watch = ParentWatch()
        while true {
            let readable = try poll(sockets, timeoutMilliseconds: 10)
            for (index, socket) in sockets.enumerated() where readable[index] {
                while let frames = try socket.receive(dontWait: true) {
                    switch try MDP.decodeAtWorker(frames) {
                    case .request(let client, let body):
                        let request = body.first ?? Data()
                        guard let jobID = JSONScan.stringValue(of: "job_id", in: request),
                            let stage = JSONScan.stringValue(of: "stage", in: request)
                        else { throw BenchError(message: "noop worker: a request without job_id or stage") }
                        let result =
                            "{\"v\":\(ProtocolVersion.current),\"job_id\":\"\(jobID)\",\"stage\":\"\(stage)\","
                            + "\"status\":\"ok\",\"output\":{}}"
                        _ = try socket.send(MDP.reply(client: client, body: [Data(result.utf8)]))
                        if let reports {
                            let sequence = JSONScan.stringValue(of: Self.sequenceKey, in: request)
                                .flatMap { UInt64($0) }
                            let sent = try reports.send([
                                Data(jobID.utf8), Data(littleEndian: sequence ?? .max),
                                Data(littleEndian: monotonicNanos()),
                                Data(littleEndian: UInt64(index)),
                            ])
                            guard sent else {
                                throw BenchError(message: "noop worker: nobody read the report for 5 s")
                            }
                        }
                    case .heartbeat:
                        _ = try socket.send(MDP.heartbeat)
                    case .disconnect:
                        readyDue[index] = monotonicNanos() + Self.standbyRetryNanos
                    }
                    lastSent[index] = monotonicNanos()
                }
            }
            let now = monotonicNanos()
            for (index, socket) in sockets.enumerated() {
                if readyDue[index] != 0 {
                    guard now >= readyDue[index] else { continue }
                    readyDue[index] = 0
                    _ = try socket.send(MDP.ready(service: service, identity: identity))
                    lastSent[index] = now
                } else if now - lastSent[index] >= Self.heartbeatNanos {
                    _ = try socket.send(MDP.heartbeat)
                    lastSent[index] = now
                }
            }
            watch.exitIfOrphaned()
        }
    }
}

/// Finds a JSON string member by a byte scan, without decoding the document.
///
/// Good for the plain identifiers the broker writes (`job_id`, `stage`, the bench's metadata): it takes
/// the first `"key"` followed by `:` and a string, and gives up on escaped quotes rather than guess.
enum JSONScan {
    static func stringValue(of key: String, in data: Data) -> String? {
        let needle = Array("\"\(key)\"".utf8)
        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> String? in
            let count = bytes.count
            var index = 0
            while index + needle.count <= count {
                if bytes[index] == needle[0], matches(bytes, at: index, needle) {
                    var cursor = skipSpace(bytes, index + needle.count)
                    guard cursor < count, bytes[cursor] == UInt8(ascii: ":") else {
                        index += 1
                        continue
                    }
                    cursor = skipSpace(bytes, cursor + 1)
                    guard cursor < count, bytes[cursor] == UInt8(ascii: "\"") else { return nil }
                    let start = cursor + 1
                    var end = start
                    while end < count, bytes[end] != UInt8(ascii: "\"") {
                        if bytes[end] == UInt8(ascii: "\\") { return nil }
                        end += 1
                    }
                    guard end < count else { return nil }
                    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                }
                index += 1
            }
            return nil
        }
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, at index: Int, _ needle: [UInt8]) -> Bool {
        for offset in 0..<needle.count where bytes[index + offset] != needle[offset] { return false }
        return true
    }

    private static func skipSpace(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
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
