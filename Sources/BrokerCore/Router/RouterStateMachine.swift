public import DocProtocol
public import Foundation

/// The Majordomo (MDP/0.1, RFC 7) broker logic with no sockets: events in, actions out.
///
/// It owns service queues, worker registration, heartbeats and expiry. Each worker holds up to its
/// credit of requests at once (1 for plain MDP workers; docpipe workers advertise more in READY's
/// identity frame), and replies are matched to them by the client-address frame. A worker that dies
/// gives the client requests it held back to the front of their queue, and reports its stage requests as
/// lost to the pipeline, which decides whether they run again: nothing accepted is lost.
/// Every input is untrusted: anything malformed becomes a counter, a log action and, for workers,
/// a DISCONNECT — never a crash. Normal traffic builds no log lines; only anomalies do.
public struct RouterStateMachine: Sendable {
    public internal(set) var workers: [PeerID: WorkerRecord] = [:]
    public private(set) var counters: [String: Int] = [:]
    /// False while the broker drains for shutdown: queued work stays queued (and journalled) instead of
    /// going to workers, so the drain ends when the documents already out come back.
    public var dispatching = true
    var services: [String: ServiceQueue] = [:]
    /// Bytes of client requests held (queued or with a worker), in all and per client.
    public private(set) var clientBytes = 0
    var clientBytesByPeer: [PeerID: Int] = [:]
    let heartbeat: HeartbeatPolicy
    let limits: RouterLimits
    private var nextRequestID: UInt64 = 1
    private var nextHeartbeatAt: Millis = 0
    /// No worker expires before this: a lower bound on every worker's `expiresAt`, lowered wherever one is set
    /// (`noteExpiry`) and made exact by the scan in `tick`. The loop ticks after every batch of messages, so
    /// scanning every worker there (and again for the poll timeout) cost work in proportion to the number
    /// of workers on every wake-up; now the scan runs when a worker may actually have expired.
    var expiryCheckAt: Millis = .max
    private var nextSweepAt: Millis = 0

    /// Added to a dispatch's number to make its stage token: random per router, so a reply to a token from
    /// before a broker restart (a worker that kept its request across the restart) cannot match a dispatch of
    /// this run that happens to have the same number.
    let stageTokenBase: UInt64

    public init(
        heartbeat: HeartbeatPolicy = HeartbeatPolicy(), limits: RouterLimits = RouterLimits(),
        stageTokenBase: UInt64 = .random(in: .min ... .max)
    ) {
        self.heartbeat = heartbeat
        self.limits = limits
        self.stageTokenBase = stageTokenBase
    }

    // MARK: events

    /// A message arrived from a peer (frames after the routing id).
    public mutating func received(from peer: PeerID, frames: [Data], now: Millis) -> [RouterAction] {
        do {
            let (message, version) = try MDP.decodeAnyAtBroker(frames)
            return received(from: peer, message: message, version: version, now: now)
        } catch {
            return malformed(from: peer, frames: frames, error: error, now: now)
        }
    }

    /// A message arrived that the caller could not decode: counted and logged; a registered worker is
    /// cut off, and a peer that speaks the worker protocol is told DISCONNECT.
    public mutating func malformed(from peer: PeerID, frames: [Data], error: ProtocolError, now: Millis)
        -> [RouterAction]
    {
        count(error.counterName)
        var actions: [RouterAction] = [.log(.warning, "dropped message from \(peer): \(error)")]
        // A registered worker that speaks nonsense is cut off; an unknown peer just gets ignored,
        // since we cannot tell what protocol it expects a reply in.
        if workers[peer] != nil {
            actions += removeWorker(peer, now: now, reason: "protocol error", sendDisconnect: true)
        } else if frames.count >= 2, frames[1] == MDP.workerHeader {
            // It speaks the worker protocol, so DISCONNECT is a reply it understands.
            actions.append(.send(to: peer, frames: MDP.disconnect))
        } else if frames.first == MDP.workerHeader02 {
            actions.append(.send(to: peer, frames: MDP.disconnect(.v02)))
        } else if frames.count >= 2, frames[0].isEmpty, frames[1] == MDP.workerHeader02 {
            actions.append(.send(to: peer, frames: MDP.disconnect(.v02Delimited)))
        }
        return actions
    }

