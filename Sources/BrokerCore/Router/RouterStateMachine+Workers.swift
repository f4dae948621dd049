import DocProtocol
import Foundation

// The worker side of the router: registration, replies matched to held requests, credit-based
// dispatch, and giving back what a departed worker held.
//
// Worker records are changed in place through their index (`workers.values[slot]`), never copied out and
// written back: a copy would share the held-request tables and force a full copy of them on every reply, and
// taking a record out of the table and putting it back re-hashes the entries after it.
extension RouterStateMachine {
    mutating func workerReady(
        _ peer: PeerID, service: String, identity: Data?, version: MDP.Version, now: Millis
    ) -> [RouterAction] {
        if workers[peer] != nil {
            // RFC 7: a READY from a registered worker is a protocol error; the broker disconnects it.
            count("duplicate_ready")
            return removeWorker(peer, now: now, reason: "sent READY twice", sendDisconnect: true)
        }
        if ServiceName.isReserved(service) {
            count("reserved_service")
            return [
                .log(.warning, "worker \(peer) asked for reserved service '\(service)'; disconnecting"),
                .send(to: peer, frames: MDP.disconnect(version)),
            ]
        }
        var record = WorkerRecord(
            peer: peer, service: service, expiresAt: now + heartbeat.expiryMs,
            registeredAt: now, version: version, lastSeenAt: now)
        var notes: [RouterAction] = []
        if let identity {
            if let parsed = try? WireJSON.decode(WorkerIdentity.self, from: identity) {
                record.identity = parsed
            } else {
                count("bad_identity")
                notes.append(.log(.debug, "worker \(peer) sent an unreadable identity frame; ignored"))
            }
        }
        // Credit is a docpipe extension of MDP/0.1's READY; an MDP/0.2 worker takes one request at a time.
        let advertised = version == .v01 ? record.identity?.credit : nil
        record.credit = WorkerRecord.honouredCredit(advertised)
        if let advertised, advertised != record.credit {
            count("credit_clamped")
            notes.append(.log(.debug, "worker \(peer) advertised credit \(advertised); holding it to \(record.credit)"))
        }
        workers[peer] = record
        noteExpiry(record.expiresAt)
        services[service, default: ServiceQueue()].rotation.append(peer)
        count("workers_registered")
        let creditNote = record.credit > 1 ? " with credit \(record.credit)" : ""
        var actions: [RouterAction] = [.log(.info, "worker \(peer) ready for '\(service)'\(creditNote)")] + notes
        dispatch(service: service, now: now, into: &actions)
        return actions
    }

    /// `slot` is the worker's index in `workers` (nil when it is not registered), looked up once per message.
    mutating func workerReplied(
        _ peer: PeerID, at slot: [PeerID: WorkerRecord].Index?, client: Data, body: [Data], version: MDP.Version,
        now: Millis
    ) -> [RouterAction] {
        // The record is changed where it is, through its index: one probe of the table per reply. (Taking it
        // out and putting it back, as before, hashed the id twice and made the removal re-hash every record
        // after it in its probe run: with the other tables done the same way, 154 hashes a document on the
        // loop thread, counted with a probe on `Hasher._finalize`.)
        guard let slot else {
            return unexpected(peer, "REPLY from an unregistered worker", version: version)
        }
        let (wasFull, held) = Self.takeReply(to: client, from: &workers.values[slot])
        let request: PendingRequest
        if let held {
            request = held // the usual case: the reply names a request this worker holds
        } else {
            switch match(peer, client: client, what: "REPLY", now: now) {
            case .matched(let found):
                // A match changes no table, so `slot` still points at this worker.
                request = found
                workers.values[slot].held.remove(id: found.id)
            case .refused(let actions):
                return actions
            }
        }
        let expiresAt = now + heartbeat.expiryMs
        let freed = Self.noteReply(&workers.values[slot], expiresAt: expiresAt) && wasFull
        noteExpiry(expiresAt)
        let service = request.service
        if freed {
            // It was full (or held an exclusive request), so out of the rotation; now it can take more.
            services[service, default: ServiceQueue()].rotation.append(peer)
        }

        // One array for the reply and the dispatch it frees (a send and a lease): `[reply] + dispatch(…)`
        // allocated three.
        var actions: [RouterAction] = []
        actions.reserveCapacity(3)
        switch request.origin {
        case .client(let clientPeer):
            release(request)
            actions.append(
                .send(
                    to: clientPeer,
                    frames: MDP.clientReply(
                        service: service, body: body,
                        version: request.clientVersion)))
        case .stage(let jobID, let ticket):
            actions.append(.stageReplied(jobID: jobID, ticket: ticket, body: body, worker: peer))
        }
        dispatch(service: service, now: now, into: &actions)
        return actions
    }

