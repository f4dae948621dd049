public import BrokerCore
import DocProtocol
public import Foundation
public import Logging
import Synchronization
import ZeroMQ

/// The broker process: one ROUTER socket, one poll loop on its own thread, the pure state machines
/// doing the thinking, and the journal making acceptance durable.
///
/// Threading: libzmq sockets are not thread-safe, so the socket, the state machines and the journal
/// all live on the thread that calls `run()`. Only `stop()` and `boundEndpoint` cross threads.
public final class Broker: Sendable {
    public let configuration: BrokerConfiguration
    let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let reloadRequested = Atomic<Bool>(false)
    private let endpointBox = Mutex<String?>(nil)

    public init(configuration: BrokerConfiguration, logger: Logger = Logger(label: "docpipe.broker")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The endpoint actually bound (with the real port when the configuration said `:*`), once bound.
    public var boundEndpoint: String? { endpointBox.withLock { $0 } }

    /// Asks the loop to finish its current batch, flush the journal and return. Safe from any thread.
    public func stop() { stopping.store(true, ordering: .relaxed) }

    /// Asks the loop to re-read the pipelines from the config file (SIGHUP). Safe from any thread.
    public func requestReload() { reloadRequested.store(true, ordering: .relaxed) }

    /// Runs until `stop()`. Blocks the calling thread, which must not be one of Swift's cooperative pool.
    public func run() throws {
        let journal = try LogJournal(path: configuration.journalPath, settings: LogJournal.Settings(
            compactAfterBytes: configuration.journalCompactAfterBytes, retentionSeconds: configuration.retentionSeconds))
        let context = Context()
        let socket = try Socket(context, .router)
        // The journal's writer thread wakes the loop when replies it holds have become durable.
        let wakeAddress = "inproc://docpipe-journal-durable-\(UUID().uuidString)"
        let wakeReceiver = try Socket(context, .pull)
        try wakeReceiver.bind(wakeAddress)
        let senderSocket = try Socket(context, .push)
        try senderSocket.setSendHighWaterMark(1)
        try senderSocket.connect(wakeAddress)
        let doorbell = Doorbell(socket: senderSocket)
        journal.setOnDurable { doorbell.ring() }
        defer {
            journal.close()
            doorbell.close()
            wakeReceiver.close()
            socket.close()
            context.shutdown()
        }
        try socket.setLinger(milliseconds: 0)
        // Unroutable replies must fail loudly (and re-queue a worker's request), never vanish.
        try socket.setRouterMandatory(true)
        // The hard cap sits above the document limit (base64 and JSON add up to ~40%), so an oversized
        // document still arrives and gets a clear 413; only absurd frames are cut off by libzmq itself.
        try socket.setMaxMessageSize(configuration.maxMessageBytes * 2 + (1 << 20))
        try socket.setSendHighWaterMark(100_000)
        // Per peer connection: what libzmq holds for one peer before it stops reading from it (TCP then
        // pushes back). The loop drains 512 a round, so a well-behaved peer never gets near it.
        try socket.setReceiveHighWaterMark(1_000)
        let curve = try enableCurve(on: socket, context: context)
        do {
            try socket.bind(configuration.endpoint)
        } catch {
            throw BrokerError(message: "cannot bind \(configuration.endpoint): \(error.message). "
                              + "Is another broker running? Use --bind to choose another endpoint.")
        }
        let bound = socket.lastEndpoint ?? configuration.endpoint
        endpointBox.withLock { $0 = bound }

        var loop = BrokerLoop(configuration: configuration, journal: journal, logger: logger, endpoint: bound)
        loop.peerGuard = PeerGuard(limits: configuration.peerLimits)
        loop.peerGuard.stageServices = BrokerLoop.stageServices(of: configuration.pipelines)
        var contents = try journal.recover()
        // An upgrade from the SQLite journal brings its unfinished jobs and dead letters along, once.
        let legacy = URL(fileURLWithPath: configuration.journalPath).deletingLastPathComponent()
            .appendingPathComponent("journal.sqlite").path
        let imported = try SQLiteJournalImport.importIfPresent(sqlitePath: legacy, into: journal)
        if !imported.isEmpty {
            logger.notice("imported unfinished jobs and dead letters from the old SQLite journal", metadata: [
                "count": "\(imported.count)", "from": "\(legacy)",
            ])
            contents.jobs += imported
        }
        loop.recover(from: contents)
        var sink = SocketSink(socket: socket)
        try loop.flush(to: &sink)
        logger.info("broker listening", metadata: ["endpoint": "\(bound)", "journal": "\(journal.path)"])

        var drainDeadline: Date?
        while true {
            if stopping.load(ordering: .relaxed) {
                if drainDeadline == nil {
                    // Graceful stop: refuse new submits, hand out no more work, wait for what workers hold.
                    drainDeadline = Date().addingTimeInterval(Double(configuration.shutdownGraceMs) / 1000)
                    loop.engine.accepting = false
                    loop.router.dispatching = false
                    logger.info("draining: waiting for documents held by workers", metadata: [
                        "held": "\(loop.engine.leasedCount)", "grace_ms": "\(configuration.shutdownGraceMs)",
                    ])
                }
                if (loop.engine.leasedCount == 0 && loop.heldReplies == 0) || Date() >= drainDeadline! { break }
            }
            // Wake at least every 100 ms so stop() is noticed promptly.
            let timeout = Int(min(loop.millisUntilNextTick(), 100))
            let readable = try poll([socket, wakeReceiver], timeoutMilliseconds: timeout)
            if readable[1] { while try wakeReceiver.receive(dontWait: true) != nil {} }
            if readable[0] {
                // Drain a batch: all of it is journalled in one transaction before any reply goes out.
                var drained = 0
                let keys = curve?.currentKeys()
                let properties = curve == nil ? [] : [ZAP.keyProperty]
                while drained < 512, let message = try socket.receiveMessage(
                    dontWait: true, properties: properties, maxFrames: BrokerLoop.maxFrames,
                    maxBytes: Int(configuration.maxMessageBytes) * 2 + (1 << 20)) {
                    drained += 1
                    loop.admit(message, keys: keys)
                }
            }
            if reloadRequested.exchange(false, ordering: .relaxed) {
                _ = loop.reloadPipelines()
            }
            loop.tick()
            loop.tickPeers(curve)
            try loop.flush(to: &sink)
            if let curve, !curve.handler.isRunning {
                throw BrokerError(message: "the CURVE authentication handler stopped; refusing to run unprotected")
            }
        }
        loop.saveCounters()
        try loop.flush(to: &sink)
        // Closing waits for the writer, so everything appended is durable; the held replies can go.
        journal.close()
        try loop.flush(to: &sink)
        logger.info("broker stopped", metadata: ["endpoint": "\(bound)"])
    }
}

/// The journal writer's way to wake the loop: one PUSH socket used under a lock, since the writer thread
/// (not the loop) rings it; the loop owns the PULL end.
final class Doorbell: @unchecked Sendable {
    private let lock = NSLock()
    private var socket: Socket?

    init(socket: Socket) { self.socket = socket }

    func ring() {
        lock.lock()
        defer { lock.unlock() }
        _ = try? socket?.send([Data()], dontWait: true)
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        socket?.close()
        socket = nil
    }
}

/// The loop's sends on the ROUTER socket: never blocking; a failure is a counter name.
struct SocketSink: FrameSink {
    let socket: Socket

    mutating func send(_ frames: [Data], to peer: PeerID) -> String? {
        do {
            if try socket.send([peer.bytes] + frames, dontWait: true) { return nil }
            return "send_would_block"
        } catch {
            return error.isHostUnreachable ? "peer_unreachable" : "send_failed"
        }
    }
}

/// A broker failure worth showing to the operator as is.
public struct BrokerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
