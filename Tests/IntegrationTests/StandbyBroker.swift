import DocProtocol
import Foundation
import PostgresTesting
import Synchronization
import ZeroMQ

/// A stand-in for a standby broker, as a peer sees one: a real ROUTER on its own thread that answers every
/// worker message with DISCONNECT, `docpipe.status` with a standby's status, `mmi.*` with 404, and any other
/// request with the standby refusal (503 "standby"). It counts what it turned away.
final class StandbyBroker: Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    private struct State: Sendable {
        var workerMessages = 0
        var refusedRequests: [String] = []
        var statusRequests = 0
        var stopping = false
        var bindError: String?
    }

    let endpoint: String
    let activeEndpoint: String
    private let state = Mutex(State())
    private let bound = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)

    init(endpoint: String, activeEndpoint: String) throws {
        self.endpoint = endpoint
        self.activeEndpoint = activeEndpoint
        let thread = Thread { [self] in serve() }
        thread.name = "standby-broker"
        thread.start()
        guard bound.wait(timeout: .now() + 5) == .success else { throw Failure(description: "standby did not bind") }
        if let error = state.withLock({ $0.bindError }) { throw Failure(description: error) }
    }

    var workerMessages: Int { state.withLock { $0.workerMessages } }
    var refusedRequests: [String] { state.withLock { $0.refusedRequests } }
    var statusRequests: Int { state.withLock { $0.statusRequests } }

    /// Stops the thread, waiting at most 5 s; a second call does nothing.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        state.withLock { $0.stopping = true }
        _ = finished.wait(timeout: .now() + 5)
    }

    deinit { stop() }

    static func refusal(activeEndpoint: String) -> ErrorReply {
        ErrorReply(
            status: .busy, reason: ErrorReply.standbyReason,
            message: "this broker is a standby; the active broker is \(activeEndpoint)", retryAfterMs: 500)
    }

    func standbyStatus() -> BrokerStatus {
        let now = Date().timeIntervalSince1970
        var status = BrokerStatus(
            version: "0.5.0", endpoint: endpoint, uptimeSeconds: 90, workers: 0, services: [],
            pipelines: [:], jobs: .init(), counters: [:])
        status.role = .standby
        status.failover = FailoverStatus(
            journal: "postgres", roleSince: now - 90, activeEndpoint: activeEndpoint,
            activeSince: now - 60, leaseEpoch: 2, failovers: 1, lastFailoverAt: now - 60)
        return status
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
        defer {
            router.close()
            context.shutdown()
        }
        while !state.withLock({ $0.stopping }) {
            guard let ready = try? poll([router], timeoutMilliseconds: 20) else { return }
            guard ready[0] else { continue }
            while let frames = try? router.receive(dontWait: true), frames.count > 1 {
                let peer = frames[0]
                guard let message = try? MDP.decodeAtBroker(Array(frames.dropFirst())) else { continue }
                switch message {
                case .clientRequest(let service, _):
                    let body: Data
                    if service == ServiceName.status {
                        state.withLock { $0.statusRequests += 1 }
                        body = (try? WireJSON.encode(standbyStatus())) ?? Data()
                    } else if service.hasPrefix("mmi.") {
                        body = Data("404".utf8)
                    } else {
                        state.withLock { $0.refusedRequests.append(service) }
                        body = (try? WireJSON.encode(Self.refusal(activeEndpoint: activeEndpoint))) ?? Data()
                    }
                    _ = try? router.send([peer] + MDP.clientReply(service: service, body: [body]), dontWait: true)
                case .disconnect:
                    state.withLock { $0.workerMessages += 1 }
                default:
                    state.withLock { $0.workerMessages += 1 }
                    _ = try? router.send([peer] + MDP.disconnect, dontWait: true)
                }
            }
        }
    }
}

/// `tcp://127.0.0.1:PORT` on a port nothing listens on now.
func freeLoopbackEndpoint() throws -> String {
    "tcp://127.0.0.1:\(try ThrowawayPostgres.freePortForTests())"
}