    /// Takes the request a reply's address names from the worker (nil when it holds none by that address),
    /// and says whether the worker was full before.
    private static func takeReply(to client: Data, from worker: inout WorkerRecord) -> (Bool, PendingRequest?) {
        let wasFull = !worker.hasFreeCredit
        return (wasFull, worker.held.take(envelope: client))
    }

    /// Counts a reply on the worker's record and renews its expiry; says whether it has free credit now.
    private static func noteReply(_ worker: inout WorkerRecord, expiresAt: Millis) -> Bool {
        worker.completed += 1
        worker.expiresAt = expiresAt
        return worker.hasFreeCredit
    }

    /// RFC 18: a PARTIAL reply, matched like a REPLY but leaving the request held. It goes on to an
    /// MDP/0.2 client; a 0.1 client or a pipeline stage has no use for partial answers, so there it is
    /// only counted (the FINAL carries the result).
    mutating func workerSentPartial(_ peer: PeerID, client: Data, body: [Data], version: MDP.Version, now: Millis)
        -> [RouterAction]
    {
        guard workers[peer] != nil else {
            return unexpected(peer, "PARTIAL from an unregistered worker", version: version)
        }
        let request: PendingRequest
        switch match(peer, client: client, what: "PARTIAL", now: now) {
        case .matched(let found): request = found
        case .refused(let actions): return actions
        }
        workers[peer]?.expiresAt = now + heartbeat.expiryMs
        noteExpiry(now + heartbeat.expiryMs)
        if case .client(let clientPeer) = request.origin, request.clientVersion != .v01 {
            return [
                .send(
                    to: clientPeer,
                    frames: MDP.clientReply(
                        service: request.service, body: body,
                        version: request.clientVersion, final: false))
            ]
        }
        count("partial_dropped")
        return []
    }

    private enum ReplyMatch {
        case matched(PendingRequest)
        /// The reply fits nothing the worker holds; it has been cut off and these are the consequences.
        case refused([RouterAction])
    }

    /// Finds the held request a reply answers, by client address. A credit-1 worker holds exactly one, so
    /// a mangled address still has an unambiguous owner (counted, as plain MDP brokers tolerate it); with
    /// more held, guessing could hand one client another's answer, so the worker is cut off instead.
    private mutating func match(_ peer: PeerID, client: Data, what: String, now: Millis) -> ReplyMatch {
        guard let worker = workers[peer], !worker.isIdle else {
            count("unexpected_reply")
            return .refused(
                [.log(.warning, "worker \(peer) sent a \(what) but holds no request; disconnecting")]
                    + removeWorker(peer, now: now, reason: "\(what) without a request", sendDisconnect: true))
        }
        if let found = worker.held.first(for: client) { return .matched(found) }
        if worker.credit == 1, let only = worker.inflight, !RequestOrigin.isStageEnvelope(client) {
            // The worker mangled the address frame. We still know whose request it held, so the
            // reply goes to the right place; the counter tells the operator about the buggy worker.
            // Not for an address that is a stage token: that is a late or repeated reply to a request
            // the worker no longer holds, and applying it to the one it holds now would put one job's
            // result on another.
            count("reply_address_mismatch")
            return .matched(only)
        }
        count("unmatched_reply")
        return .refused(
            [
                .log(
                    .warning,
                    "worker \(peer) sent a \(what) for \(MDP.printable(client)), which it does "
                        + "not hold; disconnecting")
            ]
                + removeWorker(peer, now: now, reason: "\(what) matching no held request", sendDisconnect: true))
    }

    /// RFC 7: any unexpected command from a peer the broker does not know as a worker gets DISCONNECT.
    mutating func unexpected(_ peer: PeerID, _ what: String, version: MDP.Version = .v01) -> [RouterAction] {
        count("unexpected_command")
        return [.log(.warning, "\(what) \(peer); disconnecting"), .send(to: peer, frames: MDP.disconnect(version))]
    }

