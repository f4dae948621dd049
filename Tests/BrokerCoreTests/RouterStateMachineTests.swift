import BrokerCore
import DocProtocol
import Foundation
import Testing

/// Drives the MDP router with frames and a fake clock; no sockets.
struct RouterStateMachineTests {
    let worker = PeerID(Data("W1".utf8))
    let worker2 = PeerID(Data("W2".utf8))
    let client = PeerID(Data("C1".utf8))

    func sends(_ actions: [RouterAction]) -> [(PeerID, [Data])] {
        actions.compactMap { if case .send(let peer, let frames) = $0 { (peer, frames) } else { nil } }
    }

    @Test func clientRequestReachesReadyWorkerAndReplyReturns() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: MDP.ready(service: "echo"), now: 0)
        let dispatched = sends(
            router.received(
                from: client, frames: MDP.clientRequest(service: "echo", body: [Data("hi".utf8)]), now: 1))
        #expect(dispatched.count == 1)
        #expect(dispatched[0].0 == worker)
        #expect(dispatched[0].1 == MDP.request(client: client.bytes, body: [Data("hi".utf8)]))

        let replied = sends(
            router.received(
                from: worker, frames: MDP.reply(client: client.bytes, body: [Data("HI".utf8)]), now: 2))
        #expect(replied.count == 1)
        #expect(replied[0].0 == client)
        #expect(replied[0].1 == MDP.clientReply(service: "echo", body: [Data("HI".utf8)]))
    }

    @Test func requestsQueueUntilAWorkerArrives() {
        var router = RouterStateMachine()
        #expect(
            sends(router.received(from: client, frames: MDP.clientRequest(service: "x", body: [Data()]), now: 0))
                .isEmpty)
        #expect(router.queuedCount(service: "x") == 1)
        let dispatched = sends(router.received(from: worker, frames: MDP.ready(service: "x"), now: 1))
        #expect(dispatched.count == 1)
        #expect(router.queuedCount(service: "x") == 0)
    }

    /// The router scans its workers for expiry only once one may have expired (it keeps a lower bound on every
    /// worker's expiry): each worker still expires exactly when its own silence passes the limit, however the
    /// others were heard from in between, and the poll timeout never sleeps past the next expiry.
    @Test func eachWorkerExpiresWhenItsOwnSilenceRunsOutAndNotBefore() {
        var router = RouterStateMachine(heartbeat: HeartbeatPolicy(intervalMs: 1_000, liveness: 3))
        let worker3 = PeerID(Data("W3".utf8))
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0) // expires at 3000
        _ = router.received(from: worker2, frames: MDP.ready(service: "s"), now: 500) // at 3500
        _ = router.received(from: worker3, frames: MDP.ready(service: "s"), now: 600) // at 3600
        _ = router.tick(now: 1_000)
        #expect(router.millisUntilNextTick(now: 1_000) <= 2_000, "W1's expiry (or the heartbeat) is next")
        // W1 is heard from (its expiry moves to 4200); W3 later (to 5000).
        _ = router.received(from: worker, frames: MDP.heartbeat, now: 1_200)
        _ = router.received(from: worker3, frames: MDP.heartbeat, now: 2_000)
        _ = router.tick(now: 2_999)
        _ = router.tick(now: 3_000)
        #expect(router.workers.count == 3, "W1's old expiry passed, but it was heard from since")
        _ = router.tick(now: 3_499)
        #expect(router.workers[worker2] != nil)
        #expect(router.millisUntilNextTick(now: 3_499) <= 1, "W2 expires next, at 3500")
        _ = router.tick(now: 3_500)
        #expect(router.workers[worker2] == nil)
        #expect(Set(router.workers.keys) == [worker, worker3])
        #expect(router.millisUntilNextTick(now: 3_500) <= 700, "W1 expires next, at 4200")
        _ = router.tick(now: 4_199)
        #expect(router.workers[worker] != nil)
        _ = router.tick(now: 4_200)
        #expect(router.workers[worker] == nil)
        _ = router.tick(now: 4_999)
        #expect(router.workers[worker3] != nil)
        _ = router.tick(now: 5_000)
        #expect(router.workers.isEmpty)
        #expect(router.counters["workers_expired"] == 3)
        // A worker registering after all that is watched again.
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 6_000)
        #expect(router.millisUntilNextTick(now: 6_000) <= 3_000)
        _ = router.tick(now: 9_000)
        #expect(router.workers.isEmpty)
    }

    @Test func deadWorkerClientRequestIsRequeuedFirstAndRedelivered() {
        var router = RouterStateMachine(heartbeat: HeartbeatPolicy(intervalMs: 100, liveness: 3))
        let client2 = PeerID(Data("C2".utf8))
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        _ = router.received(from: client, frames: MDP.clientRequest(service: "s", body: [Data("a".utf8)]), now: 0)
        _ = router.received(from: client2, frames: MDP.clientRequest(service: "s", body: [Data("b".utf8)]), now: 0)
        #expect(router.workers[worker]?.inflight?.body == [Data("a".utf8)])
        // Silent for longer than 3 heartbeats: expired, and "a" goes back to the front of the queue.
        _ = router.tick(now: 301)
        #expect(router.workers[worker] == nil)
        #expect(router.counters["workers_expired"] == 1)
        #expect(router.queuedCount(service: "s") == 2)
        let dispatched = sends(router.received(from: worker2, frames: MDP.ready(service: "s"), now: 302))
        #expect(dispatched.first?.1.last == Data("a".utf8))
        #expect(router.workers[worker2]?.inflight?.redeliveries == 1)
    }

    @Test func deadWorkerStageRequestIsReportedLostNotRequeued() {
        var router = RouterStateMachine(heartbeat: HeartbeatPolicy(intervalMs: 100, liveness: 3))
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        _ = router.enqueue(service: "s", origin: .stage(jobID: "j1", ticket: 1), body: [Data("a".utf8)], now: 0)
        _ = router.enqueue(service: "s", origin: .stage(jobID: "j2", ticket: 1), body: [Data("b".utf8)], now: 0)
        let out = router.tick(now: 301)
        let lost = out.compactMap {
            if case .stageLost(let job, let ticket, let peer, _) = $0 { (job, ticket, peer) } else { nil }
        }
        #expect(lost.count == 1)
        #expect(lost.first?.0 == "j1" && lost.first?.1 == 1 && lost.first?.2 == worker)
        #expect(router.queuedCount(service: "s") == 1, "only j2, which no worker had yet")
        #expect(router.counters["stage_deliveries_lost"] == 1)
        // Withdrawing the lost one later (its stage timeout) finds nothing to cut off.
        #expect(router.abandon(jobID: "j1", ticket: 1, heldBy: worker, now: 302).isEmpty)
    }

    @Test func aClientRequestThatKeepsLosingWorkersIsAnsweredWorkerLost() throws {
        var router = RouterStateMachine(limits: RouterLimits(maxRedeliveries: 2))
        _ = router.received(from: client, frames: MDP.clientRequest(service: "s", body: [Data("poison".utf8)]), now: 0)
        var answered: [(PeerID, [Data])] = []
        for round in 0..<3 {
            let peer = PeerID(Data("W\(round)".utf8))
            _ = router.received(from: peer, frames: MDP.ready(service: "s"), now: Millis(round))
            #expect(router.workers[peer]?.outstanding == 1)
            answered = sends(router.deliveryFailed(to: peer, now: Millis(round))).filter { $0.0 == client }
        }
        // Delivered three times (the first and two redeliveries); the third loss answers the client.
        #expect(answered.count == 1)
        let reply = try #require(answered.first?.1.last)
        let error = try WireJSON.decode(ErrorReply.self, from: reply)
        #expect(error.status == .busy && error.reason == "worker_lost")
        #expect(router.queuedCount(service: "s") == 0)
        #expect(router.counters["client_requests_lost"] == 1)
    }

    @Test func clientRequestsAreBoundedInBytesPerClientAndInAll() throws {
        var router = RouterStateMachine(limits: RouterLimits(maxClientBytes: 250, maxClientBytesPerPeer: 150))
        let client2 = PeerID(Data("C2".utf8))
        let body = [Data(repeating: 1, count: 100)]
        func errorReason(_ actions: [RouterAction]) -> String? {
            sends(actions).first.flatMap { try? WireJSON.decode(ErrorReply.self, from: $0.1.last ?? Data()) }?.reason
        }
        #expect(
            sends(router.received(from: client, frames: MDP.clientRequest(service: "s", body: body), now: 0)).isEmpty)
        // This client's second 100 bytes pass its 150-byte budget.
        #expect(
            errorReason(router.received(from: client, frames: MDP.clientRequest(service: "s", body: body), now: 0))
                == "busy")
        #expect(
            sends(router.received(from: client2, frames: MDP.clientRequest(service: "t", body: body), now: 0)).isEmpty)
        // 200 held in all: a third client's 100 pass the 250 in all.
        #expect(
            errorReason(router.received(from: worker2, frames: MDP.clientRequest(service: "u", body: body), now: 0))
                == "busy")
        #expect(router.clientBytes == 200)
        // Answered, the bytes are free again.
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 1)
        _ = router.received(from: worker, frames: MDP.reply(client: client.bytes, body: [Data("ok".utf8)]), now: 2)
        #expect(router.clientBytes == 100)
        #expect(
            sends(router.received(from: client, frames: MDP.clientRequest(service: "s", body: body), now: 3)).count == 1
        )
    }

    @Test func randomServiceNamesStopAtTheServiceCap() throws {
        var router = RouterStateMachine(limits: RouterLimits(maxServices: 3))
        for name in ["a", "b", "c"] {
            #expect(
                sends(router.received(from: client, frames: MDP.clientRequest(service: name, body: [Data()]), now: 0))
                    .isEmpty)
        }
        let refused = sends(
            router.received(from: client, frames: MDP.clientRequest(service: "d", body: [Data()]), now: 0))
        let error = try WireJSON.decode(ErrorReply.self, from: try #require(refused.first?.1.last))
        #expect(error.status == .busy && error.reason == "too_many_services")
        // A name that already has a queue is still served.
        #expect(
            sends(router.received(from: client, frames: MDP.clientRequest(service: "a", body: [Data()]), now: 0))
                .isEmpty)
    }

    @Test func heartbeatsKeepAWorkerAliveAndAreSentOnSchedule() {
        var router = RouterStateMachine(heartbeat: HeartbeatPolicy(intervalMs: 100, liveness: 3))
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        let first = sends(router.tick(now: 0))
        #expect(first.count == 1 && first[0].1 == MDP.heartbeat)
        #expect(sends(router.tick(now: 50)).isEmpty)
        for now in stride(from: Millis(100), through: 1000, by: 100) {
            _ = router.received(from: worker, frames: MDP.heartbeat, now: now)
            _ = router.tick(now: now)
        }
        #expect(router.workers[worker] != nil)
    }

    @Test func stageRepliesGoToThePipelineNotToAPeer() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: MDP.ready(service: "extractor"), now: 0)
        let out = router.enqueue(
            service: "extractor", origin: .stage(jobID: "j", ticket: 2), body: [Data("{}".utf8)],
            now: 0)
        let envelope = sends(out)[0].1[3]
        #expect(envelope.first == 0)
        let actions = router.received(from: worker, frames: MDP.reply(client: envelope, body: [Data("r".utf8)]), now: 1)
        #expect(actions.contains(.stageReplied(jobID: "j", ticket: 2, body: [Data("r".utf8)], worker: worker)))
    }

    @Test func mmiServiceAnswers200And404And501() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: MDP.ready(service: "echo"), now: 0)
        func ask(_ service: String, _ name: String) -> String? {
            let out = sends(
                router.received(
                    from: client,
                    frames: MDP.clientRequest(
                        service: service,
                        body: [Data(name.utf8)]), now: 1))
            return out.first.flatMap { String(data: $0.1.last!, encoding: .utf8) }
        }
        #expect(ask("mmi.service", "echo") == "200")
        #expect(ask("mmi.service", "nope") == "404")
        #expect(ask("mmi.service", "docpipe.submit") == "200")
        #expect(ask("mmi.unknown", "echo") == "501")
    }

    @Test func reservedServiceReadyIsRefused() {
        var router = RouterStateMachine()
        for name in ["mmi.service", "docpipe.submit"] {
            let out = sends(router.received(from: worker, frames: MDP.ready(service: name), now: 0))
            #expect(out.first?.1 == MDP.disconnect)
            #expect(router.workers.isEmpty)
        }
        #expect(router.counters["reserved_service"] == 2)
    }

    @Test func protocolViolationsDisconnectAndCount() {
        var router = RouterStateMachine()
        // REPLY from a worker never registered.
        var out = sends(router.received(from: worker, frames: MDP.reply(client: client.bytes, body: []), now: 0))
        #expect(out.first?.1 == MDP.disconnect)
        // Duplicate READY removes the worker.
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        out = sends(router.received(from: worker, frames: MDP.ready(service: "s"), now: 1))
        #expect(out.contains { $0.1 == MDP.disconnect })
        #expect(router.workers[worker] == nil)
        // REPLY from an idle registered worker.
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 2)
        out = sends(router.received(from: worker, frames: MDP.reply(client: client.bytes, body: [Data()]), now: 3))
        #expect(out.contains { $0.1 == MDP.disconnect })
        #expect(router.counters["unexpected_reply"] == 1)
        #expect(router.counters["duplicate_ready"] == 1)
    }

    @Test func garbageFramesAreCountedNotFatal() {
        var router = RouterStateMachine()
        let junk: [[Data]] = [
            [], [Data("x".utf8)], [Data(), Data("HTTP/1.1".utf8)], [Data(), MDP.workerHeader, Data([0x09])],
            [Data(), MDP.workerHeader, Data([0x01])], [Data(), MDP.clientHeader], [Data([0xff, 0xfe]), Data()],
        ]
        for frames in junk {
            let actions = router.received(from: client, frames: frames, now: 0)
            #expect(actions.contains { if case .log(.warning, _) = $0 { true } else { false } })
        }
        #expect(router.counters["bad_frame"] == junk.count)
        // Still serves afterwards.
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 1)
        #expect(router.hasWorkers(for: "s"))
    }

    @Test func internalServicesAreHandedToTheBroker() {
        var router = RouterStateMachine()
        let actions = router.received(
            from: client, frames: MDP.clientRequest(service: "docpipe.status", body: []),
            now: 0)
        #expect(actions == [.callInternal(service: "docpipe.status", client: client, body: [], version: .v01)])
    }

    @Test func stageLeasesAreReportedAndAbandonCutsTheHolderOff() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        let out = router.enqueue(service: "s", origin: .stage(jobID: "j", ticket: 1), body: [], now: 0)
        #expect(out.contains(.leased(jobID: "j", ticket: 1, worker: worker)))
        // Another worker, or another dispatch of the job, is not the one that timed out: nothing happens.
        #expect(router.abandon(jobID: "j", ticket: 1, heldBy: PeerID(Data("other".utf8)), now: 1).isEmpty)
        #expect(router.abandon(jobID: "j", ticket: 2, heldBy: worker, now: 1).isEmpty)
        #expect(router.workers[worker]?.outstanding == 1)
        let abandoned = sends(router.abandon(jobID: "j", ticket: 1, heldBy: worker, now: 1))
        #expect(abandoned.contains { $0.0 == worker && $0.1 == MDP.disconnect })
        #expect(router.workers.isEmpty)
        #expect(router.queuedCount(service: "s") == 0) // not re-queued: the pipeline decides what happens next
    }

    @Test func clientQueuesAreBoundedAndExpire() throws {
        var router = RouterStateMachine(limits: RouterLimits(maxQueuePerService: 2, clientRequestTTLms: 1000))
        for _ in 0..<2 {
            _ = router.received(from: client, frames: MDP.clientRequest(service: "slow", body: [Data()]), now: 0)
        }
        let busy = sends(
            router.received(
                from: client, frames: MDP.clientRequest(service: "slow", body: [Data()]),
                now: 0))
        let busyReply = try MDP.decodeAtClient(busy[0].1)
        #expect(try WireJSON.decode(ErrorReply.self, from: busyReply.body[0]).status == .busy)
        _ = router.tick(now: 500)
        #expect(router.queuedCount(service: "slow") == 2)
        let expired = sends(router.tick(now: 2000))
        #expect(expired.count == 2)
        #expect(router.counters["client_requests_expired"] == 2)
        // The service with no workers and no requests is forgotten: random names cannot pile up.
        #expect(router.serviceSnapshots().isEmpty)
    }

    @Test func drainingHoldsQueuedWorkBack() {
        var router = RouterStateMachine()
        router.dispatching = false
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        #expect(sends(router.enqueue(service: "s", origin: .stage(jobID: "j", ticket: 1), body: [], now: 0)).isEmpty)
        #expect(router.queuedCount(service: "s") == 1)
    }

    @Test func mdp02WorkersAndClientsInterworkWithMdp01() throws {
        var router = RouterStateMachine()
        // An MDP/0.2 worker serves an MDP/0.1 client and an MDP/0.2 client.
        _ = router.received(from: worker, frames: MDP.ready(service: "echo", version: .v02), now: 0)
        #expect(router.workers[worker]?.version == .v02)
        let toWorker = sends(
            router.received(
                from: client,
                frames: MDP.clientRequest(
                    service: "echo",
                    body: [Data("a".utf8)]), now: 1))
        #expect(toWorker[0].1 == MDP.request(client: client.bytes, body: [Data("a".utf8)], version: .v02))
        var back = sends(
            router.received(
                from: worker,
                frames: MDP.reply(
                    client: client.bytes, body: [Data("A".utf8)],
                    version: .v02), now: 2))
        #expect(back[0].1 == MDP.clientReply(service: "echo", body: [Data("A".utf8)]))

        let client2 = PeerID(Data("C2".utf8))
        _ = router.received(
            from: client2,
            frames: MDP.clientRequest(
                service: "echo", body: [Data("b".utf8)],
                version: .v02), now: 3)
        back = sends(
            router.received(
                from: worker,
                frames: MDP.reply(
                    client: client2.bytes, body: [Data("1".utf8)],
                    version: .v02, final: false), now: 4))
        #expect(back[0].1 == MDP.clientReply(service: "echo", body: [Data("1".utf8)], version: .v02, final: false))
        back = sends(
            router.received(
                from: worker,
                frames: MDP.reply(
                    client: client2.bytes, body: [Data("2".utf8)],
                    version: .v02), now: 5))
        #expect(back[0].1 == MDP.clientReply(service: "echo", body: [Data("2".utf8)], version: .v02))
        // Heartbeats and DISCONNECT go out in the worker's generation.
        #expect(sends(router.tick(now: 6)).contains { $0.1 == MDP.heartbeat(.v02) })
        let bye = sends(router.received(from: worker, frames: MDP.ready(service: "echo", version: .v02), now: 7))
        #expect(bye.contains { $0.1 == MDP.disconnect(.v02) })
    }

    @Test func snapshotsCountQueuedBusyAndIdle() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        _ = router.received(from: worker2, frames: MDP.ready(service: "s"), now: 0)
        for i in 0..<3 { _ = router.enqueue(service: "s", origin: .stage(jobID: "\(i)", ticket: 1), body: [], now: 0) }
        let snap = router.serviceSnapshots()
        #expect(snap == [BrokerStatus.Service(name: "s", queued: 1, inflight: 2, workers: 2, idle: 0)])
    }
}
