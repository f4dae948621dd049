import Foundation
import Testing
import ZeroMQ

@Suite struct MessagingTests {
    @Test func requestReplyRoundTripOverIPC() throws {
        let context = Context()
        let endpoint = ipcEndpoint()
        defer { removeIPCFile(endpoint) }
        let reply = try makeSocket(context, .rep)
        defer { reply.close() }
        try reply.bind(endpoint)
        let request = try makeSocket(context, .req)
        defer { request.close() }
        try request.connect(endpoint)

        #expect(try request.send(frames("ping")))
        #expect(try reply.receive() == frames("ping"))
        try reply.send(frames("pong", "and more"))
        #expect(try request.receive() == frames("pong", "and more"))
    }

    @Test func dealerAndRouterCarryMultipartWithEmptyAndLargeFrames() throws {
        let context = Context()
        let router = try makeSocket(context, .router)
        defer { router.close() }
        let endpoint = try bindEphemeral(router)
        let dealer = try makeSocket(context, .dealer)
        defer { dealer.close() }
        try dealer.setRoutingID(Data("worker-1".utf8))
        try dealer.connect(endpoint)

        let large = Data((0..<10_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let sent = [Data(), Data("header".utf8), Data(), large, Data()]
        try dealer.send(sent)
        let atRouter = try #require(try router.receive())
        #expect(atRouter.count == sent.count + 1)
        #expect(atRouter.first == Data("worker-1".utf8))
        #expect(Array(atRouter.dropFirst()) == sent)

        // The router answers by addressing the first frame; the dealer sees the rest unchanged.
        try router.send([Data("worker-1".utf8), Data(), large])
        #expect(try dealer.receive() == [Data(), large])
    }

    @Test func subscriberOnlyGetsItsPrefix() throws {
        let context = Context()
        let publisher = try makeSocket(context, .pub)
        defer { publisher.close() }
        let endpoint = try bindEphemeral(publisher)
        let subscriber = try makeSocket(context, .sub)
        defer { subscriber.close() }
        try subscriber.subscribe(Data("news.".utf8))
        try subscriber.connect(endpoint)

        // PUB drops everything until the subscription has travelled to it ("slow joiner"), so keep
        // publishing, the unwanted topic first, until something arrives.
        var received: [Data]?
        let deadline = ContinuousClock.now + .seconds(5)
        while received == nil && ContinuousClock.now < deadline {
            try publisher.send(frames("sport.score", "1-0"))
            try publisher.send(frames("news.today", "body"))
            if try poll([subscriber], timeoutMilliseconds: 50) == [true] {
                received = try subscriber.receive(dontWait: true)
            }
        }
        #expect(received == frames("news.today", "body"))
        while let more = try subscriber.receive(dontWait: true) {
            #expect(more.first?.starts(with: Data("news.".utf8)) == true)
        }
    }

    @Test func dontWaitReceiveReturnsNilWhenNothingIsWaiting() throws {
        let context = Context()
        let pull = try makeSocket(context, .pull, timeoutMilliseconds: 100)
        defer { pull.close() }
        let pullEndpoint = ipcEndpoint()
        defer { removeIPCFile(pullEndpoint) }
        try pull.bind(pullEndpoint)
        #expect(try pull.receive(dontWait: true) == nil)
        #expect(pull.isReadable == false)
        // A receive timeout is not an error either.
        #expect(try pull.receive() == nil)
    }

    @Test func sendThatCannotBeQueuedReturnsFalse() throws {
        let context = Context()
        // A PUSH without peers has nowhere to queue a message.
        let push = try makeSocket(context, .push, timeoutMilliseconds: 100)
        defer { push.close() }
        let pushEndpoint = ipcEndpoint()
        defer { removeIPCFile(pushEndpoint) }
        try push.bind(pushEndpoint)
        #expect(try push.send(frames("lost"), dontWait: true) == false)
        #expect(try push.send(frames("lost")) == false)
    }

    @Test func isReadableTurnsTrueWhenAMessageArrives() throws {
        let context = Context()
        let endpoint = ipcEndpoint()
        defer { removeIPCFile(endpoint) }
        let pull = try makeSocket(context, .pull)
        defer { pull.close() }
        try pull.bind(endpoint)
        let push = try makeSocket(context, .push)
        defer { push.close() }
        try push.connect(endpoint)

        try push.send(frames("hello"))
        #expect(try poll([pull], timeoutMilliseconds: 5_000) == [true])
        #expect(pull.isReadable)
        #expect(try pull.receive(dontWait: true) == frames("hello"))
        #expect(pull.isReadable == false)
    }

    @Test func closedSocketRefusesWorkAndClosesTwiceSafely() throws {
        let context = Context()
        let socket = try makeSocket(context, .pair)
        socket.close()
        socket.close()
        #expect(socket.lastEndpoint == nil)
        #expect(socket.isReadable == false)
        #expect(throws: ZMQError.self) { try socket.bind(ipcEndpoint()) }
        #expect(throws: ZMQError.self) { try socket.send(frames("x")) }
    }

    @Test func emptyMessageIsRefused() throws {
        let context = Context()
        let socket = try makeSocket(context, .pair)
        defer { socket.close() }
        let error = #expect(throws: ZMQError.self) { try socket.send([]) }
        #expect(error?.code == EINVAL)
    }

    @Test func unbindAndDisconnectUndoTheirCounterparts() throws {
        let context = Context()
        let pull = try makeSocket(context, .pull)
        defer { pull.close() }
        let endpoint = try bindEphemeral(pull)
        let push = try makeSocket(context, .push)
        defer { push.close() }
        try push.connect(endpoint)
        try push.disconnect(endpoint)
        try pull.unbind(endpoint)
        // libzmq forgets the endpoint at once (the port itself is released asynchronously), so a
        // second attempt finds nothing to undo.
        #expect(throws: ZMQError.self) { try push.disconnect(endpoint) }
        #expect(throws: ZMQError.self) { try pull.unbind(endpoint) }
    }
}