    /// Forgets a worker. What it held is not lost: a client's request goes back to the front of its
    /// service's queue, in the order the worker took them, counted as a redelivery (after
    /// `limits.maxRedeliveries` the client gets 503 `worker_lost` instead); a stage request is reported
    /// as `stageLost`, since whether that document runs again is the pipeline's decision (a document that
    /// kills every worker it reaches must end, not loop).
    mutating func removeWorker(_ peer: PeerID, now: Millis, reason: String, sendDisconnect: Bool)
        -> [RouterAction]
    {
        guard let worker = workers.removeValue(forKey: peer) else { return [] }
        services[worker.service]?.rotation.remove(peer)
        var actions: [RouterAction] = [.log(.info, "worker \(peer) for '\(worker.service)' removed: \(reason)")]
        if sendDisconnect { actions.append(.send(to: peer, frames: MDP.disconnect(worker.version))) }
        guard !worker.held.isEmpty else { return actions }

        var returned: [PendingRequest] = []
        for request in worker.held.inOrder {
            switch request.origin {
            case .stage(let jobID, let ticket):
                count("stage_deliveries_lost")
                actions.append(.stageLost(jobID: jobID, ticket: ticket, worker: peer, reason: reason))
            case .client(let client):
                var request = request
                request.redeliveries += 1
                guard request.redeliveries <= limits.maxRedeliveries else {
                    count("client_requests_lost")
                    release(request)
                    let reply = Self.errorBody(
                        ErrorReply(
                            status: .busy, reason: "worker_lost",
                            message: "\(request.redeliveries) workers of '\(worker.service)' were lost while holding "
                                + "this request; it is not delivered again"))
                    actions.append(
                        .send(
                            to: client,
                            frames: MDP.clientReply(
                                service: worker.service, body: [reply],
                                version: request.clientVersion)))
                    continue
                }
                returned.append(request)
            }
        }
        guard !returned.isEmpty else {
            dispatch(service: worker.service, now: now, into: &actions)
            return actions
        }
        services[worker.service, default: ServiceQueue()].pushFront(returned)
        count("requeued", by: returned.count)
        let what = returned.count == 1 ? "request \(returned[0].id)" : "\(returned.count) requests"
        actions.append(.log(.warning, "re-queued \(what) held by \(peer)"))
        dispatch(service: worker.service, now: now, into: &actions)
        return actions
    }

    /// Hands queued requests to workers with free credit, one per worker in turn, so work spreads across
    /// a service's workers instead of filling one worker's credit first. The sends (and leases) are appended
    /// to `actions`: the caller's array, not one more per call.
    mutating func dispatch(service: String, now: Millis, into actions: inout [RouterAction]) {
        guard dispatching, let slot = services.index(forKey: service) else { return }
        // The queue and the worker records are two stored properties: each is changed in place (the queue
        // through its index, no removal and re-insertion), one probe of `services` per call.
        Self.dispatch(from: &services.values[slot], workers: &workers, into: &actions)
    }

    static func dispatch(
        from queue: inout ServiceQueue, workers: inout [PeerID: WorkerRecord], into actions: inout [RouterAction]
    ) {
        // A dispatch appends a send and, for a stage, a lease: room for both at once.
        if queue.waiting > 0, !queue.rotation.isEmpty { actions.reserveCapacity(actions.count + 2) }
        while queue.waiting > 0 {
            // An exclusive request waits at the head for a worker that holds nothing (the requests behind
            // it wait too, briefly: with nothing dispatched, workers empty out).
            let exclusive = queue.first?.exclusive == true
            let next =
                exclusive ? queue.rotation.removeFirst { workers[$0]?.isIdle == true } : queue.rotation.popFirst()
            guard let peer = next else { break }
            // A rotation entry always names a live worker; skipping a stale one keeps it that way.
            guard let slot = workers.index(forKey: peer) else { continue }
            guard let request = queue.popFirst() else {
                queue.rotation.append(peer)
                break
            }
            let (version, hasFreeCredit) = Self.take(request, into: &workers.values[slot])
            if hasFreeCredit { queue.rotation.append(peer) }
            actions.append(
                .send(
                    to: peer,
                    frames: MDP.request(
                        client: request.envelope, body: request.body,
                        version: version)))
            if case .stage(let jobID, let ticket) = request.origin {
                actions.append(.leased(jobID: jobID, ticket: ticket, worker: peer))
            }
        }
    }

    /// The worker takes the request; gives its MDP version and whether it can take another.
    private static func take(_ request: PendingRequest, into worker: inout WorkerRecord) -> (MDP.Version, Bool) {
        worker.held.add(request)
        return (worker.version, worker.hasFreeCredit)
    }
}
