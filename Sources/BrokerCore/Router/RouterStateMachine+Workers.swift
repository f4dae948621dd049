import DocProtocol
import Foundation

// The worker side of the router: registration, replies matched to held requests, credit-based
// dispatch, and giving back what a departed worker held.
//
// Worker records are mutated in place (`workers[peer]?.…`), never copied out and written back: a
// copy would share the held-request tables and force a full copy of them on every reply.
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

    mutating func workerReplied(_ peer: PeerID, client: Data, body: [Data], version: MDP.Version, now: Millis)
        -> [RouterAction]
    {
        // The record is taken out while it changes and put back once: every `workers[peer]?.…` would hash
        // the id again and copy the record (the echo profile had those copies at a few per cent).
        guard var worker = workers.removeValue(forKey: peer) else {
            return unexpected(peer, "REPLY from an unregistered worker", version: version)
        }
        let request: PendingRequest
        let wasFull = !worker.hasFreeCredit
        if let held = worker.held.take(envelope: client) {
            request = held // the usual case: the reply names a request this worker holds
        } else {
            workers[peer] = worker
            switch match(peer, client: client, what: "REPLY", now: now) {
            case .matched(let found):
                // A match changes no worker, so the record is still the local one; taking it back out
                // leaves the local copy the only one, so removing the request copies nothing.
                request = found
                worker = workers.removeValue(forKey: peer) ?? worker
                worker.held.remove(id: found.id)
            case .refused(let actions):
                return actions
            }
        }
        worker.completed += 1
        worker.expiresAt = now + heartbeat.expiryMs
        noteExpiry(worker.expiresAt)
        let freed = wasFull && worker.hasFreeCredit
        // Consumed, not copied: a copy left alive here made the next dispatch to this worker copy its
        // held requests (copy-on-write) and this function destroy them all again — two passes over
        // everything the worker holds, per reply (the echo profile: a tenth of the broker's time).
        workers[peer] = consume worker
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
            if stageIndex[request.origin]?.id == request.id { stageIndex[request.origin] = nil }
            actions.append(.stageReplied(jobID: jobID, ticket: ticket, body: body, worker: peer))
        }
        dispatch(service: service, now: now, into: &actions)
        return actions
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
                if stageIndex[request.origin]?.id == request.id { stageIndex[request.origin] = nil }
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
        // The queue and each worker record are taken out while they change and put back once (one hash of
        // the service name per call instead of several per request; no copies of the records).
        guard dispatching, var queue = services.removeValue(forKey: service) else { return }
        defer { services[service] = queue }
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
            guard var worker = workers.removeValue(forKey: peer) else { continue }
            guard let request = queue.popFirst() else {
                workers[peer] = worker
                queue.rotation.append(peer)
                break
            }
            worker.held.add(request)
            if worker.hasFreeCredit { queue.rotation.append(peer) }
            let version = worker.version
            workers[peer] = consume worker
            actions.append(
                .send(
                    to: peer,
                    frames: MDP.request(
                        client: request.envelope, body: request.body,
                        version: version)))
            if case .stage(let jobID, let ticket) = request.origin {
                stageIndex[request.origin] = RequestWhereabouts(id: request.id, location: .held(by: peer))
                actions.append(.leased(jobID: jobID, ticket: ticket, worker: peer))
            }
        }
    }
}
