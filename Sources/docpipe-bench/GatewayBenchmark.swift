import DocClient
import DocProtocol
import Foundation
import Synchronization

/// `POST /v1/documents` through `docpipe gateway` next to `docpipe.submit` through MDP, same run, same
/// broker, same documents, same number of concurrent callers (#16).
///
/// The broker's one pipeline stage has no worker, so every accepted job stays queued and the figures are
/// the submit path alone: HTTP parse, the gateway's broker lane, the broker's journal commit, the reply.
/// Each HTTP caller keeps one connection alive (as a client library would); each MDP caller has its own
/// `DocpipeClient`. Every request waits for its answer before the next: the figure is requests/s at that
/// concurrency, with the latency of each.
struct GatewayBenchmark {
    var requests: Int
    var callers: Int
    var timeoutSeconds: Int

    struct Side: Codable, Equatable {
        var requestsPerSecond: Double
        var latency: LatencySummary

        enum CodingKeys: String, CodingKey {
            case latency
            case requestsPerSecond = "requests_per_second"
        }
    }

    struct Figures: Codable, Equatable {
        var requests: Int
        var callers: Int
        var documentBytes: Int
        var gatewayLanes: Int
        var http: Side
        var mdp: Side
        /// HTTP requests/s over MDP requests/s.
        var ratio: Double

        enum CodingKeys: String, CodingKey {
            case requests, callers, http, mdp, ratio
            case documentBytes = "document_bytes"
            case gatewayLanes = "gateway_lanes"
        }
    }

    static let lanes = 8

    func run() throws -> Figures {
        say("gateway: a broker with no workers, and docpipe gateway in front of it…")
        let broker = try BrokerProcess(
            config: BrokerProcess.config(stages: ["unserved"]), label: "gateway",
            timeoutSeconds: timeoutSeconds)
        defer { broker.stop() }
        let port = try freeLoopbackPort()
        let gateway = try ChildProcess(
            name: "gateway", executable: try BenchPaths.executable("docpipe"),
            arguments: [
                "gateway", "--listen", "127.0.0.1:\(port)", "--broker", broker.endpoint,
                "--data", broker.folder.path, "--lanes", "\(Self.lanes)", "--log-level", "warning",
            ],
            logFolder: broker.folder)
        defer { gateway.stop(graceSeconds: 5) }
        try waitForHealth(port: port, gateway: gateway)

        say("gateway: \(requests) POST /v1/documents by \(callers) callers…")
        let http = try measure { caller in
            let connection = try KeepAliveHTTP(port: port)
            return { sequence in
                let body = Array(PipelineBenchmark.document(sequence).content.utf8)
                let status = try connection.post("/v1/documents", contentType: "text/plain", body: body)
                guard status == 202 else { throw BenchError(message: "gateway: POST answered \(status)") }
            }
        }
        say("gateway: \(requests) docpipe.submit through MDP by \(callers) callers…")
        let endpoint = broker.endpoint
        let mdp = try measure { _ in
            let client = try DocpipeClient(broker: endpoint, timeoutMs: 10_000)
            return { sequence in
                _ = try client.submit(SubmitRequest(document: PipelineBenchmark.document(sequence)), busyWaitMs: 0)
            }
        }
        return Figures(
            requests: requests, callers: callers, documentBytes: PipelineBenchmark.documentBytes,
            gatewayLanes: Self.lanes, http: http, mdp: mdp,
            ratio: mdp.requestsPerSecond > 0 ? http.requestsPerSecond / mdp.requestsPerSecond : 0)
    }

    /// Runs `requests` calls split over `callers` threads; `makeCaller` builds each thread's call.
    private func measure(_ makeCaller: (Int) throws -> (Int) throws -> Void) throws -> Side {
        let latencies = Mutex<[UInt64]>([])
        let perCaller = requests / callers
        var calls: [@Sendable (Int) throws -> Void] = []
        for caller in 0..<callers {
            let call = try makeCaller(caller)
            calls.append(UncheckedCall(call).run)
        }
        let started = monotonicNanos()
        let threads = calls.enumerated().map { caller, call in
            BenchThread(name: "caller-\(caller)") {
                var mine: [UInt64] = []
                mine.reserveCapacity(perCaller)
                for index in 0..<perCaller {
                    let begin = monotonicNanos()
                    try call(caller * perCaller + index)
                    mine.append(monotonicNanos() - begin)
                }
                latencies.withLock { $0 += mine }
            }
        }
        for thread in threads {
            guard thread.join(timeoutSeconds: Double(timeoutSeconds)) else {
                throw BenchError(message: "gateway: a caller was still running after \(timeoutSeconds) s")
            }
            if let error = thread.error { throw BenchError(message: "gateway: \(thread.name): \(error)") }
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        let all = latencies.withLock { $0 }
        return Side(requestsPerSecond: Double(all.count) / seconds, latency: LatencySummary(nanos: all))
    }

    private func say(_ message: String) {
        FileHandle.standardError.write(Data("docpipe-bench: \(message)\n".utf8))
    }

    private func waitForHealth(port: Int, gateway: ChildProcess) throws {
        let deadline = monotonicNanos() + UInt64(timeoutSeconds) * 1_000_000_000
        while monotonicNanos() < deadline {
            try gateway.checkRunning()
            if let connection = try? KeepAliveHTTP(port: port), (try? connection.get("/healthz")) == 200 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw BenchError(message: "gateway: /healthz did not answer within \(timeoutSeconds) s:\n" + gateway.logTail())
    }
}

/// A caller's closure owns its connection or client and runs on one thread only.
private final class UncheckedCall: @unchecked Sendable {
    let body: (Int) throws -> Void
    init(_ body: @escaping (Int) throws -> Void) { self.body = body }
    func run(_ sequence: Int) throws { try body(sequence) }
}

/// One HTTP/1.1 connection kept alive, for requests one after another: the least a client can cost, so the
/// figure is the gateway's. Reads the status line, the headers and exactly `Content-Length` bytes.
final class KeepAliveHTTP {
    private let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError(message: "socket: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw BenchError(message: "connect to 127.0.0.1:\(port): errno \(errno)")
        }
    }

    deinit { close(fd) }

    func get(_ path: String) throws -> Int {
        try exchange(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
    }

    func post(_ path: String, contentType: String, body: [UInt8]) throws -> Int {
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\n\r\n"
        return try exchange(Array(head.utf8) + body)
    }

    private func exchange(_ request: [UInt8]) throws -> Int {
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw BenchError(message: "HTTP send: errno \(errno)") }
            sent += count
        }
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = Self.find([13, 10, 13, 10], in: pending).map { $0 + 4 }
            if headerEnd == nil { try fill() }
        }
        let head = String(decoding: pending[..<headerEnd!], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { throw BenchError(message: "HTTP: unreadable status line '\(lines.first ?? "")'") }
        let length =
            lines.dropFirst().compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        while pending.count < headerEnd! + length { try fill() }
        pending.removeFirst(headerEnd! + length)
        return status
    }

    private func fill() throws {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { throw BenchError(message: "HTTP: the connection closed or timed out (errno \(errno))") }
        pending += buffer[0..<count]
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
