import DocProtocol
import Foundation
import Logging
import Synchronization
import ZeroMQ

/// The MDP/0.1 worker side of one worker process, on its own thread: READY, heartbeats both ways,
/// reconnect with backoff when the broker goes silent, REPLY for each finished request, DISCONNECT at exit.
///
/// Requests go to the async side through `requests`; replies come back through `complete`.
/// Each (re)connection has a generation number: a reply finished after a reconnect belongs to a
/// request the broker has already re-queued, so it is dropped rather than sent on the new connection.
final class WorkerConnection: Sendable {
    struct Settings: Sendable {
        var endpoint: String
        var service: String
        var heartbeatMs: Int
        var liveness: Int
        var shutdownGraceMs: Int
        /// CURVE keys when the broker requires them; nil talks plaintext.
        var curve: CurveClientKeys? = nil
    }

    struct Incoming: Sendable {
        var generation: Int
        var client: Data
        var body: Data
    }

    let settings: Settings
    let logger: Logger
    let requests: AsyncStream<Incoming>
    private let continuation: AsyncStream<Incoming>.Continuation
    private let shutdownRequested = Atomic<Bool>(false)
    private let wakeBox = Mutex<WakeSignal?>(nil)

    init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        (requests, continuation) = AsyncStream.makeStream(of: Incoming.self)
    }

    /// Called from the async side when a request is done.
    func complete(_ incoming: Incoming, reply: Data) {
        wakeBox.withLock { $0 }?.post(.init(generation: incoming.generation, client: incoming.client, body: reply))
    }

    /// Stop taking work; finish (or, after the grace period, hand back) the current request, then DISCONNECT.
    func beginShutdown() { shutdownRequested.store(true, ordering: .relaxed) }

    private static func now() -> Int { Int(DispatchTime.now().uptimeNanoseconds / 1_000_000) }

    /// Runs the connection until shutdown. Blocks the calling (dedicated) thread.
    func run() throws {
        defer { continuation.finish() }
        let context = Context()
        let wakeAddress = "inproc://worker-wake-\(UUID().uuidString)"
        let wakeReceiver = try Socket(context, .pair)
        try wakeReceiver.bind(wakeAddress)
        let wakeSender = try Socket(context, .pair)
        try wakeSender.connect(wakeAddress)
        let wake = WakeSignal(sender: wakeSender)
        wakeBox.withLock { $0 = wake }
        defer {
            wakeBox.withLock { $0 = nil }
            wake.close()
            wakeReceiver.close()
            context.shutdown()
        }

        var generation = 0
        var socket = try connect()
        var inflight: Incoming?
        var lastHeard = Self.now()
        var heartbeatAt = Self.now() + settings.heartbeatMs
        var backoffMs = 250
        var shutdownDeadline: Int?

        while true {
            if shutdownRequested.load(ordering: .relaxed) {
                if inflight == nil { break }
                let deadline = shutdownDeadline ?? (Self.now() + settings.shutdownGraceMs)
                shutdownDeadline = deadline
                if Self.now() >= deadline {
                    logger.warning("shutdown grace period over; handing the current document back to the broker")
                    break
                }
            }
            let timeout = max(0, min(100, heartbeatAt - Self.now()))
            let ready = try poll([socket, wakeReceiver], timeoutMilliseconds: timeout)
            if ready[0] {
                while let frames = try socket.receive(dontWait: true) {
                    lastHeard = Self.now()
                    backoffMs = 250
                    switch try? MDP.decodeAtWorker(frames) {
                    case .request(let client, let body):
                        guard inflight == nil, !shutdownRequested.load(ordering: .relaxed) else {
                            logger.warning("broker sent a request while busy or shutting down; ignoring it")
                            continue
                        }
                        let incoming = Incoming(generation: generation, client: client, body: body.first ?? Data())
                        inflight = incoming
                        continuation.yield(incoming)
                    case .heartbeat:
                        break
                    case .disconnect:
                        logger.notice("broker sent DISCONNECT; reconnecting")
                        socket.close()
                        // A broker that keeps refusing this worker (a key without the role, say) must
                        // not be answered with a tight reconnect loop of CURVE handshakes.
                        sleepUnlessShuttingDown(milliseconds: 250)
                        generation += 1
                        inflight = nil
                        socket = try connect()
                    case nil:
                        logger.warning("ignored a message that is not MDP/0.1 for workers")
                    }
                }
            }
            if ready[1] {
                while try wakeReceiver.receive(dontWait: true) != nil {}
                for reply in wake.take() {
                    guard reply.generation == generation else { continue }
                    try socket.send(MDP.reply(client: reply.client, body: [reply.body]))
                    inflight = nil
                }
            }
            let now = Self.now()
            if now >= heartbeatAt {
                try socket.send(MDP.heartbeat, dontWait: true)
                heartbeatAt = now + settings.heartbeatMs
            }
            if now - lastHeard > settings.heartbeatMs * settings.liveness {
                logger.warning("broker silent; reconnecting", metadata: [
                    "broker": "\(settings.endpoint)", "retry_in_ms": "\(backoffMs)",
                ])
                socket.close()
                generation += 1
                inflight = nil
                sleepUnlessShuttingDown(milliseconds: backoffMs)
                backoffMs = min(backoffMs * 2, 30_000)
                socket = try connect()
                lastHeard = Self.now()
            }
        }
        _ = try? socket.send(MDP.disconnect, dontWait: true)
        socket.close()
        logger.info("worker stopped", metadata: ["service": "\(settings.service)"])
    }

    private func connect() throws -> Socket {
        let socket = try Socket(Context.sharedWorkerContext, .dealer)
        try socket.setLinger(milliseconds: 500)
        if let curve = settings.curve {
            try curve.apply(to: socket)
            // A refused handshake makes libzmq retry; back off so a revoked worker does not cost the
            // broker a CURVE handshake every 100 ms.
            try socket.setReconnectInterval(milliseconds: 100, max: 5000)
        }
        try socket.connect(settings.endpoint)
        // docpipe's identity frame after the service name: operators see host, pid and version.
        let identity = WorkerIdentity(host: ProcessInfo.processInfo.hostName,
                                      pid: Int(ProcessInfo.processInfo.processIdentifier),
                                      version: ProtocolVersion.release)
        try socket.send(MDP.ready(service: settings.service, identity: identity))
        logger.info("connected", metadata: ["broker": "\(settings.endpoint)", "service": "\(settings.service)"])
        return socket
    }

    private func sleepUnlessShuttingDown(milliseconds: Int) {
        var slept = 0
        while slept < milliseconds, !shutdownRequested.load(ordering: .relaxed) {
            Thread.sleep(forTimeInterval: 0.05)
            slept += 50
        }
    }
}

extension Context {
    /// Broker sockets of a worker process share one context (one I/O thread is plenty).
    static let sharedWorkerContext = Context()
}
