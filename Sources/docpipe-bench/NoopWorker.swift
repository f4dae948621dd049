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
/// the first `"key"` followed by `:` and a string, and gives up on escaped quotes rather than guess. The
/// search runs in libc (`memchr`, `memcmp`): a byte-at-a-time loop here was a third of a no-op worker's
/// CPU (perf, the journal phase), charged to the same two cores the broker runs on.
enum JSONScan {
    static func stringValue(of key: String, in data: Data) -> String? {
        var needle = "\"\(key)\""
        return needle.withUTF8 { needle in
            data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> String? in
                guard let base = bytes.baseAddress, needle.count > 0 else { return nil }
                let count = bytes.count
                var from = 0
                // Each quote is a candidate (libc's SIMD `memchr`), compared with the key by `memcmp`.
                while from + needle.count <= count,
                    let hit = memchr(base + from, Int32(UInt8(ascii: "\"")), count - from)
                {
                    let index = base.distance(to: UnsafeRawPointer(hit))
                    guard index + needle.count <= count,
                        memcmp(base + index, needle.baseAddress!, needle.count) == 0
                    else {
                        from = index + 1
                        continue
                    }
                    var cursor = skipSpace(bytes, index + needle.count)
                    guard cursor < count, bytes[cursor] == UInt8(ascii: ":") else {
                        from = index + 1
                        continue
                    }
                    cursor = skipSpace(bytes, cursor + 1)
                    guard cursor < count, bytes[cursor] == UInt8(ascii: "\"") else { return nil }
                    let start = cursor + 1
                    guard
                        let close = memchr(base + start, Int32(UInt8(ascii: "\"")), count - start)
                    else { return nil }
                    let end = base.distance(to: UnsafeRawPointer(close))
                    let value = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                    guard memchr(base + start, Int32(UInt8(ascii: "\\")), end - start) == nil else {
                        return nil
                    }
                    return String(decoding: value, as: UTF8.self)
                }
                return nil
            }
        }
    }

    private static func skipSpace(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
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
