import DocProtocol
import Foundation
import Synchronization
import ZeroMQ

/// A stand-in MDP broker for socket tests: a real ROUTER on a temporary `ipc://` path, on its own
/// thread. It records every message it gets, heartbeats every worker that said READY, and sends
/// what tests queue with `send(to:_:)`.
final class FakeBroker: Sendable {
    struct Received: Sendable {
        var at: ContinuousClock.Instant
        var peer: Data
        var message: MDP.BrokerInbound
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private struct State: Sendable {
        var received: [Received] = []
        var outbox: [(peer: Data, frames: [Data])] = []
        var stopping = false
        var bindError: String?
    }

    let endpoint = "ipc:///tmp/docpipe-wk-\(UUID().uuidString.prefix(13)).sock"
    private let heartbeatMs: Int
    private let state = Mutex(State())
    private let bound = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(heartbeatMs: Int) throws {
        self.heartbeatMs = heartbeatMs
        let thread = Thread { [self] in serve() }
        thread.name = "fake-broker"
        thread.start()
        guard bound.wait(timeout: .now() + 5) == .success else { throw Failure(description: "broker did not bind") }
        if let error = state.withLock({ $0.bindError }) { throw Failure(description: error) }
    }

    /// Queues frames (an MDP message starting with the empty delimiter) for a peer.
    func send(to peer: Data, _ frames: [Data]) {
        state.withLock { $0.outbox.append((peer, frames)) }
    }

    var received: [Received] { state.withLock { $0.received } }

    /// Polls `probe` over what was received until it returns a value; throws after `timeout`.
    func waitFor<T: Sendable>(
        _ what: String, timeout: Duration = .seconds(10), _ probe: ([Received]) -> T?
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let value = probe(received) { return value }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Failure(description: "timed out waiting for \(what)")
    }

    /// Stops the thread (waiting at most 5 s) and removes the socket file.
    func stop() {
        state.withLock { $0.stopping = true }
        _ = finished.wait(timeout: .now() + 5)
        try? FileManager.default.removeItem(atPath: String(endpoint.dropFirst("ipc://".count)))
    }

    private func serve() {
        defer { finished.signal() }
        let context = Context()
        let router: Socket
        do {
            router = try Socket(context, .router)
            try router.setLinger(milliseconds: 0)
            try router.bind(endpoint)
        } catch {
            state.withLock { $0.bindError = "\(error)" }
            bound.signal()
            return
        }
        bound.signal()
        defer { router.close() }
        let clock = ContinuousClock()
        var nextHeartbeat = clock.now
        var workers: [Data] = []
        while !state.withLock({ $0.stopping }) {
            guard let ready = try? poll([router], timeoutMilliseconds: 10) else { return }
            if ready[0] {
                while let frames = try? router.receive(dontWait: true), frames.count > 1 {
                    let peer = frames[0]
                    guard let message = try? MDP.decodeAtBroker(Array(frames.dropFirst())) else { continue }
                    if case .ready = message, !workers.contains(peer) { workers.append(peer) }
                    state.withLock { $0.received.append(Received(at: clock.now, peer: peer, message: message)) }
                }
            }
            let outbox = state.withLock { state in
                defer { state.outbox.removeAll() }
                return state.outbox
            }
            for (peer, frames) in outbox { _ = try? router.send([peer] + frames) }
            if clock.now >= nextHeartbeat {
                for peer in workers { _ = try? router.send([peer] + MDP.heartbeat, dontWait: true) }
                nextHeartbeat = clock.now + .milliseconds(heartbeatMs)
            }
        }
    }
}