    /// A message arrived that the caller already decoded (with `MDP.decodeAnyAtBroker`), so the broker
    /// decodes each message once.
    public mutating func received(from peer: PeerID, message: MDP.BrokerInbound, version: MDP.Version, now: Millis)
        -> [RouterAction]
    {
        // Through the index, not `workers[peer]?.lastSeenAt = now`: that optional-chained write goes through the
        // dictionary's `modify` accessor, which allocated three times per message in the pipeline profile.
        let slot = workers.index(forKey: peer)
        if let slot { workers.values[slot].lastSeenAt = now }
        switch message {
        case .clientRequest(let service, let body):
            return clientRequested(service: service, body: body, from: peer, version: version, now: now)
        case .ready(let service, let identity):
            return workerReady(peer, service: service, identity: identity, version: version, now: now)
        case .reply(let client, let body):
            return workerReplied(peer, at: slot, client: client, body: body, version: version, now: now)
        case .partial(let client, let body):
            return workerSentPartial(peer, client: client, body: body, version: version, now: now)
        case .heartbeat:
            guard let slot else {
                return unexpected(peer, "HEARTBEAT from an unregistered worker", version: version)
            }
            workers.values[slot].expiresAt = now + heartbeat.expiryMs
            noteExpiry(now + heartbeat.expiryMs)
            return []
        case .disconnect:
            guard workers[peer] != nil else { return [] }
            return removeWorker(peer, now: now, reason: "worker sent DISCONNECT", sendDisconnect: false)
        }
    }

    /// Queues work for a service on behalf of the pipeline or a client, and dispatches it if a worker is idle.
    public mutating func enqueue(
        service: String, origin: RequestOrigin, body: [Data], now: Millis, clientVersion: MDP.Version = .v01,
        exclusive: Bool = false
    ) -> [RouterAction] {
        let request = PendingRequest(
            id: nextRequestID, service: service, origin: origin, body: body, enqueuedAt: now,
            clientVersion: clientVersion, exclusive: exclusive, tokenBase: stageTokenBase)
        nextRequestID += 1
        // One probe of `services` for the push and the dispatch after it.
        let slot: [String: ServiceQueue].Index
        if let known = services.index(forKey: service) {
            slot = known
        } else {
            services[service] = ServiceQueue()
            slot = services.index(forKey: service)!
        }
        services.values[slot].push(request)
        var actions: [RouterAction] = []
        if dispatching {
            Self.dispatch(from: &services.values[slot], workers: &workers, into: &actions)
        }
        return actions
    }

    /// Time passed: heartbeat the workers when due and expire the silent ones.
    public mutating func tick(now: Millis) -> [RouterAction] {
        var actions: [RouterAction] = []
        if now >= expiryCheckAt {
            // Oldest registration first, so what expired workers held is re-queued in a repeatable order.
            let expired = workers.values.filter { $0.expiresAt <= now }
                .sorted { ($0.registeredAt, $0.peer.description) < ($1.registeredAt, $1.peer.description) }
                .map(\.peer)
            for peer in expired {
                actions += removeWorker(
                    peer, now: now, reason: "expired after \(heartbeat.expiryMs) ms of silence",
                    sendDisconnect: false)
                count("workers_expired")
            }
            expiryCheckAt = workers.values.lazy.map(\.expiresAt).min() ?? .max
        }
        if now >= nextHeartbeatAt {
            for (peer, worker) in workers.sorted(by: { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }) {
                actions.append(.send(to: peer, frames: MDP.heartbeat(worker.version)))
            }
            nextHeartbeatAt = now + heartbeat.intervalMs
        }
        if now >= nextSweepAt {
            actions += sweep(now: now)
            nextSweepAt = now + 1000
        }
        return actions
    }

