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
    ///
    /// With the embedded journal the broker is active from the start. With a shared journal
    /// (`journalLease`) it binds its endpoint, answers as a standby until it holds the lease, then serves
    /// as the active broker for that lease term, resuming every unfinished job from the journal; if it
    /// loses the lease it stops at once — nothing more is dispatched or answered — and is a standby again.
    public func run() throws {
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
        defer {
            doorbell.close()
            wakeReceiver.close()
            socket.close()
            context.shutdown()
        }
        // The embedded journal is opened (and locked) before binding: a second broker on the same data
        // folder is refused with the lock's message, not with "address in use".
        let embedded =
            configuration.journalLease == nil
            ? try LogJournal(
                path: configuration.journalPath,
                settings: LogJournal.Settings(
                    compactAfterBytes: configuration.journalCompactAfterBytes,
                    retentionSeconds: configuration.retentionSeconds)) : nil
        try socket.setLinger(milliseconds: 0)
        // Unroutable replies must fail loudly (and re-queue a worker's request), never vanish.
        try socket.setRouterMandatory(true)
        // The hard cap sits above the document limit (base64 and JSON add up to ~40%), so an oversized
        // document still arrives and gets a clear 413; only absurd frames are cut off by libzmq itself.
        try socket.setMaxMessageSize(configuration.maxMessageBytes * 2 + (1 << 20))
        try socket.setSendHighWaterMark(100_000)
        // Per peer connection: what libzmq holds for one peer before it stops reading from it (TCP then
        // pushes back). The loop drains `BrokerLoop.batchMessages` a round and comes straight back, so a
        // well-behaved peer never gets near it.
        try socket.setReceiveHighWaterMark(1_000)
        let curve = try enableCurve(on: socket, context: context)
        do {
            try socket.bind(configuration.endpoint)
        } catch {
            embedded?.close()
            throw BrokerError(
                message: "cannot bind \(configuration.endpoint): \(error.message). "
                    + "Is another broker running? Use --bind to choose another endpoint.")
        }
        let bound = socket.lastEndpoint ?? configuration.endpoint
        endpointBox.withLock { $0 = bound }
        let io = BrokerIO(socket: socket, wakeReceiver: wakeReceiver, doorbell: doorbell, curve: curve, endpoint: bound)

        guard let lease = configuration.journalLease else {
            _ = try serveActive(io, journal: embedded!, stillLeased: nil, describe: nil)
            return
        }
        SystemdNotify.send("READY=1\nSTATUS=standby: waiting for the journal's lease")
        lease.start(endpoint: bound)
        defer { lease.release() }
        logger.notice(
            "broker listening as a standby until it holds the journal's lease",
            metadata: [
                "endpoint": "\(bound)", "journal": "\(lease.location)",
            ])
        var standbySince = Date()
        while let epoch = try serveStandby(io, lease: lease, since: standbySince) {
            SystemdNotify.send("STATUS=active: lease epoch \(epoch)")
            let activeSince = Date().timeIntervalSince1970
            let journal = try lease.openJournal(epoch: epoch)
            let outcome = try serveActive(
                io, journal: journal, stillLeased: { lease.heldEpoch(nowMillis: $0) == epoch },
                describe: { lease.failoverStatus(role: .active, roleSince: activeSince) })
            if outcome == .stopped { return }
            SystemdNotify.send("STATUS=standby: lost the lease")
            standbySince = Date()
        }
    }

    /// The socket and its companions, set up once and used by both roles.
    struct BrokerIO {
        let socket: Socket
        let wakeReceiver: Socket
        let doorbell: Doorbell
        let curve: CurveServer?
        let endpoint: String
    }

    enum ActiveOutcome { case stopped, fenced }

    /// Answers as a standby until this broker holds the lease (its epoch) or is stopped (nil).
    private func serveStandby(_ io: BrokerIO, lease: any JournalLease, since: Date) throws -> Int? {
        let responder = StandbyResponder(endpoint: io.endpoint, version: configuration.version, startedAt: since)
        let maxBytes = Int(configuration.maxMessageBytes) * 2 + (1 << 20)
        while !stopping.load(ordering: .relaxed) {
            if let epoch = lease.heldEpoch(nowMillis: BrokerClock.system.monotonicMillis()) { return epoch }
            guard try poll([io.socket], timeoutMilliseconds: 50)[0] else { continue }
            var drained = 0
            let failover = lease.failoverStatus(role: .standby, roleSince: since.timeIntervalSince1970)
            while drained < BrokerLoop.batchMessages,
                let message = try io.socket.receiveMessage(
                    dontWait: true, maxFrames: BrokerLoop.maxFrames, maxBytes: maxBytes)
            {
                drained += 1
                guard !message.truncated, let identity = message.frames.first, !identity.isEmpty,
                    let reply = responder.answer(Array(message.frames.dropFirst()), failover: failover)
                else { continue }
                _ = try? io.socket.send([identity] + reply, dontWait: true)
            }
        }
        return nil
    }

    /// Serves as the active broker on `journal` until stopped, or until `stillLeased` says the lease is
    /// gone (fencing: the loop's pending sends and held replies are dropped, not sent).
    private func serveActive(
        _ io: BrokerIO, journal: any JobJournal, stillLeased: ((Millis) -> Bool)?,
        describe: (@Sendable () -> FailoverStatus)?
    ) throws -> ActiveOutcome {
        let doorbell = io.doorbell
        journal.setOnDurable { doorbell.ring() }
        var journalOpen = true
        defer { if journalOpen { journal.close() } }
        let (socket, wakeReceiver, curve, bound) = (io.socket, io.wakeReceiver, io.curve, io.endpoint)

        var loop = BrokerLoop(configuration: configuration, journal: journal, logger: logger, endpoint: bound)
        if let describe { loop.describeFailover = describe }
        loop.peerGuard = PeerGuard(limits: configuration.peerLimits)
        loop.peerGuard.stageServices = BrokerLoop.stageServices(of: configuration.pipelines)
        var contents: JournalContents
        do {
            contents = try journal.recover()
        } catch  where stillLeased != nil {
            // The lease is held but the journal cannot be read (the database dropped the connection between
            // the two): stand by a second and try again, rather than exit with the lease in hand.
            logger.error(
                "cannot read the shared journal after taking the lease; trying again",
                metadata: [
                    "journal": "\(journal.location)", "error": "\(error)",
                ])
            journalOpen = false
            Thread.detachNewThread { journal.close() }
            Thread.sleep(forTimeInterval: 1)
            return .fenced
        }
        if let journal = journal as? LogJournal {
            // An upgrade from the SQLite journal brings its unfinished jobs and dead letters along, once.
            let legacy = URL(fileURLWithPath: configuration.journalPath).deletingLastPathComponent()
                .appendingPathComponent("journal.sqlite").path
            let imported = try SQLiteJournalImport.importIfPresent(sqlitePath: legacy, into: journal)
            if !imported.isEmpty {
                logger.notice(
                    "imported unfinished jobs and dead letters from the old SQLite journal",
                    metadata: [
                        "count": "\(imported.count)", "from": "\(legacy)",
                    ])
                contents.jobs += imported
            }
        }
        loop.recover(from: contents)
        var sink = SocketSink(socket: socket)
        try loop.flush(to: &sink)
        if stillLeased == nil {
            SystemdNotify.send("READY=1\nSTATUS=active")
            logger.info("broker listening", metadata: ["endpoint": "\(bound)", "journal": "\(journal.location)"])
        } else {
            logger.notice(
                "active: serving and resuming unfinished jobs from the journal",
                metadata: [
                    "endpoint": "\(bound)", "journal": "\(journal.location)",
                    "unfinished": "\(loop.engine.activeCount)",
                ])
        }

        var drainDeadline: Date?
        while true {
            if let stillLeased, !stillLeased(loop.now()) {
                // Fenced: another broker may take over any moment now, so nothing more leaves this one.
                logger.error(
                    "lost the journal's lease: stopped dispatching and answering; standing by",
                    metadata: [
                        "endpoint": "\(bound)", "unfinished": "\(loop.engine.activeCount)",
                    ])
                // Its writes are refused now, so closing has nothing to wait for but a connection that may hang:
                // done on the side, so this broker answers as a standby at once.
                journalOpen = false
                Thread.detachNewThread { journal.close() }
                return .fenced
            }
            if stopping.load(ordering: .relaxed) {
                if drainDeadline == nil {
                    // Graceful stop: refuse new submits, hand out no more work, wait for what workers hold.
                    drainDeadline = Date().addingTimeInterval(Double(configuration.shutdownGraceMs) / 1000)
                    SystemdNotify.send("STOPPING=1\nSTATUS=draining")
                    loop.engine.accepting = false
                    loop.router.dispatching = false
                    logger.info(
                        "draining: waiting for documents held by workers",
                        metadata: [
                            "held": "\(loop.engine.leasedCount)", "grace_ms": "\(configuration.shutdownGraceMs)",
                        ])
                }
                if (loop.engine.leasedCount == 0 && loop.heldReplies == 0) || Date() >= drainDeadline! { break }
            }
            // Wake at least every 100 ms so stop() is noticed promptly (50 ms with a lease to watch).
            let timeout = Int(min(loop.millisUntilNextTick(), stillLeased == nil ? 100 : 50))
            let readable = try poll([socket, wakeReceiver], timeoutMilliseconds: timeout)
            if readable[1] { while try wakeReceiver.receive(dontWait: true) != nil {} }
            if readable[0] {
                // Drain a batch: all of it is journalled in one transaction before any reply goes out.
                // At most `batchMessages`: nothing the batch sends leaves before its end (see there).
                var drained = 0
                let keys = curve?.currentKeys()
                let properties = curve == nil ? [] : [ZAP.keyProperty]
                while drained < BrokerLoop.batchMessages,
                    let message = try socket.receiveMessage(
                        dontWait: true, properties: properties, maxFrames: BrokerLoop.maxFrames,
                        maxBytes: Int(configuration.maxMessageBytes) * 2 + (1 << 20), userAndAddress: curve != nil)
                {
                    drained += 1
                    loop.admit(message, keys: keys)
                }
            }
            if reloadRequested.exchange(false, ordering: .relaxed) {
                _ = loop.reloadPipelines()
            }
            loop.tick()
            loop.tickPeers(curve)
            if let stillLeased, !stillLeased(loop.now()) { continue }
            try loop.flush(to: &sink)
            if let curve, !curve.handler.isRunning {
                throw BrokerError(message: "the CURVE authentication handler stopped; refusing to run unprotected")
            }
        }
        loop.saveCounters()
        try loop.flush(to: &sink)
        // Closing waits for the writer, so everything appended is durable; the held replies can go.
        journalOpen = false
        journal.close()
        try loop.flush(to: &sink)
        logger.info("broker stopped", metadata: ["endpoint": "\(bound)"])
        return .stopped
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
            if try socket.send(peer.bytes, then: frames, dontWait: true) { return nil }
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
