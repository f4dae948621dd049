import DocProtocol
import Foundation
import Testing

@testable import WorkerKit

/// Drives the worker side of MDP with decoded messages and a fake clock; no sockets.
struct WorkerStateMachineTests {
    typealias Action = WorkerStateMachine.Action

    let identity = WorkerIdentity(host: "h", pid: 7, version: "1")

    func makeMachine(credit: Int = 2, heartbeatMs: Int = 100, liveness: Int = 3, graceMs: Int = 1000)
        -> WorkerStateMachine
    {
        WorkerStateMachine(
            settings: .init(
                service: "echo", identity: identity, credit: credit,
                heartbeatMs: heartbeatMs, liveness: liveness, shutdownGraceMs: graceMs))
    }

    /// A machine that has connected at `now`.
    func connectedMachine(credit: Int = 2, graceMs: Int = 1000, now: Int = 0) -> WorkerStateMachine {
        var machine = makeMachine(credit: credit, graceMs: graceMs)
        #expect(machine.tick(now: now) == [.connect])
        _ = machine.connected(now: now)
        return machine
    }

    func sent(_ actions: [Action]) -> [[Data]] {
        actions.compactMap { if case .send(let frames) = $0 { frames } else { nil } }
    }

    func delivered(_ actions: [Action]) -> [WorkerStateMachine.Request] {
        actions.compactMap { if case .deliver(let request) = $0 { request } else { nil } }
    }

    func request(_ client: String) -> MDP.WorkerInbound {
        .request(client: Data(client.utf8), body: [Data("{}".utf8)])
    }