    /// Withdraws a stage dispatch that timed out from the worker holding it (the pipeline engine knows who:
    /// the dispatch's lease), which is cut off (DISCONNECT) since it is stuck or too slow; it reconnects fresh
    /// and the other requests it held go back to the front of the queue. The withdrawn one is not re-queued:
    /// the pipeline decides what happens next. Nothing happens when the worker no longer holds it.
    ///
    /// Only a leased dispatch times out, and a stage request never goes back to a queue once a worker took
    /// it (a departed worker's stage requests are reported lost instead), so the holder is the one place to
    /// look. The index of every stage request's whereabouts kept for this before cost four probes of a table
    /// per stage — a fifth of the hashing left on the loop thread — for an event that is rare.
    public mutating func abandon(jobID: String, ticket: Int, heldBy peer: PeerID, now: Millis) -> [RouterAction] {
        guard let slot = workers.index(forKey: peer),
            workers.values[slot].held.remove(origin: .stage(jobID: jobID, ticket: ticket)) != nil
        else { return [] }
        count("workers_cut_off")
        return removeWorker(
            peer, now: now, reason: "held job \(jobID) past its stage timeout",
            sendDisconnect: true)
    }

    /// Drops client requests that waited too long for a worker (answering 504), and forgets services
    /// that have neither workers nor requests, so random service names cannot pile up.
    private mutating func sweep(now: Millis) -> [RouterAction] {
        var actions: [RouterAction] = []
        for name in services.keys.sorted() {
            let expired =
                services[name]?.removeAll { request in
                    if case .client = request.origin { return now - request.enqueuedAt > limits.clientRequestTTLms }
                    return false
                } ?? []
            for request in expired {
                guard case .client(let peer) = request.origin else { continue }
                release(request)
                count("client_requests_expired")
                let reply = Self.errorBody(
                    ErrorReply(
                        status: StatusCode(504), reason: "timeout",
                        message: "no worker for '\(name)' took the request within \(limits.clientRequestTTLms) ms"))
                actions.append(
                    .send(
                        to: peer,
                        frames: MDP.clientReply(
                            service: name, body: [reply],
                            version: request.clientVersion)))
            }
            if let queue = services[name], queue.waiting == 0, queue.rotation.isEmpty,
                !workers.values.contains(where: { $0.service == name })
            {
                services[name] = nil
            }
        }
        return actions
    }

