import DocClient
import DocProtocol
import Foundation
import ZeroMQ

/// Phase (a): MDP request/reply through the broker to echo workers, no pipeline and no journal writes.
struct EchoBenchmark {
    static let service = "bench.echo"
    static let bodyBytes = 2_300

    var requests: Int
    var workers: Int
    var inflight: Int
    var timeoutSeconds: Int
    /// Requests sent one at a time, for round-trip latency without queueing.
    var unloadedSamples = 2_000
    /// Everything over CURVE (encryption, ZAP-authenticated keys, per-message key checks).
    var curve = false

    /// Figures from one run.
    struct Figures: Codable, Equatable {
        var requests: Int
        var workers: Int
        var inflight: Int
        var bodyBytes: Int
        var seconds: Double
        var requestsPerSecond: Double
        /// One request at a time: the round trip with no queue in front of it.
        var latency: LatencySummary
        /// Round trip of each request in the throughput run, queueing behind the window included.
        var latencyUnderLoad: LatencySummary

        enum CodingKeys: String, CodingKey {
            case requests, workers, inflight, seconds, latency
            case bodyBytes = "body_bytes"
            case requestsPerSecond = "requests_per_second"
            case latencyUnderLoad = "latency_under_load"
        }
    }

    func run() throws -> Figures {
        let broker = try BenchBroker(curve: curve)
        let context = Context()
        let pool = (0..<workers).map {
            NoopWorker(service: Self.service, behaviour: .echo, broker: broker.endpoint, context: context, index: $0,
                       curve: broker.curve)
        }
        var figures: Figures?
        var failure: (any Error)?
        do {
            let deadline = monotonicNanos() + UInt64(timeoutSeconds) * 1_000_000_000
            try waitForWorkers([Self.service: workers], broker: broker.endpoint, curve: broker.curve)
            let socket = try Socket(context, .dealer)
            defer { socket.close() }
            try socket.setLinger(milliseconds: 0)
            try socket.setReceiveTimeout(milliseconds: 100)
            try broker.curve?.apply(to: socket)
            try socket.connect(broker.endpoint)
            // Warm up connections and caches before anything is timed.
            _ = try exchange(on: socket, count: min(500, requests), window: inflight, deadline: deadline)
            let unloaded = try exchange(on: socket, count: unloadedSamples, window: 1, deadline: deadline)
            let started = monotonicNanos()
            let loaded = try exchange(on: socket, count: requests, window: inflight, deadline: deadline)
            let seconds = Double(monotonicNanos() - started) / 1e9
            figures = Figures(
                requests: requests, workers: workers, inflight: inflight, bodyBytes: Self.bodyBytes,
                seconds: seconds, requestsPerSecond: Double(requests) / seconds,
                latency: LatencySummary(nanos: unloaded), latencyUnderLoad: LatencySummary(nanos: loaded))
        } catch {
            failure = error
        }
        // Shut down whatever happened above; the first error wins.
        for worker in pool { worker.stop() }
        for worker in pool {
            do { try worker.join() } catch { failure = failure ?? error }
        }
        do { try broker.stop() } catch { failure = failure ?? error }
        if let failure { throw failure }
        return figures!
    }

    /// Sends `count` echo requests keeping `window` outstanding; returns each one's round trip (ns).
    ///
    /// The send time travels in the body's first 8 bytes, so replies may come back in any order.
    private func exchange(on socket: Socket, count: Int, window: Int, deadline: UInt64) throws -> [UInt64] {
        var body = Data(repeating: UInt8(ascii: "x"), count: Self.bodyBytes)
        var roundTrips: [UInt64] = []
        roundTrips.reserveCapacity(count)
        var sent = 0
        while roundTrips.count < count {
            while sent < count, sent - roundTrips.count < window {
                body.replaceSubrange(0..<8, with: Data(littleEndian: monotonicNanos()))
                try socket.send(MDP.clientRequest(service: Self.service, body: [body]))
                sent += 1
            }
            guard monotonicNanos() < deadline else {
                throw BenchError(message: "echo: only \(roundTrips.count) of \(count) replies within the timeout "
                                 + "(\(timeoutSeconds) s); raise --timeout or lower --requests")
            }
            guard let frames = try socket.receive() else { continue }
            let reply = try MDP.decodeAtClient(frames)
            guard reply.service == Self.service, let sentAt = reply.body.first?.littleEndianUInt64,
                  reply.body.first?.count == Self.bodyBytes
            else { throw BenchError(message: "echo: unexpected reply from '\(reply.service)'") }
            roundTrips.append(monotonicNanos() - sentAt)
        }
        return roundTrips
    }
}

/// Waits (up to 5 s) until the broker reports at least the given number of workers for each service.
func waitForWorkers(_ expected: [String: Int], broker endpoint: String, curve: CurveClientKeys? = nil) throws {
    let client = try DocpipeClient(broker: endpoint, timeoutMs: 2_000, curve: curve)
    let deadline = monotonicNanos() + 5_000_000_000
    while true {
        let status = try client.status()
        let serving = Dictionary(status.services.map { ($0.name, $0.workers) }, uniquingKeysWith: +)
        let missing = expected.filter { serving[$0.key, default: 0] < $0.value }
        if missing.isEmpty { return }
        guard monotonicNanos() < deadline else {
            let list = missing.map { "\($0.key) (\(serving[$0.key, default: 0]) of \($0.value))" }.sorted()
            throw BenchError(message: "workers did not register within 5 s: \(list.joined(separator: ", "))")
        }
        Thread.sleep(forTimeInterval: 0.01)
    }
}
