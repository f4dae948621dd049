import DocProtocol
import Foundation

/// What a standby broker answers, as a pure function of the message (tested without sockets).
///
/// A standby binds its endpoint like the active broker, so peers given both endpoints find out at once
/// where not to be: a worker gets DISCONNECT (it reconnects, to its next endpoint), a client gets a 503
/// `standby` ErrorReply that names the active broker (it sends again, to its next endpoint), and
/// `docpipe.status` gets a status whose `role` says standby, so operators can ask any broker.
struct StandbyResponder {
    let endpoint: String
    let version: String
    let startedAt: Date

    /// How long a client should wait before asking this broker again (the lease's renewal period).
    static let retryAfterMs = 500

    /// The reply frames (without the peer's routing id) for one message, or nil when none is due.
    func answer(_ frames: [Data], failover: FailoverStatus) -> [Data]? {
        guard let (inbound, version) = try? MDP.decodeAnyAtBroker(frames) else { return nil }
        switch inbound {
        case .clientRequest(let service, _):
            return MDP.clientReply(service: service, body: [body(for: service, failover: failover)], version: version)
        case .ready, .reply, .partial, .heartbeat:
            return MDP.disconnect(version)
        case .disconnect:
            return nil
        }
    }

    private func body(for service: String, failover: FailoverStatus) -> Data {
        if service == ServiceName.status {
            var status = BrokerStatus(
                version: version, endpoint: endpoint, uptimeSeconds: Date().timeIntervalSince(startedAt), workers: 0,
                services: [], pipelines: [:], jobs: .init(), counters: [:])
            status.role = .standby
            status.failover = failover
            return (try? WireJSON.encode(status)) ?? Data()
        }
        if service.hasPrefix("mmi.") {
            // MMI's plain-text answer for "no such service here".
            return Data("404".utf8)
        }
        let active = failover.activeEndpoint.map { "the active broker is \($0)" } ?? "no broker is active right now"
        let reply = ErrorReply(
            status: .busy, reason: "standby",
            message: "this broker (\(endpoint)) is a standby; \(active)", retryAfterMs: Self.retryAfterMs)
        return (try? WireJSON.encode(reply)) ?? Data()
    }
}