    static func errorBody(_ error: ErrorReply) -> Data {
        (try? WireJSON.encode(error)) ?? Data(#"{"status":500}"#.utf8)
    }

    /// The socket could not deliver to this peer (it is gone): treat a worker as dead.
    public mutating func deliveryFailed(to peer: PeerID, now: Millis) -> [RouterAction] {
        count("delivery_failed")
        guard workers[peer] != nil else { return [] }
        return removeWorker(peer, now: now, reason: "unreachable", sendDisconnect: false)
    }

    /// Milliseconds until `tick` has something to do, for the poll timeout.
    public func millisUntilNextTick(now: Millis) -> Millis {
        max(0, min(nextHeartbeatAt, expiryCheckAt) - now)
    }

    /// A worker's `expiresAt` was set to `at`: keeps `expiryCheckAt` a lower bound.
    mutating func noteExpiry(_ at: Millis) { expiryCheckAt = min(expiryCheckAt, at) }

    // MARK: queries

    /// Whether any worker serves this service now (for `mmi.service`).
    public func hasWorkers(for service: String) -> Bool {
        workers.values.contains { $0.service == service }
    }

    /// A per-service view for status reports, sorted by name.
    public func serviceSnapshots() -> [BrokerStatus.Service] {
        let names = Set(services.keys).union(workers.values.map(\.service))
        return names.sorted().map { name in
            let serving = workers.values.filter { $0.service == name }
            return BrokerStatus.Service(
                name: name, queued: services[name]?.waiting ?? 0,
                inflight: serving.reduce(0) { $0 + $1.outstanding },
                workers: serving.count, idle: serving.filter(\.isIdle).count)
        }
    }

    public func queuedCount(service: String) -> Int { services[service]?.waiting ?? 0 }

    /// When the oldest request waiting for a service was queued.
    public func oldestQueuedAt(service: String) -> Millis? { services[service]?.oldestEnqueuedAt }

    /// Every queue that has work waiting, for broker-wide "oldest queued" figures.
    public var servicesWithQueues: [String] { services.filter { $0.value.waiting > 0 }.map(\.key) }

    /// A worker that missed a heartbeat but has not expired yet.
    public func isStale(_ worker: WorkerRecord, now: Millis) -> Bool {
        now - worker.lastSeenAt > heartbeat.intervalMs * 3 / 2
    }

    public var totalQueued: Int { services.values.reduce(0) { $0 + $1.waiting } }

    // MARK: client side

    private mutating func clientRequested(
        service: String, body: [Data], from peer: PeerID, version: MDP.Version, now: Millis
    ) -> [RouterAction] {
        if service.hasPrefix("mmi.") {
            return [
                .send(
                    to: peer,
                    frames: MDP.clientReply(
                        service: service, body: [Data(mmiAnswer(service, body).utf8)],
                        version: version))
            ]
        }
        if service.hasPrefix("docpipe.") {
            return [.callInternal(service: service, client: peer, body: body, version: version)]
        }
        count("client_requests")
        /// A 503 straight back to the client, counted as a busy reply and under `counter`.
        func busy(_ counter: String?, reason: String = "busy", _ message: String, retryAfterMs: Int = 1000)
            -> [RouterAction]
        {
            count("busy_replies")
            if let counter { count(counter) }
            let reply = Self.errorBody(
                ErrorReply(
                    status: .busy, reason: reason, message: message,
                    retryAfterMs: retryAfterMs))
            return [.send(to: peer, frames: MDP.clientReply(service: service, body: [reply], version: version))]
        }
        if services[service] == nil, services.count >= limits.maxServices {
            return busy(
                "too_many_services", reason: "too_many_services",
                "the broker already keeps queues for \(limits.maxServices) services; '\(service)' has no "
                    + "worker and is not one of them", retryAfterMs: 5000)
        }
        let size = body.reduce(0) { $0 + $1.count }
        let peerBytes = clientBytesByPeer[peer] ?? 0
        if clientBytes + size > limits.maxClientBytes || peerBytes + size > limits.maxClientBytesPerPeer {
            return busy(
                "client_bytes_refused",
                "the broker holds \(clientBytes >> 20) MiB of requests (\(peerBytes >> 20) MiB from this "
                    + "client); a \(size >> 20) MiB request does not fit until some are answered")
        }
        if queuedCount(service: service) >= limits.maxQueuePerService {
            return busy(nil, "\(limits.maxQueuePerService) requests already wait for '\(service)'")
        }
        clientBytes += size
        clientBytesByPeer[peer, default: 0] += size
        return enqueue(service: service, origin: .client(peer), body: body, now: now, clientVersion: version)
    }

    /// A client request left the broker (answered, expired or given up): its bytes no longer count.
    mutating func release(_ request: PendingRequest) {
        guard case .client(let peer) = request.origin else { return }
        let size = request.bodyBytes
        clientBytes -= size
        let left = (clientBytesByPeer[peer] ?? 0) - size
        clientBytesByPeer[peer] = left > 0 ? left : nil
    }

    /// RFC 8: 200 when the named service has a worker (or is one of the broker's own), 404 when not;
    /// 501 for MMI services this broker does not implement.
    private func mmiAnswer(_ service: String, _ body: [Data]) -> String {
        guard service == ServiceName.mmiService else { return "501" }
        let asked = body.first.flatMap { String(data: $0, encoding: .utf8) } ?? ""
        if hasWorkers(for: asked) || BrokerServices.all.contains(asked) { return "200" }
        return "404"
    }

    mutating func count(_ name: String, by amount: Int = 1) { counters[name, default: 0] += amount }
}

/// The broker's own services, answered without a worker.
public enum BrokerServices {
    public static let all: Set<String> = [
        ServiceName.submit, ServiceName.job, ServiceName.status,
        ServiceName.deadLetters, ServiceName.reload, ServiceName.workers,
        ServiceName.jobs,
    ]
}
