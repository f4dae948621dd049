import Foundation
import Testing
import ZeroMQ

@Suite struct ProxyTests {
    /// A client's request crosses the proxy to a worker and the reply finds its way back; shutting the
    /// context down ends the proxy with `isTerminated`.
    @Test func proxyCarriesRequestsAndRepliesUntilTheContextStops() throws {
        let context = Context()
        let endpoints = Handoff<(String, String)>()
        let outcome = Handoff<ZMQError>()
        let bound = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { finished.signal() }
            do {
                // The proxy's sockets belong to its thread: made, bound and used there only.
                let frontend = try makeSocket(context, .router)
                defer { frontend.close() }
                let backend = try makeSocket(context, .dealer)
                defer { backend.close() }
                endpoints.value = (try bindEphemeral(frontend), try bindEphemeral(backend))
                bound.signal()
                try proxy(frontend: frontend, backend: backend)
            } catch let error as ZMQError {
                outcome.value = error
                bound.signal()
            } catch {
                bound.signal()
            }
        }
        thread.start()
        #expect(bound.wait(timeout: .now() + 5) == .success)
        let (frontendEndpoint, backendEndpoint) = try #require(endpoints.value)

        let worker = try makeSocket(context, .dealer)
        defer { worker.close() }
        try worker.connect(backendEndpoint)
        let client = try makeSocket(context, .dealer)
        defer { client.close() }
        try client.connect(frontendEndpoint)

        try client.send(frames("", "ping"))
        // The worker sees the client's routing ID the ROUTER added, then what the client sent.
        let request = try #require(try worker.receive())
        #expect(request.count == 3)
        #expect(Array(request.suffix(2)) == frames("", "ping"))
        try worker.send(Array(request.prefix(2)) + frames("pong"))
        #expect(try client.receive() == frames("", "pong"))

        context.shutdown()
        #expect(finished.wait(timeout: .now() + 5) == .success)
        #expect(outcome.value?.isTerminated == true)
    }
}
