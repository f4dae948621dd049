public import DocProtocol
public import Foundation

/// The Majordomo (MDP/0.1, RFC 7) broker logic with no sockets: events in, actions out.
///
/// It owns service queues, worker registration, heartbeats and expiry. A worker that dies while
/// holding a request gives the request back to the front of its queue, so nothing accepted is lost.
/// Every input is untrusted: anything malformed becomes a counter, a log action and, for workers,
/// a DISCONNECT — never a crash.
public struct RouterStateMachine: Sendable {
    public private(set) var workers: [PeerID: WorkerRecord] = [:]
    public private(set) var counters: [String: Int] = [:]
    /// False while the broker drains for shutdown: queued work stays queued (and journalled) instead of
    /// going to workers, so the drain ends when the documents already out come back.
    public var dispatching = true
    var services: [String: ServiceQueue] = [:]
    let heartbeat: HeartbeatPolicy
    let limits: RouterLimits
    private var nextRequestID: UInt64 = 1
    private var nextHeartbeatAt: Millis = 0
    private var nextSweepAt: Millis = 0

    public init(heartbeat: HeartbeatPolicy = HeartbeatPolicy(), limits: RouterLimits = RouterLimits()) {
        self.heartbeat = heartbeat
        self.limits = limits
    }

    // MARK: events

