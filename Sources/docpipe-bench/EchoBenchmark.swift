import DocProtocol
import Foundation
import ZeroMQ

/// Echo through three brokers with the same clients, window, bodies and echo workers (all child
/// processes on loopback TCP): the real `docpipe broker`, libzmq's `zmq_proxy` (the floor: no protocol
/// at all) and majortomo (a Python MDP/0.2 broker).
struct EchoBenchmark {
    static let service = "bench.echo"
    static let bodyBytes = 2_300

    var requests: Int
    var workers: Int
    /// Credit of each docpipe echo worker: requests the broker may hand it before its first reply.
    /// majortomo's MDP/0.2 workers hold one at a time (the protocol has no credit); zmq_proxy's DEALER
    /// hands raw workers as many as their pipes take.
    var credit: Int
    var connections: Int
    var inflight: Int
    var timeoutSeconds: Int

    /// One broker's run; `error` says why a baseline could not run (then the rates are 0).
    struct Figures: Codable, Equatable {
        var broker: String
        var requests = 0
        var workers = 0
        /// Requests each worker may hold (1: lock-step; nil: no limit but the socket's pipes).
        var credit: Int?
        var connections = 0
        var inflight = 0
        var bodyBytes = EchoBenchmark.bodyBytes
        var seconds = 0.0
        var requestsPerSecond = 0.0
        /// Round trip of each request in the throughput run, queueing behind the window included.
        var latencyUnderLoad = LatencySummary(nanos: [])
        /// The broker process's own CPU time (user + system) per request over the measured run: less
        /// sensitive than the rate to what else the shared machine runs.
        var brokerCpuMicrosPerRequest: Double?
        /// Every round's rate, in run order, when the figure is the median of alternating rounds.
        var roundsRequestsPerSecond: [Double]?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case broker, requests, workers, credit, connections, inflight, seconds, error
            case bodyBytes = "body_bytes"
            case requestsPerSecond = "requests_per_second"
            case latencyUnderLoad = "latency_under_load"
            case roundsRequestsPerSecond = "rounds_requests_per_second"
            case brokerCpuMicrosPerRequest = "broker_cpu_us_per_request"
        }
    }

    /// docpipe and zmq_proxy in turn, `rounds` times each, so that a machine slowing down or speeding up
    /// during the phase weighs on both alike; each figure is that broker's median round (its latency with
    /// it), and lists every round's rate. A proxy round that fails is left out of its median.
    func runAlternating(rounds: Int) throws -> (docpipe: Figures, proxy: Figures) {
        var docpipe: [Figures] = []
        var proxy: [Figures] = []
        for _ in 0..<max(1, rounds) {
            docpipe.append(try runDocpipe())
            proxy.append(runProxy())
        }
        return (Self.median(docpipe), Self.median(proxy))
    }

    /// The round with the median rate (the lower middle one of an even count), carrying every round's rate.
    static func median(_ rounds: [Figures]) -> Figures {
        let measured = rounds.filter { $0.error == nil }
        guard !measured.isEmpty else { return rounds[0] }
        var figure = measured.sorted { $0.requestsPerSecond < $1.requestsPerSecond }[(measured.count - 1) / 2]
        if rounds.count > 1 { figure.roundsRequestsPerSecond = rounds.map(\.requestsPerSecond) }
        return figure
    }

    /// The docpipe broker: a required figure, so failures throw.
    func runDocpipe() throws -> Figures {
        let broker = try BrokerProcess(
            config: BrokerProcess.config(stages: nil), label: "echo",
            timeoutSeconds: timeoutSeconds)
        let folder = broker.folder
        var pool: [ChildProcess] = []
        defer {
            for worker in pool { worker.stop(graceSeconds: 1) }
            broker.stop()
        }
        pool = try startWorkers(endpoint: broker.endpoint, dialect: .mdp01, logFolder: folder)
        try broker.waitForWorkers([Self.service], count: workers, timeoutSeconds: timeoutSeconds)
        return try measure(name: "docpipe", endpoint: broker.endpoint, dialect: .mdp01, children: [broker.child] + pool)
    }

    /// libzmq's proxy in a `docpipe-bench serve-proxy` child; errors become the figure's `error`.
    func runProxy() -> Figures {
        baseline("zmq_proxy") { folder in
            let frontend = "tcp://127.0.0.1:\(try freeLoopbackPort())"
            let backend = "tcp://127.0.0.1:\(try freeLoopbackPort())"
            let proxy = try ChildProcess(
                name: "zmq-proxy", executable: BenchPaths.bench,
                arguments: ["serve-proxy", "--frontend", frontend, "--backend", backend],
                logFolder: folder)
            return ([proxy], frontend, backend, .raw)
        }
    }

    /// majortomo's broker in a `python3` child, logging at WARNING (its default, INFO, logs every message).
    func runMajortomo() -> Figures {
        baseline("majortomo") { folder in
            let python = try BenchPaths.python()
            let check = try ChildProcess(
                name: "majortomo-check", executable: python,
                arguments: ["-c", "import majortomo.broker"], logFolder: folder)
            let exited = check.waitForExit(seconds: 20)
            check.stop()
            guard exited, check.exitStatus == 0 else {
                throw BenchError(
                    message: "python3 cannot import majortomo (python3 -m pip install majortomo, or "
                        + "make deps): \(check.logTail(300))")
            }
            let endpoint = "tcp://127.0.0.1:\(try freeLoopbackPort())"
            let broker = try ChildProcess(
                name: "majortomo", executable: python,
                arguments: ["-c", Self.majortomoScript, endpoint], logFolder: folder)
            return ([broker], endpoint, endpoint, .mdp02)
        }
    }

    private static let majortomoScript = """
        import logging, signal, sys
        from majortomo.broker import Broker
        logging.basicConfig(level=logging.WARNING)
        broker = Broker(bind=sys.argv[1])
        signal.signal(signal.SIGTERM, lambda *_: broker.stop())
        broker.run()
        """

    /// Starts a baseline broker (clients' endpoint, workers' endpoint), its echo workers, and measures.
    private func baseline(
        _ name: String, start: (URL) throws -> ([ChildProcess], String, String, EchoDialect)
    ) -> Figures {
        var children: [ChildProcess] = []
        var folder: URL?
        defer {
            for child in children.reversed() { child.stop(graceSeconds: 1) }
            if let folder { try? FileManager.default.removeItem(at: folder) }
        }
        do {
            let logs = try BenchPaths.temporaryFolder(name)
            folder = logs
            let (brokers, clientEndpoint, workerEndpoint, dialect) = try start(logs)
            children += brokers
            children += try startWorkers(endpoint: workerEndpoint, dialect: dialect, logFolder: logs)
            // No status service to ask: give the workers time to connect (and register) before warming up.
            Thread.sleep(forTimeInterval: 1.0)
            return try measure(name: name, endpoint: clientEndpoint, dialect: dialect, children: children)
        } catch {
            return Figures(broker: name, error: "\(error)")
        }
    }

    private func startWorkers(endpoint: String, dialect: EchoDialect, logFolder: URL) throws -> [ChildProcess] {
        try (0..<workers).map {
            try ChildProcess(
                name: "echo-worker-\(dialect.rawValue)-\($0)", executable: BenchPaths.bench,
                arguments: [
                    "echo-worker", "--broker", endpoint, "--protocol", dialect.rawValue,
                    "--service", Self.service, "--credit", "\(credit(dialect) ?? 1)",
                ],
                logFolder: logFolder)
        }
    }

    /// What each echo worker of `dialect` holds at once.
    private func credit(_ dialect: EchoDialect) -> Int? {
        switch dialect {
        case .mdp01: credit
        case .mdp02: 1
        case .raw: nil
        }
    }

    private func measure(name: String, endpoint: String, dialect: EchoDialect, children: [ChildProcess]) throws
        -> Figures
    {
        FileHandle.standardError.write(Data("docpipe-bench: echo via \(name)…\n".utf8))
        let client = try EchoClient(
            endpoint: endpoint, dialect: dialect, connections: connections,
            timeoutSeconds: timeoutSeconds, children: children)
        _ = try client.exchange(count: min(1_000, requests), window: inflight)
        // The first child is the broker (docpipe, the proxy or majortomo's python3).
        let before = children.first.flatMap { try? ProcessCounters.read(pid: $0.pid) }
        let run = try client.exchange(count: requests, window: inflight)
        let after = children.first.flatMap { try? ProcessCounters.read(pid: $0.pid) }
        var figures = Figures(
            broker: name, requests: requests, workers: workers, credit: credit(dialect),
            connections: connections,
            inflight: inflight, seconds: run.seconds, requestsPerSecond: Double(requests) / run.seconds,
            latencyUnderLoad: LatencySummary(nanos: run.latencies))
        if let before, let after, after.cpuMicros >= before.cpuMicros {
            figures.brokerCpuMicrosPerRequest = Double(after.cpuMicros - before.cpuMicros) / Double(requests)
        }
        return figures
    }
}

