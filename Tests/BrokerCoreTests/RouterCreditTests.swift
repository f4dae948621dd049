import BrokerCore
import DocProtocol
import Foundation
import Testing

/// Credit-based flow control in the router: several requests outstanding per worker, replies matched
/// by address, fair spreading, and giving everything back when a worker goes. No sockets.
struct RouterCreditTests {
    let worker = PeerID(Data("W1".utf8))
    let worker2 = PeerID(Data("W2".utf8))
    let client = PeerID(Data("C1".utf8))

    func ready(_ service: String, credit: Int?) -> [Data] {
        MDP.ready(service: service, identity: WorkerIdentity(host: "h", pid: 1, version: "test", credit: credit))
    }

    func sends(_ actions: [RouterAction]) -> [(PeerID, [Data])] {
        actions.compactMap { if case .send(let peer, let frames) = $0 { (peer, frames) } else { nil } }
    }

    /// The stage job ids a worker was sent, read from the request bodies (each test body is the job id).
    func jobs(sentTo peer: PeerID, in actions: [RouterAction]) -> [String] {
        sends(actions).filter { $0.0 == peer }.compactMap { String(data: $0.1.last ?? Data(), encoding: .utf8) }
    }

    func enqueueStage(_ router: inout RouterStateMachine, _ job: String, service: String = "s", now: Millis = 0)
        -> [RouterAction]
    {
        router.enqueue(service: service, origin: .stage(jobID: job, ticket: 1), body: [Data(job.utf8)], now: now)
    }

    /// What the worker must echo for a stage request: the address frame of the REQUEST it was sent.
    func envelope(of job: String, in actions: [RouterAction]) -> Data? {
        sends(actions).first { $0.1.last == Data(job.utf8) }?.1[3]
    }