    /// A message arrived from a peer (frames after the routing id).
    public mutating func received(from peer: PeerID, frames: [Data], now: Millis) -> [RouterAction] {
        let message: MDP.BrokerInbound
        let version: MDP.Version
        do {
            (message, version) = try MDP.decodeAnyAtBroker(frames)
        } catch {
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
        if workers[peer] != nil { workers[peer]?.lastSeenAt = now }
        switch message {
        case .clientRequest(let service, let body):
            return clientRequested(service: service, body: body, from: peer, version: version, now: now)
        case .ready(let service, let identity):
            var actions = workerReady(peer, service: service, version: version, now: now)
            if let identity, workers[peer] != nil {
                if let parsed = try? WireJSON.decode(WorkerIdentity.self, from: identity) {
                    workers[peer]?.identity = parsed
                } else {
                    count("bad_identity")
                    actions.append(.log(.debug, "worker \(peer) sent an unreadable identity frame; ignored"))
                }
            }
            return actions
        case .reply(let client, let body):
            return workerReplied(peer, client: client, body: body, version: version, now: now)
        case .partial(_, let body):
            return workerSentPartial(peer, body: body, version: version, now: now)
        case .heartbeat:
            guard workers[peer] != nil else {
                return unexpected(peer, "HEARTBEAT from an unregistered worker", version: version)
            }
            workers[peer]?.expiresAt = now + heartbeat.expiryMs
            return []
        case .disconnect:
            guard workers[peer] != nil else { return [] }
            return removeWorker(peer, now: now, reason: "worker sent DISCONNECT", sendDisconnect: false)
        }
    }

    /// Queues work for a service on behalf of the pipeline or a client, and dispatches it if a worker is idle.
    public mutating func enqueue(
        service: String, origin: RequestOrigin, body: [Data], now: Millis, clientVersion: MDP.Version = .v01
    ) -> [RouterAction] {
        var request = PendingRequest(id: nextRequestID, service: service, origin: origin, body: body, enqueuedAt: now)
        request.clientVersion = clientVersion
        nextRequestID += 1
        services[service, default: ServiceQueue()].push(request)
        return dispatch(service: service, now: now)
    }

    /// Time passed: heartbeat the workers when due and expire the silent ones.
    public mutating func tick(now: Millis) -> [RouterAction] {
        var actions: [RouterAction] = []
        for (peer, worker) in workers where worker.expiresAt <= now {
            actions += removeWorker(peer, now: now, reason: "expired after \(heartbeat.expiryMs) ms of silence",
                                    sendDisconnect: false)
            count("workers_expired")
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

    /// Withdraws a stage dispatch that timed out: from its queue if still waiting, or from the worker
    /// holding it, which is cut off (DISCONNECT) since it is stuck or too slow; it reconnects fresh.
    public mutating func abandon(jobID: String, ticket: Int, now: Millis) -> [RouterAction] {
        let origin = RequestOrigin.stage(jobID: jobID, ticket: ticket)
        for name in services.keys {
            if !(services[name]?.removeAll { $0.origin == origin } ?? []).isEmpty { return [] }
        }
        guard let holder = workers.values.first(where: { $0.inflight?.origin == origin }) else { return [] }
        workers[holder.peer]?.inflight = nil
        count("workers_cut_off")
        return removeWorker(holder.peer, now: now, reason: "held job \(jobID) past its stage timeout",
                            sendDisconnect: true)
    }

    /// Drops client requests that waited too long for a worker (answering 504), and forgets services
    /// that have neither workers nor requests, so random service names cannot pile up.
    private mutating func sweep(now: Millis) -> [RouterAction] {
        var actions: [RouterAction] = []
        for name in services.keys.sorted() {
            let expired = services[name]?.removeAll { request in
                if case .client = request.origin { return now - request.enqueuedAt > limits.clientRequestTTLms }
                return false
            } ?? []
            for request in expired {
                guard case .client(let peer) = request.origin else { continue }
                count("client_requests_expired")
                let reply = Self.errorBody(ErrorReply(
                    status: StatusCode(504), reason: "timeout",
                    message: "no worker for '\(name)' took the request within \(limits.clientRequestTTLms) ms"))
                actions.append(.send(to: peer, frames: MDP.clientReply(service: name, body: [reply],
                                                                       version: request.clientVersion)))
            }
            if let queue = services[name], queue.waiting == 0, queue.idleWorkers.isEmpty,
               !workers.values.contains(where: { $0.service == name }) {
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
        let nextExpiry = workers.values.map(\.expiresAt).min() ?? Millis.max
        return max(0, min(nextHeartbeatAt, nextExpiry) - now)
    }

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
                inflight: serving.filter { !$0.isIdle }.count,
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
            return [.send(to: peer, frames: MDP.clientReply(service: service, body: [Data(mmiAnswer(service, body).utf8)],
                                                             version: version))]
        }
        if service.hasPrefix("docpipe.") {
            return [.callInternal(service: service, client: peer, body: body, version: version)]
        }
        count("client_requests")
        if queuedCount(service: service) >= limits.maxQueuePerService {
            count("busy_replies")
            let reply = Self.errorBody(ErrorReply(
                status: .busy, reason: "busy", message: "\(limits.maxQueuePerService) requests already wait for '\(service)'",
                retryAfterMs: 1000))
            return [.send(to: peer, frames: MDP.clientReply(service: service, body: [reply], version: version))]
        }
        return enqueue(service: service, origin: .client(peer), body: body, now: now, clientVersion: version)
    }

    /// RFC 8: 200 when the named service has a worker (or is one of the broker's own), 404 when not;
    /// 501 for MMI services this broker does not implement.
    private func mmiAnswer(_ service: String, _ body: [Data]) -> String {
        guard service == ServiceName.mmiService else { return "501" }
        let asked = body.first.flatMap { String(data: $0, encoding: .utf8) } ?? ""
        if hasWorkers(for: asked) || BrokerServices.all.contains(asked) { return "200" }
        return "404"
    }

    // MARK: worker side

    private mutating func workerReady(_ peer: PeerID, service: String, version: MDP.Version, now: Millis)
        -> [RouterAction]
    {
        if workers[peer] != nil {
            // RFC 7: a READY from a registered worker is a protocol error; the broker disconnects it.
            count("duplicate_ready")
            return removeWorker(peer, now: now, reason: "sent READY twice", sendDisconnect: true)
        }
        if ServiceName.isReserved(service) {
            count("reserved_service")
            return [.log(.warning, "worker \(peer) asked for reserved service '\(service)'; disconnecting"),
                    .send(to: peer, frames: MDP.disconnect(version))]
        }
        workers[peer] = WorkerRecord(peer: peer, service: service, expiresAt: now + heartbeat.expiryMs,
                                     registeredAt: now, version: version, lastSeenAt: now)
        services[service, default: ServiceQueue()].idleWorkers.append(peer)
        count("workers_registered")
        return [.log(.info, "worker \(peer) ready for '\(service)'")] + dispatch(service: service, now: now)
    }

    private mutating func workerReplied(_ peer: PeerID, client: Data, body: [Data], version: MDP.Version, now: Millis)
        -> [RouterAction]
    {
        guard var worker = workers[peer] else {
            return unexpected(peer, "REPLY from an unregistered worker", version: version)
        }
        guard let request = worker.inflight else {
            count("unexpected_reply")
            return [.log(.warning, "worker \(peer) sent a REPLY but holds no request; disconnecting")]
                + removeWorker(peer, now: now, reason: "REPLY without a request", sendDisconnect: true)
        }
        if client != request.origin.envelope {
            // The worker mangled the address frame. We still know whose request it held, so the
            // reply goes to the right place; the counter tells the operator about the buggy worker.
            count("reply_address_mismatch")
        }
        worker.inflight = nil
        worker.completed += 1
        worker.expiresAt = now + heartbeat.expiryMs
        workers[peer] = worker
        services[worker.service, default: ServiceQueue()].idleWorkers.append(peer)

        var actions: [RouterAction]
        switch request.origin {
        case .client(let clientPeer):
            actions = [.send(to: clientPeer, frames: MDP.clientReply(service: request.service, body: body,
                                                                     version: request.clientVersion))]
        case .stage(let jobID, let ticket):
            actions = [.stageReplied(jobID: jobID, ticket: ticket, body: body, worker: peer)]
        }
        return actions + dispatch(service: worker.service, now: now)
    }

    /// RFC 18: a PARTIAL reply. It goes on to an MDP/0.2 client; a 0.1 client or a pipeline stage has no
    /// use for partial answers, so there it is only counted (the FINAL carries the result).
    private mutating func workerSentPartial(_ peer: PeerID, body: [Data], version: MDP.Version, now: Millis)
        -> [RouterAction]
    {
        guard let worker = workers[peer] else {
            return unexpected(peer, "PARTIAL from an unregistered worker", version: version)
        }
        guard let request = worker.inflight else {
            count("unexpected_reply")
            return [.log(.warning, "worker \(peer) sent a PARTIAL but holds no request; disconnecting")]
                + removeWorker(peer, now: now, reason: "PARTIAL without a request", sendDisconnect: true)
        }
        workers[peer]?.expiresAt = now + heartbeat.expiryMs
        if case .client(let clientPeer) = request.origin, request.clientVersion != .v01 {
            return [.send(to: clientPeer, frames: MDP.clientReply(service: request.service, body: body,
                                                                  version: request.clientVersion, final: false))]
        }
        count("partial_dropped")
        return []
    }

    /// RFC 7: any unexpected command from a peer the broker does not know as a worker gets DISCONNECT.
    private mutating func unexpected(_ peer: PeerID, _ what: String, version: MDP.Version = .v01) -> [RouterAction] {
        count("unexpected_command")
        return [.log(.warning, "\(what) \(peer); disconnecting"), .send(to: peer, frames: MDP.disconnect(version))]
    }

    private mutating func removeWorker(_ peer: PeerID, now: Millis, reason: String, sendDisconnect: Bool)
        -> [RouterAction]
    {
        guard let worker = workers.removeValue(forKey: peer) else { return [] }
        services[worker.service]?.idleWorkers.removeAll { $0 == peer }
        var actions: [RouterAction] = [.log(.info, "worker \(peer) for '\(worker.service)' removed: \(reason)")]
        if sendDisconnect { actions.append(.send(to: peer, frames: MDP.disconnect(worker.version))) }
        if var request = worker.inflight {
            request.redeliveries += 1
            services[worker.service, default: ServiceQueue()].pushFront(request)
            count("requeued")
            actions.append(.log(.warning, "re-queued request \(request.id) held by \(peer)"))
            actions += dispatch(service: worker.service, now: now)
        }
        return actions
    }

    private mutating func dispatch(service: String, now: Millis) -> [RouterAction] {
        guard dispatching else { return [] }
        var actions: [RouterAction] = []
        while var queue = services[service], !queue.idleWorkers.isEmpty, queue.waiting > 0 {
            let peer = queue.idleWorkers.removeFirst()
            let request = queue.popFirst()!
            services[service] = queue
            workers[peer]?.inflight = request
            let version = workers[peer]?.version ?? .v01
            actions.append(.send(to: peer, frames: MDP.request(client: request.origin.envelope, body: request.body,
                                                               version: version)))
            if case .stage(let jobID, let ticket) = request.origin {
                actions.append(.leased(jobID: jobID, ticket: ticket, worker: peer))
            }
        }
        return actions
    }

    private mutating func count(_ name: String) { counters[name, default: 0] += 1 }
}

/// The broker's own services, answered without a worker.
public enum BrokerServices {
    public static let all: Set<String> = [ServiceName.submit, ServiceName.job, ServiceName.status,
                                          ServiceName.deadLetters, ServiceName.reload, ServiceName.workers,
                                          ServiceName.jobs]
}
