import DocProtocol
import Foundation

/// The worker side of MDP/0.1 with no sockets: events in, actions out, time (milliseconds) as an input.
///
/// It owns the connection's life: READY (with docpipe's identity frame and credit) on connect, a
/// HEARTBEAT every interval, reconnect with a doubling back-off when the broker goes silent, reconnect
/// after 250 ms when the broker sends DISCONNECT, at most `credit` requests held at once, and graceful
/// shutdown (stop taking work, wait up to the grace period, then DISCONNECT).
///
/// Every connection has a generation number. A request carries the generation it arrived in; a reply
/// finished after a reconnect belongs to a request the broker has already re-queued, so it is dropped
/// rather than sent on the new connection (where the broker would take it for an answer it never asked for).
///
/// Requests the worker will not take — beyond its credit, or once shutdown has begun — are ignored (logged,
/// never delivered, never answered). Why not answer them: an error reply would count as a failed attempt of
/// a document that did nothing wrong (and a retryable one would bounce straight back while the worker is
/// still full). Why not reconnect: that would throw away every document in progress for one extra request.
/// Ignoring is safe because the broker still holds the request against this worker and re-queues it when
/// the worker leaves: the DISCONNECT that ends shutdown, or the stage timeout that cuts off a worker that
/// sits on a request. A broker that honours credits never sends beyond them, so outside shutdown this only
/// happens with a broken broker.
struct WorkerStateMachine: Sendable {
    struct Settings: Sendable, Equatable {
        var service: String
        /// The identity frame of READY; its `credit` is set from `credit`.
        var identity: WorkerIdentity
        /// Requests held at once (in progress plus waiting, `--concurrency` + `--prefetch`); advertised in READY.
        var credit: Int
        var heartbeatMs: Int
        var liveness: Int
        var shutdownGraceMs: Int
        /// Wait before reconnecting after the broker's DISCONNECT, and the first silence back-off.
        var reconnectMs: Int = 250
        /// The back-off after silence doubles up to this.
        var maxBackoffMs: Int = 30_000
    }

    /// One request handed to the stage, tagged with the connection it came on.
    struct Request: Sendable, Equatable {
        var generation: Int
        var client: Data
        var body: Data
    }

    enum LogLevel: Sendable, Equatable { case debug, info, notice, warning }

    enum Action: Sendable, Equatable {
        /// Send these frames on the current connection.
        case send([Data])
        /// Hand a request to the stage; report the answer with `completed`.
        case deliver(Request)
        /// Open a new connection to the broker, then report `connected`.
        case connect
        /// Close the current connection; a later `tick` asks to `connect` once the back-off has passed.
        case disconnect(reconnectAfterMs: Int)
        /// The worker is done: close the connection and stop.
        case stop
        case log(LogLevel, String)
    }

    enum Phase: Sendable, Equatable {
        /// No connection; `connect` is due at this time.
        case waiting(until: Int)
        /// `connect` was asked for; waiting for `connected`.
        case connecting
        case connected
        /// Shutdown: no new work; DISCONNECT when the outstanding requests are done or at the deadline.
        case draining(deadline: Int)
        case stopped
    }

    let settings: Settings
    private(set) var phase: Phase = .waiting(until: 0)
    /// The current connection's number; replies from earlier ones are dropped.
    private(set) var generation = 0
    /// Requests of the current connection delivered and not yet answered.
    private(set) var outstanding = 0
    private(set) var backoffMs: Int
    private var lastHeardAt = 0
    private var heartbeatAt = 0
    private var isShuttingDown = false

    init(settings: Settings) {
        self.settings = settings
        backoffMs = settings.reconnectMs
    }

    private var isOnline: Bool {
        switch phase {
        case .connected, .draining: true
        default: false
        }
    }

    // MARK: events

    /// The shell opened a new connection: READY goes out and the broker's clock starts.
    mutating func connected(now: Int) -> [Action] {
        guard phase == .connecting else { return [] }
        generation += 1
        outstanding = 0
        lastHeardAt = now
        heartbeatAt = now + settings.heartbeatMs
        phase = .connected
        var identity = settings.identity
        identity.credit = settings.credit
        return [
            .send(MDP.ready(service: settings.service, identity: identity)),
            .log(.info, "connected; READY for '\(settings.service)' with credit \(settings.credit)"),
        ]
    }

    /// Frames arrived from the broker.
    mutating func received(frames: [Data], now: Int) -> [Action] {
        do {
            return received(try MDP.decodeAtWorker(frames), now: now)
        } catch {
            return received(nil, now: now) + [.log(.debug, "\(error)")]
        }
    }