    @Test func creditNKeepsNRequestsOutstanding() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: ready("s", credit: 3), now: 0)
        #expect(router.workers[worker]?.credit == 3)
        var out: [RouterAction] = []
        for job in ["j1", "j2", "j3", "j4", "j5"] { out += enqueueStage(&router, job) }
        #expect(jobs(sentTo: worker, in: out) == ["j1", "j2", "j3"])
        #expect(router.workers[worker]?.outstanding == 3)
        #expect(router.workers[worker]?.isIdle == false)
        #expect(router.queuedCount(service: "s") == 2)

        // One answer frees one credit: exactly one more goes out.
        let next = router.received(
            from: worker,
            frames: MDP.reply(
                client: envelope(of: "j2", in: out)!,
                body: [Data("r2".utf8)]), now: 1)
        #expect(next.contains(.stageReplied(jobID: "j2", ticket: 1, body: [Data("r2".utf8)], worker: worker)))
        #expect(jobs(sentTo: worker, in: next) == ["j4"])
        #expect(router.workers[worker]?.outstanding == 3)
        #expect(router.queuedCount(service: "s") == 1)
        #expect(
            router.serviceSnapshots() == [
                BrokerStatus.Service(
                    name: "s", queued: 1, inflight: 3, workers: 1,
                    idle: 0)
            ])
    }

    @Test func repliesAreMatchedByAddressEvenWhenTwoShareIt() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: ready("echo", credit: 4), now: 0)
        // One client pipelines two requests; a stage request sits between them.
        var out = router.received(
            from: client, frames: MDP.clientRequest(service: "echo", body: [Data("a".utf8)]),
            now: 1)
        out += enqueueStage(&router, "j", service: "echo", now: 1)
        out += router.received(
            from: client, frames: MDP.clientRequest(service: "echo", body: [Data("b".utf8)]),
            now: 1)
        #expect(sends(out).count == 3)
        #expect(router.workers[worker]?.outstanding == 3)

        // The stage answer comes first, out of order: it still reaches the pipeline.
        let stage = router.received(
            from: worker,
            frames: MDP.reply(
                client: envelope(of: "j", in: out)!,
                body: [Data("J".utf8)]), now: 2)
        #expect(stage == [.stageReplied(jobID: "j", ticket: 1, body: [Data("J".utf8)], worker: worker)])
        // Two answers to the same address: matched first in, first out.
        #expect(router.workers[worker]?.held.inOrder.map(\.body) == [[Data("a".utf8)], [Data("b".utf8)]])
        let first = sends(
            router.received(
                from: worker, frames: MDP.reply(client: client.bytes, body: [Data("A".utf8)]),
                now: 3))
        #expect(first.map(\.0) == [client])
        #expect(router.workers[worker]?.held.inOrder.map(\.body) == [[Data("b".utf8)]])
        let second = sends(
            router.received(
                from: worker,
                frames: MDP.reply(
                    client: client.bytes,
                    body: [Data("B".utf8)]), now: 4))
        #expect(second.map(\.1) == [MDP.clientReply(service: "echo", body: [Data("B".utf8)])])
        #expect(router.workers[worker]?.isIdle == true)
        #expect(router.workers[worker]?.completed == 3)
        #expect(router.counters["reply_address_mismatch"] == nil)
    }

    @Test func workIsSpreadAcrossWorkersNotPiledOnOne() {
        var router = RouterStateMachine()
        let peers = (0..<8).map { PeerID(Data("W\($0)".utf8)) }
        for peer in peers { _ = router.received(from: peer, frames: ready("s", credit: 16), now: 0) }
        var out: [RouterAction] = []
        for index in 0..<8 { out += enqueueStage(&router, "a\(index)") }
        #expect(Set(sends(out).map(\.0)) == Set(peers))
        #expect(peers.allSatisfy { router.workers[$0]?.outstanding == 1 })
        for index in 0..<8 { out += enqueueStage(&router, "b\(index)") }
        #expect(peers.allSatisfy { router.workers[$0]?.outstanding == 2 })
        #expect(router.serviceSnapshots().first?.inflight == 16)
        #expect(router.serviceSnapshots().first?.idle == 0)
    }

    @Test func creditOneWorkersTakeTurnsAsBefore() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        _ = router.received(from: worker2, frames: MDP.ready(service: "s"), now: 0)
        let out = enqueueStage(&router, "j1") + enqueueStage(&router, "j2") + enqueueStage(&router, "j3")
        #expect(jobs(sentTo: worker, in: out) == ["j1"])
        #expect(jobs(sentTo: worker2, in: out) == ["j2"])
        #expect(router.workers[worker]?.credit == 1)
        let next = router.received(
            from: worker2, frames: MDP.reply(client: envelope(of: "j2", in: out)!, body: []),
            now: 1)
        #expect(jobs(sentTo: worker2, in: next) == ["j3"])
    }

    enum Departure: CaseIterable { case expired, disconnected, unreachable, protocolError }

    func depart(_ departure: Departure, _ router: inout RouterStateMachine) -> [RouterAction] {
        switch departure {
        case .expired: router.tick(now: 301)
        case .disconnected: router.received(from: worker, frames: MDP.disconnect, now: 1)
        case .unreachable: router.deliveryFailed(to: worker, now: 1)
        case .protocolError: router.received(from: worker, frames: [Data(), MDP.workerHeader, Data([0x09])], now: 1)
        }
    }

    func lostJobs(_ actions: [RouterAction]) -> [String] {
        actions.compactMap { if case .stageLost(let job, _, _, _) = $0 { job } else { nil } }
    }

    @Test(arguments: Departure.allCases)
    func departingWorkerGivesBackClientRequestsAtTheFrontInOrder(_ departure: Departure) {
        var router = RouterStateMachine(heartbeat: HeartbeatPolicy(intervalMs: 100, liveness: 3))
        _ = router.received(from: worker, frames: ready("s", credit: 3), now: 0)
        for job in ["j1", "j2", "j3", "j4", "j5"] {
            _ = router.received(
                from: PeerID(Data(job.utf8)), frames: MDP.clientRequest(service: "s", body: [Data(job.utf8)]),
                now: 0)
        }
        _ = depart(departure, &router)
        #expect(router.workers[worker] == nil)
        #expect(router.queuedCount(service: "s") == 5)
        #expect(router.counters["requeued"] == 3)

        let out = router.received(from: worker2, frames: ready("s", credit: 10), now: 302)
        #expect(jobs(sentTo: worker2, in: out) == ["j1", "j2", "j3", "j4", "j5"])
        #expect(router.workers[worker2]?.held.inOrder.map(\.redeliveries) == [1, 1, 1, 0, 0])
    }

    @Test(arguments: Departure.allCases)
    func departingWorkerReportsItsStageRequestsLostInOrder(_ departure: Departure) {
        var router = RouterStateMachine(heartbeat: HeartbeatPolicy(intervalMs: 100, liveness: 3))
        _ = router.received(from: worker, frames: ready("s", credit: 3), now: 0)
        for job in ["j1", "j2", "j3", "j4", "j5"] { _ = enqueueStage(&router, job) }
        let out = depart(departure, &router)
        #expect(router.workers[worker] == nil)
        #expect(lostJobs(out) == ["j1", "j2", "j3"])
        #expect(router.queuedCount(service: "s") == 2)
        #expect(router.counters["requeued"] == nil)
        #expect(router.counters["stage_deliveries_lost"] == 3)
    }

    @Test func anExclusiveRequestWaitsForAnIdleWorkerAndRunsThereAlone() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: ready("s", credit: 4), now: 0)
        _ = router.received(from: worker2, frames: ready("s", credit: 4), now: 0)
        let first = enqueueStage(&router, "j1") + enqueueStage(&router, "j2")
        #expect(jobs(sentTo: worker, in: first) == ["j1"])
        #expect(jobs(sentTo: worker2, in: first) == ["j2"])
        // Both workers hold something: the exclusive request and everything behind it wait.
        var out = router.enqueue(
            service: "s", origin: .stage(jobID: "x", ticket: 2), body: [Data("x".utf8)], now: 1,
            exclusive: true)
        out += enqueueStage(&router, "j3", now: 1)
        #expect(sends(out).isEmpty)
        #expect(router.queuedCount(service: "s") == 2)
        // worker2 empties: it takes x, and nothing more while it holds x.
        let gotX = router.received(
            from: worker2, frames: MDP.reply(client: envelope(of: "j2", in: first)!, body: []),
            now: 2)
        #expect(jobs(sentTo: worker2, in: gotX) == ["x"])
        #expect(jobs(sentTo: worker, in: gotX) == ["j3"])
        #expect(router.workers[worker2]?.hasFreeCredit == false)
        out = enqueueStage(&router, "j4", now: 3)
        #expect(jobs(sentTo: worker, in: out) == ["j4"])
        #expect(jobs(sentTo: worker2, in: out).isEmpty)
        // Once x is answered, worker2 takes work again.
        out = router.received(from: worker2, frames: MDP.reply(client: envelope(of: "x", in: gotX)!, body: []), now: 4)
        #expect(router.workers[worker2]?.hasFreeCredit == true)
        out += enqueueStage(&router, "j5", now: 5) + enqueueStage(&router, "j6", now: 5)
        #expect(jobs(sentTo: worker2, in: out).count == 1, "back in the rotation, it shares the next ones")
    }

    @Test func abandonLooksOnlyAtTheHolderAndLeavesQueuedRequestsAlone() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        let first = enqueueStage(&router, "j1", now: 0)
        _ = enqueueStage(&router, "j2", now: 10)
        _ = enqueueStage(&router, "j3", now: 20)
        #expect(router.oldestQueuedAt(service: "s") == 10)

        // A queued dispatch has no lease, so it never times out; named anyway, nothing is cut off or withdrawn.
        #expect(router.abandon(jobID: "j2", ticket: 1, heldBy: worker, now: 40).isEmpty)
        #expect(router.abandon(jobID: "nope", ticket: 9, heldBy: worker, now: 40).isEmpty)
        #expect(router.queuedCount(service: "s") == 2)
        #expect(router.workers[worker]?.outstanding == 1)

        // The worker, once free, gets j2: the queue kept its order.
        let next = router.received(
            from: worker, frames: MDP.reply(client: envelope(of: "j1", in: first)!, body: []),
            now: 50)
        #expect(jobs(sentTo: worker, in: next) == ["j2"])
        #expect(router.queuedCount(service: "s") == 1)
        #expect(router.oldestQueuedAt(service: "s") == 20)
        #expect(router.serviceSnapshots().first?.queued == 1)
        #expect(router.workers[worker] != nil)
    }

    @Test func expiringClientRequestsKeepStageRequestsInOrder() {
        var router = RouterStateMachine(limits: RouterLimits(maxQueuePerService: 10, clientRequestTTLms: 1000))
        _ = enqueueStage(&router, "j1", now: 0)
        _ = router.received(from: client, frames: MDP.clientRequest(service: "s", body: [Data()]), now: 0)
        _ = enqueueStage(&router, "j2", now: 500)
        #expect(router.queuedCount(service: "s") == 3)
        let expired = sends(router.tick(now: 2000))
        #expect(expired.map(\.0) == [client])
        #expect(router.queuedCount(service: "s") == 2)
        #expect(router.oldestQueuedAt(service: "s") == 0)
        let out = router.received(from: worker, frames: ready("s", credit: 4), now: 2001)
        #expect(jobs(sentTo: worker, in: out) == ["j1", "j2"])
    }

    @Test func abandoningAHeldRequestCutsTheWorkerOffAndRequeuesTheRest() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: ready("s", credit: 3), now: 0)
        for job in ["j1", "j2", "j3", "j4"] { _ = enqueueStage(&router, job) }
        let cut = router.abandon(jobID: "j2", ticket: 1, heldBy: worker, now: 1)
        #expect(sends(cut).contains { $0.0 == worker && $0.1 == MDP.disconnect })
        #expect(router.workers[worker] == nil)
        #expect(router.counters["workers_cut_off"] == 1)
        // j2 is the pipeline's to retry; j1 and j3 were lost with the worker (the pipeline decides about
        // them too); j4 was never sent.
        #expect(lostJobs(cut) == ["j1", "j3"])
        #expect(router.queuedCount(service: "s") == 1)
        let out = router.received(from: worker2, frames: ready("s", credit: 5), now: 2)
        #expect(jobs(sentTo: worker2, in: out) == ["j4"])
        // Abandoning j2 or a lost one again finds nothing.
        #expect(router.abandon(jobID: "j2", ticket: 1, heldBy: worker, now: 3).isEmpty)
        #expect(router.abandon(jobID: "j3", ticket: 1, heldBy: worker, now: 3).isEmpty)
        // j4 is found with the worker that holds it now.
        #expect(router.abandon(jobID: "j4", ticket: 1, heldBy: worker, now: 4).isEmpty)
        let again = router.abandon(jobID: "j4", ticket: 1, heldBy: worker2, now: 4)
        #expect(sends(again).contains { $0.0 == worker2 && $0.1 == MDP.disconnect })
    }

    @Test func mdp02WorkerGetsCreditOneWhateverItSends() throws {
        var router = RouterStateMachine()
        let identity = try WireJSON.encode(WorkerIdentity(host: nil, pid: nil, version: nil, credit: 8))
        _ = router.received(from: worker, message: .ready(service: "s", identity: identity), version: .v02, now: 0)
        #expect(router.workers[worker]?.credit == 1)
        let out = enqueueStage(&router, "j1") + enqueueStage(&router, "j2")
        #expect(jobs(sentTo: worker, in: out) == ["j1"])
        #expect(router.queuedCount(service: "s") == 1)
    }

    @Test(
        arguments: [
            (nil, 1), (0, 1), (-5, 1), (1, 1), (7, 7), (WorkerIdentity.maxCredit, WorkerIdentity.maxCredit),
            (WorkerIdentity.maxCredit + 1, WorkerIdentity.maxCredit), (Int.max, WorkerIdentity.maxCredit),
        ] as [(Int?, Int)])
    func advertisedCreditIsClamped(_ advertised: Int?, _ honoured: Int) {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: ready("s", credit: advertised), now: 0)
        #expect(router.workers[worker]?.credit == honoured)
        let clamped = advertised != nil && advertised != honoured
        #expect(router.counters["credit_clamped"] == (clamped ? 1 : nil))
    }

    @Test func unreadableIdentityMeansCreditOne() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: MDP.ready(service: "s") + [Data("{not json".utf8)], now: 0)
        #expect(router.workers[worker]?.credit == 1)
        #expect(router.counters["bad_identity"] == 1)
    }

    @Test func unmatchedReplyAboveCreditOneCutsTheWorkerOff() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: ready("s", credit: 2), now: 0)
        _ = enqueueStage(&router, "j1")
        _ = enqueueStage(&router, "j2")
        let out = router.received(from: worker, frames: MDP.reply(client: Data("bogus".utf8), body: []), now: 1)
        #expect(sends(out).contains { $0.0 == worker && $0.1 == MDP.disconnect })
        #expect(!out.contains { if case .stageReplied = $0 { true } else { false } })
        #expect(out.contains { if case .log(.warning, _) = $0 { true } else { false } })
        #expect(router.counters["unmatched_reply"] == 1)
        #expect(router.workers[worker] == nil)
        #expect(lostJobs(out) == ["j1", "j2"])
    }

    @Test func mangledReplyAtCreditOneStillReachesItsOwner() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        _ = enqueueStage(&router, "j1")
        let out = router.received(
            from: worker, frames: MDP.reply(client: Data("bogus".utf8), body: [Data("r".utf8)]),
            now: 1)
        #expect(out == [.stageReplied(jobID: "j1", ticket: 1, body: [Data("r".utf8)], worker: worker)])
        #expect(router.counters["reply_address_mismatch"] == 1)
        #expect(router.workers[worker]?.isIdle == true)
    }

    @Test func aRepeatedStageReplyAtCreditOneNeverLandsOnTheNextJob() {
        var router = RouterStateMachine()
        _ = router.received(from: worker, frames: MDP.ready(service: "s"), now: 0)
        let first = enqueueStage(&router, "j1")
        let oldAddress = envelope(of: "j1", in: first)!
        let done = router.received(from: worker, frames: MDP.reply(client: oldAddress, body: [Data("r1".utf8)]), now: 1)
        #expect(done.contains(.stageReplied(jobID: "j1", ticket: 1, body: [Data("r1".utf8)], worker: worker)))
        _ = enqueueStage(&router, "j2", now: 2)
        // The same reply again, while the worker holds j2's request.
        let again = router.received(
            from: worker, frames: MDP.reply(client: oldAddress, body: [Data("r1".utf8)]), now: 3)
        #expect(!again.contains { if case .stageReplied = $0 { true } else { false } })
        #expect(sends(again).contains { $0.0 == worker && $0.1 == MDP.disconnect })
        #expect(router.counters["unmatched_reply"] == 1)
        #expect(router.counters["reply_address_mismatch"] == nil)
        #expect(router.workers[worker] == nil)
        #expect(lostJobs(again) == ["j2"], "j2 was lost with the worker; the pipeline retries it")
    }

    @Test func partialRepliesFollowTheirAddress() {
        var router = RouterStateMachine()
        let client2 = PeerID(Data("C2".utf8))
        _ = router.received(from: worker, frames: ready("echo", credit: 2), now: 0)
        for peer in [client, client2] {
            _ = router.received(
                from: peer, frames: MDP.clientRequest(service: "echo", body: [Data()], version: .v02),
                now: 1)
        }
        let partial = router.received(
            from: worker, message: .partial(client: client2.bytes, body: [Data("p".utf8)]),
            version: .v01, now: 2)
        #expect(sends(partial).map(\.0) == [client2])
        #expect(
            sends(partial).first?.1
                == MDP.clientReply(
                    service: "echo", body: [Data("p".utf8)], version: .v02,
                    final: false))
        #expect(router.workers[worker]?.outstanding == 2)
        let stray = router.received(
            from: worker, message: .partial(client: Data("zz".utf8), body: []), version: .v01,
            now: 3)
        #expect(sends(stray).contains { $0.0 == worker && $0.1 == MDP.disconnect })
        #expect(router.counters["unmatched_reply"] == 1)
    }

    @Test func decodedAndFramedEntriesAgree() {
        var framed = RouterStateMachine()
        var decoded = RouterStateMachine()
        let readyOut = framed.received(from: worker, frames: ready("s", credit: 2), now: 0)
        let identity = ready("s", credit: 2).last
        #expect(
            decoded.received(from: worker, message: .ready(service: "s", identity: identity), version: .v01, now: 0)
                == readyOut)
        let request = MDP.clientRequest(service: "s", body: [Data("x".utf8)])
        #expect(
            framed.received(from: client, frames: request, now: 1)
                == decoded.received(
                    from: client, message: .clientRequest(service: "s", body: [Data("x".utf8)]),
                    version: .v01, now: 1))
        // A caller that failed to decode gets the frames path's handling.
        let junk = [Data(), MDP.workerHeader, Data([0x09])]
        let failed = decoded.malformed(from: worker, frames: junk, error: .badFrame("unknown command"), now: 2)
        #expect(sends(failed).contains { $0.0 == worker && $0.1 == MDP.disconnect })
        #expect(decoded.counters["bad_frame"] == 1)
        #expect(decoded.queuedCount(service: "s") == 1)
    }

    @Test func peerIDsPrintAsLowerCaseHex() {
        #expect(PeerID(Data([0x00, 0x6b, 0x8b, 0x45, 0xff])).description == "006b8b45ff")
        #expect(PeerID(Data()).description == "")
    }
}
