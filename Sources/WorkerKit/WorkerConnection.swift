import DocProtocol
import Foundation
import Logging
import Synchronization
import ZeroMQ

/// The I/O shell around `WorkerStateMachine`, on its own thread: it owns the DEALER socket, feeds the
/// machine socket messages, finished replies, the clock and the shutdown request, and performs its actions.
///
/// Requests go to the async side through `requests`; replies come back through `complete`.
final class WorkerConnection: Sendable {
    struct Settings: Sendable {
        /// The brokers to try: the first at start, the next at every reconnect (after the broker's
        /// DISCONNECT, which is all a standby answers, or after it went silent).
        var endpoints: BrokerEndpoints
        var service: String
        var heartbeatMs: Int
        var liveness: Int
        var shutdownGraceMs: Int
        /// Requests held at once (in progress plus waiting); advertised to the broker.
        var credit: Int = 1
        /// CURVE keys when the broker requires them; nil talks plaintext.
        var curve: CurveClientKeys? = nil
    }

    typealias Request = WorkerStateMachine.Request

    let settings: Settings
    let logger: Logger
    let requests: AsyncStream<Request>
    private let continuation: AsyncStream<Request>.Continuation
    private let shutdownRequested = Atomic<Bool>(false)
    private let currentGeneration = Atomic<Int>(0)
    private let wakeBox = Mutex<WakeSignal?>(nil)
    /// The broker connected to now (or last), for the log.
    private let endpoint: Mutex<String>

    init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        endpoint = Mutex(settings.endpoints.current)
        (requests, continuation) = AsyncStream.makeStream(of: Request.self)
    }

    /// Called from the async side when a request is done.
    func complete(_ request: Request, reply: Data) {
        wakeBox.withLock { $0 }?.post(.init(generation: request.generation, client: request.client, body: reply))
    }

    /// Called from the async side for a request it will not start because shutdown has begun.
    func decline(_ request: Request) {
        wakeBox.withLock { $0 }?.post(.init(generation: request.generation, client: request.client, body: nil))
    }

    /// Whether shutdown has begun: requests not started by now are declined, not started.
    var isShuttingDown: Bool { shutdownRequested.load(ordering: .relaxed) }

    /// Whether a request still belongs to the live connection; one that does not was re-queued by the
    /// broker, so starting it would be wasted work.
    func isCurrent(_ request: Request) -> Bool {
        currentGeneration.load(ordering: .relaxed) == request.generation
    }

    /// Stop taking work; finish (or, after the grace period, hand back) the current requests, then DISCONNECT.
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
        var socket: Socket?
        defer {
            wakeBox.withLock { $0 = nil }
            wake.close()
            wakeReceiver.close()
            socket?.close()
            context.shutdown()
        }

        var machine = WorkerStateMachine(
            settings: .init(
                service: settings.service,
                identity: WorkerIdentity(
                    host: ProcessInfo.processInfo.hostName,
                    pid: Int(ProcessInfo.processInfo.processIdentifier),
                    version: ProtocolVersion.release),
                credit: settings.credit, heartbeatMs: settings.heartbeatMs, liveness: settings.liveness,
                shutdownGraceMs: settings.shutdownGraceMs))
        var stopped = false
        var shutdownSeen = false
        var brokers = settings.endpoints
        var connections = 0

        /// Performs actions in order; `connect` feeds `connected` back in, whose actions follow.
        func perform(_ actions: [WorkerStateMachine.Action]) throws {
            var queue = actions[...]
            while let action = queue.popFirst() {
                switch action {
                case .send(let frames):
                    // Never block the heartbeat thread: a full queue means the broker is gone, which the
                    // silence check notices.
                    if let socket, try !socket.send(frames, dontWait: true) {
                        logger.warning("could not send to the broker (queue full); message dropped")
                    }
                case .deliver(let request):
                    continuation.yield(request)
                case .connect:
                    if connections > 0 { brokers.advance() }
                    connections += 1
                    if brokers.isList {
                        logger.info(
                            "connecting to \(brokers.current) (broker \(brokers.index + 1) of \(brokers.count))",
                            metadata: ["broker": "\(brokers.current)"])
                    }
                    endpoint.withLock { $0 = brokers.current }
                    socket = try connect(to: brokers.current)
                    queue += machine.connected(now: Self.now())
                    currentGeneration.store(machine.generation, ordering: .relaxed)
                case .disconnect:
                    socket?.close()
                    socket = nil
                    currentGeneration.store(-1, ordering: .relaxed)
                case .stop:
                    stopped = true
                case .log(let level, let message):
                    log(level, message)
                }
            }
        }

        try perform(machine.tick(now: Self.now()))
        while !stopped {
            if !shutdownSeen, shutdownRequested.load(ordering: .relaxed) {
                shutdownSeen = true
                try perform(machine.shutdownRequested(now: Self.now()))
                if stopped { break }
            }
            // Wake at least every 100 ms to notice a shutdown request.
            let timeout = min(100, machine.millisUntilNextTick(now: Self.now()))
            let ready = try poll([wakeReceiver] + (socket.map { [$0] } ?? []), timeoutMilliseconds: timeout)
            if ready.count > 1, ready[1] {
                while !stopped, let current = socket, let frames = try current.receive(dontWait: true) {
                    try perform(machine.received(frames: frames, now: Self.now()))
                    // A DISCONNECT closes the socket; what is left on it belongs to the old connection.
                    if socket !== current { break }
                }
            }
            if ready[0] {
                while try wakeReceiver.receive(dontWait: true) != nil {}
                for reply in wake.take() where !stopped {
                    if let body = reply.body {
                        try perform(
                            machine.completed(
                                generation: reply.generation, client: reply.client, body: body, now: Self.now()))
                    } else {
                        try perform(machine.declined(generation: reply.generation, now: Self.now()))
                    }
                }
            }
            if !stopped { try perform(machine.tick(now: Self.now())) }
        }
        logger.info("worker stopped", metadata: ["service": "\(settings.service)"])
    }

    private func connect(to endpoint: String) throws -> Socket {
        let socket = try Socket(Context.sharedWorkerContext, .dealer)
        try socket.setLinger(milliseconds: 500)
        if let curve = settings.curve {
            try curve.apply(to: socket)
            // A refused handshake makes libzmq retry; back off so a revoked worker does not cost the
            // broker a CURVE handshake every 100 ms.
            try socket.setReconnectInterval(milliseconds: 100, max: 5000)
        }
        try socket.connect(endpoint)
        return socket
    }

    private func log(_ level: WorkerStateMachine.LogLevel, _ message: String) {
        let metadata: Logger.Metadata = ["broker": "\(endpoint.withLock { $0 })"]
        switch level {
        case .debug: logger.debug("\(message)", metadata: metadata)
        case .info: logger.info("\(message)", metadata: metadata)
        case .notice: logger.notice("\(message)", metadata: metadata)
        case .warning: logger.warning("\(message)", metadata: metadata)
        }
    }
}

extension Context {
    /// Broker sockets of a worker process share one context (one I/O thread is plenty).
    static let sharedWorkerContext = Context()
}
