import Foundation
import Testing
import ZeroMQ

@Suite struct ErrorTests {
    @Test func mandatoryRouterRefusesAnUnknownPeer() throws {
        let context = Context()
        let router = try makeSocket(context, .router)
        defer { router.close() }
        try router.setRouterMandatory(true)
        _ = try bindEphemeral(router)
        let error = #expect(throws: ZMQError.self) { try router.send(frames("nobody", "", "hello")) }
        #expect(error?.isHostUnreachable == true)
    }

    @Test(arguments: ["bogus://nowhere", "tcp://no-port-here", "ipc://"])
    func badEndpointErrorNamesTheEndpoint(endpoint: String) throws {
        let context = Context()
        let socket = try makeSocket(context, .pull)
        defer { socket.close() }
        let bindError = #expect(throws: ZMQError.self) { try socket.bind(endpoint) }
        #expect(bindError?.message.contains(endpoint) == true)
        let connectError = #expect(throws: ZMQError.self) { try socket.connect(endpoint) }
        #expect(connectError?.message.contains(endpoint) == true)
    }

    @Test func bindingAPortInUseFails() throws {
        let context = Context()
        let first = try makeSocket(context, .rep)
        defer { first.close() }
        let endpoint = try bindEphemeral(first)
        let second = try makeSocket(context, .rep)
        defer { second.close() }
        let error = #expect(throws: ZMQError.self) { try second.bind(endpoint) }
        #expect(error?.code == EADDRINUSE)
        #expect(error?.description == "bind \(endpoint): Address already in use")
    }

    @Test func receiverDropsMessagesOverItsMaximumSize() throws {
        let context = Context()
        let endpoint = ipcEndpoint()
        defer { removeIPCFile(endpoint) }
        let pull = try makeSocket(context, .pull, timeoutMilliseconds: 500)
        defer { pull.close() }
        try pull.setMaxMessageSize(1_000)
        try pull.bind(endpoint)
        let push = try makeSocket(context, .push)
        defer { push.close() }
        try push.connect(endpoint)

        // The small message first proves the connection works; the big one then breaks it.
        try push.send([Data(repeating: 1, count: 500)])
        try push.send([Data(repeating: 2, count: 2_000)])
        #expect(try pull.receive() == [Data(repeating: 1, count: 500)])
        #expect(try pull.receive() == nil)
    }

    @Test func shutdownUnblocksAReceiveInAnotherThread() throws {
        let context = Context()
        let listening = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = Handoff<String>()
        let thread = Thread {
            defer { finished.signal() }
            do {
                // The socket lives entirely on this thread, as libzmq requires.
                let socket = try makeSocket(context, .pull, timeoutMilliseconds: 10_000)
                defer { socket.close() }
                let socketEndpoint = ipcEndpoint()
                defer { removeIPCFile(socketEndpoint) }
                try socket.bind(socketEndpoint)
                listening.signal()
                _ = try socket.receive()
                outcome.value = "returned"
            } catch let error as ZMQError {
                outcome.value = error.isTerminated ? "terminated" : "other error: \(error)"
            } catch {
                outcome.value = "unexpected error: \(error)"
            }
        }
        thread.start()
        #expect(listening.wait(timeout: .now() + 5) == .success)
        Thread.sleep(forTimeInterval: 0.1)
        context.shutdown()
        #expect(finished.wait(timeout: .now() + 5) == .success)
        #expect(outcome.value == "terminated")
    }

    @Test func shutDownContextRefusesNewSockets() throws {
        let context = Context()
        context.shutdown()
        let error = #expect(throws: ZMQError.self) { _ = try Socket(context, .req) }
        #expect(error?.isTerminated == true)
    }

    @Test func optionValuesAreChecked() throws {
        let context = Context()
        let socket = try makeSocket(context, .req)
        defer { socket.close() }
        #expect(throws: ZMQError.self) { try socket.setLinger(milliseconds: Int(Int32.max) + 1) }
        let keyError = #expect(throws: ZMQError.self) { try socket.setCurveServerKey("too short") }
        #expect(keyError?.code == EINVAL)
        // The rest must simply be accepted.
        try socket.setSendHighWaterMark(10)
        try socket.setReceiveHighWaterMark(10)
        try socket.setImmediate(true)
        try socket.setReconnectInterval(milliseconds: 100, max: 1_000)
        try socket.setHeartbeat(interval: 1_000, timeout: 3_000, ttl: 5_000)
        try socket.setZapDomain("docpipe")
        try socket.setMaxMessageSize(-1)
    }

    @Test func errorPredicatesAndDescription() {
        let error = ZMQError(code: EAGAIN, message: "receive: Resource temporarily unavailable")
        #expect(error.isAgain)
        #expect(!error.isTerminated && !error.isHostUnreachable)
        #expect("\(error)" == "receive: Resource temporarily unavailable")
    }
}