    /// A message arrived from the broker; nil when it was not an MDP/0.1 worker message.
    mutating func received(_ message: MDP.WorkerInbound?, now: Int) -> [Action] {
        guard isOnline else { return [] }
        lastHeardAt = now
        backoffMs = settings.reconnectMs
        switch message {
        case .request(let client, let body):
            if case .draining = phase {
                return [.log(.notice, "ignored a request during shutdown; the broker re-queues it on DISCONNECT")]
            }
            guard outstanding < settings.credit else {
                return [
                    .log(
                        .warning,
                        "ignored a request beyond the credit of \(settings.credit); the broker "
                            + "re-queues it when this worker leaves or times out")
                ]
            }
            outstanding += 1
            return [.deliver(Request(generation: generation, client: client, body: body.first ?? Data()))]
        case .heartbeat:
            return []
        case .disconnect:
            outstanding = 0
            if isShuttingDown {
                // The broker has taken back everything it gave us: nothing is left to wait for.
                phase = .stopped
                return [.log(.notice, "broker sent DISCONNECT during shutdown"), .stop]
            }
            // A broker that keeps refusing this worker (a key without the role, say) must not be answered
            // with a tight reconnect loop of CURVE handshakes.
            phase = .waiting(until: now + settings.reconnectMs)
            return [
                .log(.notice, "broker sent DISCONNECT; reconnecting"),
                .disconnect(reconnectAfterMs: settings.reconnectMs),
            ]
        case nil:
            return [.log(.warning, "ignored a message that is not MDP/0.1 for workers")]
        }
    }

    /// The stage answered a request: REPLY if it belongs to this connection, else drop it.
    mutating func completed(generation: Int, client: Data, body: Data, now: Int) -> [Action] {
        guard isOnline, generation == self.generation, outstanding > 0 else {
            return [.log(.debug, "dropped a reply from an earlier connection; the broker re-queued that request")]
        }
        outstanding -= 1
        var actions: [Action] = [.send(MDP.reply(client: client, body: [body]))]
        if case .draining = phase, outstanding == 0 {
            actions += finish("outstanding documents done")
        }
        return actions
    }

    /// The stage did not start a request because shutdown had begun (one held waiting, `--prefetch`): no
    /// reply; it counts as done here, and the DISCONNECT that ends the shutdown hands it back to the broker,
    /// which re-queues every request a departing worker left unanswered.
    mutating func declined(generation: Int, now: Int) -> [Action] {
        guard isOnline, generation == self.generation, outstanding > 0 else { return [] }
        outstanding -= 1
        var actions: [Action] = [
            .log(.debug, "a waiting request was not started (shutdown); handed back on DISCONNECT")
        ]
        if case .draining = phase, outstanding == 0 {
            actions += finish("documents in progress done")
        }
        return actions
    }

    /// Stop taking work; DISCONNECT once the outstanding requests are answered or the grace period ends.
    mutating func shutdownRequested(now: Int) -> [Action] {
        guard !isShuttingDown else { return [] }
        isShuttingDown = true
        switch phase {
        case .connected where outstanding > 0:
            phase = .draining(deadline: now + settings.shutdownGraceMs)
            return [
                .log(
                    .info,
                    "shutting down; waiting up to \(settings.shutdownGraceMs) ms for "
                        + "\(outstanding) document(s)")
            ]
        case .connected:
            return finish("shutting down")
        case .waiting, .connecting:
            // Not connected: the broker has already re-queued whatever it gave us.
            phase = .stopped
            return [.stop]
        case .draining, .stopped:
            return []
        }
    }

    /// Time passed: connect when the back-off is over, heartbeat when due, notice a silent broker,
    /// end a shutdown whose grace period is over.
    mutating func tick(now: Int) -> [Action] {
        switch phase {
        case .waiting(let until):
            guard now >= until else { return [] }
            phase = .connecting
            return [.connect]
        case .connecting, .stopped:
            return []
        case .connected, .draining:
            break
        }
        if case .draining(let deadline) = phase, now >= deadline {
            return [.log(.warning, "shutdown grace period over; handing \(outstanding) document(s) back to the broker")]
                + finish("grace period over")
        }
        if now - lastHeardAt > settings.heartbeatMs * settings.liveness {
            let silence = now - lastHeardAt
            outstanding = 0
            if isShuttingDown {
                phase = .stopped
                return [.log(.warning, "broker silent for \(silence) ms during shutdown"), .stop]
            }
            let delay = backoffMs
            backoffMs = min(backoffMs * 2, settings.maxBackoffMs)
            phase = .waiting(until: now + delay)
            return [
                .log(.warning, "broker silent for \(silence) ms; reconnecting in \(delay) ms"),
                .disconnect(reconnectAfterMs: delay),
            ]
        }
        guard now >= heartbeatAt else { return [] }
        heartbeatAt = now + settings.heartbeatMs
        return [.send(MDP.heartbeat)]
    }

    /// Milliseconds until `tick` has something to do, for the poll timeout.
    func millisUntilNextTick(now: Int) -> Int {
        switch phase {
        case .waiting(let until): return max(0, until - now)
        case .connecting, .stopped: return settings.heartbeatMs
        case .connected, .draining: break
        }
        var next = min(heartbeatAt, lastHeardAt + settings.heartbeatMs * settings.liveness + 1)
        if case .draining(let deadline) = phase { next = min(next, deadline) }
        return max(0, next - now)
    }

    private mutating func finish(_ why: String) -> [Action] {
        phase = .stopped
        return [.send(MDP.disconnect), .log(.info, "\(why); sent DISCONNECT"), .stop]
    }
}