/// The load generator: a few DEALER connections sharing one window of echo requests, on one thread.
final class EchoClient {
    private let context: Context
    private let sockets: [Socket]
    private let dialect: EchoDialect
    private let timeoutSeconds: Int
    private let children: [ChildProcess]

    init(endpoint: String, dialect: EchoDialect, connections: Int, timeoutSeconds: Int, children: [ChildProcess])
        throws
    {
        self.dialect = dialect
        self.timeoutSeconds = timeoutSeconds
        self.children = children
        let context = Context()
        self.context = context
        sockets = try (0..<max(connections, 1)).map { _ in
            let socket = try Socket(context, .dealer)
            try socket.setLinger(milliseconds: 0)
            // A send that cannot go out in 10 s means the broker stopped reading: fail, never hang.
            try socket.setSendTimeout(milliseconds: 10_000)
            try socket.connect(endpoint)
            return socket
        }
    }

    deinit { for socket in sockets { socket.close() } }

    /// Sends `count` requests keeping `window` unanswered (spread evenly over the connections); returns
    /// each round trip and the wall time. The send time travels in the body's first 8 bytes.
    func exchange(count: Int, window: Int) throws -> (latencies: [UInt64], seconds: Double) {
        var body = Data(repeating: UInt8(ascii: "x"), count: EchoBenchmark.bodyBytes)
        var latencies: [UInt64] = []
        latencies.reserveCapacity(count)
        var outstanding = [Int](repeating: 0, count: sockets.count)
        let perSocket = max(1, window / sockets.count)
        var sent = 0
        let started = monotonicNanos()
        let deadline = started + UInt64(timeoutSeconds) * 1_000_000_000
        var lastCheck = started
        while latencies.count < count {
            for (index, socket) in sockets.enumerated() {
                while sent < count, outstanding[index] < perSocket {
                    body.replaceSubrange(0..<8, with: Data(littleEndian: monotonicNanos()))
                    guard try socket.send(dialect.request(service: EchoBenchmark.service, body: body)) else {
                        throw BenchError(message: "echo: the broker took no request for 10 s")
                    }
                    outstanding[index] += 1
                    sent += 1
                }
            }
            let readable = try poll(sockets, timeoutMilliseconds: 100)
            for (index, socket) in sockets.enumerated() where readable[index] {
                while let frames = try socket.receive(dontWait: true) {
                    guard let reply = frames.last, reply.count == EchoBenchmark.bodyBytes,
                        let sentAt = reply.littleEndianUInt64
                    else { throw BenchError(message: "echo: an unexpected reply (\(frames.count) frames)") }
                    latencies.append(monotonicNanos() - sentAt)
                    outstanding[index] -= 1
                }
            }
            let now = monotonicNanos()
            if now - lastCheck > 500_000_000 {
                lastCheck = now
                for child in children { try child.checkRunning() }
            }
            guard now < deadline else {
                throw BenchError(
                    message: "echo: only \(latencies.count) of \(count) replies within "
                        + "\(timeoutSeconds) s;"
                        + " raise --timeout or lower --echo-requests")
            }
        }
        return (latencies, Double(monotonicNanos() - started) / 1e9)
    }
}