    @Test func connectSendsReadyWithTheCredit() throws {
        var machine = makeMachine(credit: 4)
        #expect(machine.tick(now: 0) == [.connect])
        let ready = sent(machine.connected(now: 0))
        #expect(ready.count == 1)
        guard case .ready(let service, let frame) = try MDP.decodeAtBroker(ready[0]) else {
            Issue.record("not READY: \(ready)")
            return
        }
        #expect(service == "echo")
        let advertised = try WireJSON.decode(WorkerIdentity.self, from: try #require(frame))
        #expect(advertised == WorkerIdentity(host: "h", pid: 7, version: "1", credit: 4))
        #expect(machine.generation == 1)
    }

    @Test func heartbeatsGoOutEveryInterval() {
        var machine = connectedMachine()
        #expect(sent(machine.tick(now: 99)).isEmpty)
        #expect(sent(machine.tick(now: 100)) == [MDP.heartbeat])
        #expect(sent(machine.tick(now: 150)).isEmpty)
        _ = machine.received(.heartbeat, now: 160)
        #expect(sent(machine.tick(now: 200)) == [MDP.heartbeat])
        #expect(machine.millisUntilNextTick(now: 200) == 100)
    }

    @Test func silenceReconnectsWithADoublingBackoffThatResetsWhenHeard() {
        var machine = connectedMachine()
        // Heard nothing for more than liveness × interval (300 ms): reconnect after 250 ms.
        #expect(!machine.tick(now: 300).contains(.disconnect(reconnectAfterMs: 250)))
        #expect(machine.tick(now: 301).contains(.disconnect(reconnectAfterMs: 250)))
        #expect(machine.tick(now: 550) == [])
        #expect(machine.tick(now: 551) == [.connect])
        _ = machine.connected(now: 551)
        #expect(machine.generation == 2)
        // Still silent: 500 ms, then 1 s.
        #expect(machine.tick(now: 852).contains(.disconnect(reconnectAfterMs: 500)))
        #expect(machine.tick(now: 1352) == [.connect])
        _ = machine.connected(now: 1352)
        #expect(machine.tick(now: 1653).contains(.disconnect(reconnectAfterMs: 1000)))
        #expect(machine.tick(now: 2653) == [.connect])
        _ = machine.connected(now: 2653)
        // The broker answers: the back-off starts again from 250 ms.
        _ = machine.received(.heartbeat, now: 2700)
        #expect(machine.tick(now: 3001).contains(.disconnect(reconnectAfterMs: 250)))
    }

    @Test func backoffStopsAtThirtySeconds() {
        var machine = connectedMachine()
        var now = 0
        var delays: [Int] = []
        for _ in 0..<10 {
            now += 301
            for action in machine.tick(now: now) {
                if case .disconnect(let delay) = action {
                    delays.append(delay)
                    now += delay
                }
            }
            #expect(machine.tick(now: now) == [.connect])
            _ = machine.connected(now: now)
        }
        #expect(delays == [250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000])
    }

    @Test func brokerDisconnectReconnectsAfter250ms() {
        var machine = connectedMachine()
        _ = machine.received(request("c1"), now: 10)
        #expect(machine.received(.disconnect, now: 20).contains(.disconnect(reconnectAfterMs: 250)))
        #expect(machine.outstanding == 0)
        #expect(machine.tick(now: 269) == [])
        #expect(machine.tick(now: 270) == [.connect])
        #expect(sent(machine.connected(now: 270)).count == 1)
    }

    @Test func takesRequestsUpToTheCreditAndIgnoresTheNext() {
        var machine = connectedMachine(credit: 3)
        for client in ["c1", "c2", "c3"] {
            let requests = delivered(machine.received(request(client), now: 10))
            #expect(requests == [.init(generation: 1, client: Data(client.utf8), body: Data("{}".utf8))])
        }
        let fourth = machine.received(request("c4"), now: 11)
        #expect(delivered(fourth).isEmpty)
        #expect(sent(fourth).isEmpty)
        #expect(machine.outstanding == 3)
        // One answered: a slot is free again.
        let replied = sent(machine.completed(generation: 1, client: Data("c2".utf8), body: Data("ok".utf8), now: 12))
        #expect(replied == [MDP.reply(client: Data("c2".utf8), body: [Data("ok".utf8)])])
        #expect(delivered(machine.received(request("c5"), now: 13)).count == 1)
    }

    @Test func aReplyFinishedAfterAReconnectIsDropped() {
        var machine = connectedMachine()
        let old = delivered(machine.received(request("c1"), now: 10))
        #expect(old.count == 1)
        _ = machine.received(.disconnect, now: 20)
        #expect(machine.tick(now: 270) == [.connect])
        _ = machine.connected(now: 270)
        let actions = machine.completed(generation: old[0].generation, client: old[0].client, body: Data(), now: 280)
        #expect(sent(actions).isEmpty)
        // A request of the new connection still gets its reply.
        let fresh = delivered(machine.received(request("c2"), now: 290))
        #expect(fresh.first?.generation == 2)
        #expect(sent(machine.completed(generation: 2, client: Data("c2".utf8), body: Data(), now: 300)).count == 1)
    }

    @Test func shutdownWaitsForOutstandingDocumentsThenDisconnects() {
        var machine = connectedMachine(graceMs: 1000)
        _ = machine.received(request("c1"), now: 10)
        _ = machine.received(request("c2"), now: 10)
        #expect(sent(machine.shutdownRequested(now: 20)).isEmpty)
        // No new work while draining, but heartbeats go on.
        #expect(delivered(machine.received(request("c3"), now: 30)).isEmpty)
        #expect(sent(machine.tick(now: 100)) == [MDP.heartbeat])
        #expect(sent(machine.completed(generation: 1, client: Data("c1".utf8), body: Data(), now: 200)).count == 1)
        let last = machine.completed(generation: 1, client: Data("c2".utf8), body: Data(), now: 250)
        #expect(sent(last) == [MDP.reply(client: Data("c2".utf8), body: [Data()]), MDP.disconnect])
        #expect(last.last == .stop)
    }

    @Test func shutdownHandsBackWaitingRequestsWithTheDisconnect() {
        // Credit 3 (one in progress, two prefetched): the two never started are declined, with no reply.
        var machine = connectedMachine(credit: 3, graceMs: 1000)
        for client in ["c1", "c2", "c3"] { _ = machine.received(request(client), now: 10) }
        #expect(sent(machine.shutdownRequested(now: 20)).isEmpty)
        #expect(sent(machine.declined(generation: 1, now: 21)).isEmpty)
        #expect(sent(machine.declined(generation: 1, now: 22)).isEmpty)
        #expect(machine.outstanding == 1)
        let last = machine.completed(generation: 1, client: Data("c1".utf8), body: Data(), now: 300)
        #expect(sent(last) == [MDP.reply(client: Data("c1".utf8), body: [Data()]), MDP.disconnect])
        #expect(last.last == .stop)
        // A decline of an earlier connection's request changes nothing.
        var other = connectedMachine(credit: 2)
        _ = other.received(request("c1"), now: 10)
        #expect(other.declined(generation: 0, now: 20).isEmpty)
        #expect(other.outstanding == 1)
    }

    @Test func aDeclineThatLeavesNothingInProgressEndsTheShutdown() {
        var machine = connectedMachine(credit: 2, graceMs: 1000)
        _ = machine.received(request("c1"), now: 10)
        _ = machine.shutdownRequested(now: 20)
        let actions = machine.declined(generation: 1, now: 30)
        #expect(sent(actions) == [MDP.disconnect])
        #expect(actions.last == .stop)
    }

    @Test func shutdownWithNothingOutstandingDisconnectsAtOnce() {
        var machine = connectedMachine()
        let actions = machine.shutdownRequested(now: 5)
        #expect(sent(actions) == [MDP.disconnect])
        #expect(actions.last == .stop)
    }

    @Test func shutdownGracePeriodExpiryHandsDocumentsBack() {
        var machine = connectedMachine(graceMs: 500)
        _ = machine.received(request("c1"), now: 10)
        _ = machine.shutdownRequested(now: 100)
        _ = machine.received(.heartbeat, now: 250)
        _ = machine.received(.heartbeat, now: 500)
        #expect(!machine.tick(now: 599).contains(.stop))
        #expect(machine.millisUntilNextTick(now: 599) == 1)
        let expired = machine.tick(now: 600)
        #expect(sent(expired) == [MDP.disconnect])
        #expect(expired.last == .stop)
        // The document finishing later has nowhere to go.
        #expect(sent(machine.completed(generation: 1, client: Data("c1".utf8), body: Data(), now: 700)).isEmpty)
    }

    @Test func shutdownWhileDisconnectedStopsWithoutSending() {
        var machine = connectedMachine()
        _ = machine.received(.disconnect, now: 10)
        #expect(machine.shutdownRequested(now: 20) == [.stop])
    }

    @Test func undecodableMessagesAreLoggedAndIgnored() {
        var machine = connectedMachine()
        let actions = machine.received(frames: [Data("junk".utf8)], now: 10)
        #expect(delivered(actions).isEmpty && sent(actions).isEmpty)
        #expect(actions.contains { if case .log(.warning, _) = $0 { true } else { false } })
    }
}
