import Foundation
import Testing
import ZeroMQ

@Suite struct PollTests {
    @Test func pollTimesOutThenReportsReadiness() throws {
        let context = Context()
        let endpoint = ipcEndpoint()
        defer { removeIPCFile(endpoint) }
        let quiet = try makeSocket(context, .pull)
        defer { quiet.close() }
        let quietEndpoint = ipcEndpoint()
        defer { removeIPCFile(quietEndpoint) }
        try quiet.bind(quietEndpoint)
        let pull = try makeSocket(context, .pull)
        defer { pull.close() }
        try pull.bind(endpoint)
        let push = try makeSocket(context, .push)
        defer { push.close() }
        try push.connect(endpoint)

        let start = ContinuousClock.now
        #expect(try poll([quiet, pull], timeoutMilliseconds: 100) == [false, false])
        #expect(ContinuousClock.now - start >= .milliseconds(90))

        try push.send(frames("wake up"))
        #expect(try poll([quiet, pull], timeoutMilliseconds: 5_000) == [false, true])
        #expect(try pull.receive() == frames("wake up"))
    }

    @Test func pollRefusesAClosedSocket() throws {
        let context = Context()
        let socket = try makeSocket(context, .pull)
        socket.close()
        #expect(throws: ZMQError.self) { try poll([socket], timeoutMilliseconds: 0) }
    }

    @Test func pollWithNothingToWaitForForeverIsRefused() {
        #expect(throws: ZMQError.self) { try poll([], timeoutMilliseconds: -1) }
    }
}
