package import DocClient
package import DocProtocol
package import Foundation
package import Synchronization

/// What one broker of a `--broker` list said when asked `docpipe.status`: its role and failover figures,
/// or that it did not answer. Operator views ask every endpoint, then show the active one's status.
package struct BrokerProbe: Encodable, Equatable {
    package var endpoint: String
    /// "active", "standby" or "unreachable".
    package var role: String
    package var failover: FailoverStatus?
    /// Why it is unreachable.
    package var error: String?
    /// The whole answer, for the view of the active broker; not part of the JSON `brokers` entry.
    package var status: BrokerStatus?

    package static let unreachable = "unreachable"

    package init(endpoint: String, status: BrokerStatus) {
        self.endpoint = endpoint
        self.role = (status.role ?? .active).rawValue
        self.failover = status.failover
        self.status = status
    }

    package init(endpoint: String, error: String) {
        self.endpoint = endpoint
        self.role = Self.unreachable
        self.error = error
    }

    package var isActive: Bool { status?.isActive == true }

    package enum CodingKeys: String, CodingKey { case endpoint, role, failover, error }

    /// Asks every endpoint at once, each on its own connection (a standby answers `docpipe.status` too,
    /// with its role), waiting at most `timeoutMs` for each. Results keep the order of `endpoints`.
    package static func probeAll(_ endpoints: [String], timeoutMs: Int) -> [BrokerProbe] {
        let results = Mutex<[Int: BrokerProbe]>([:])
        let curve = ClientIdentity.curve
        DispatchQueue.concurrentPerform(iterations: endpoints.count) { index in
            let endpoint = endpoints[index]
            let probe: BrokerProbe
            do {
                let status = try DocpipeClient(broker: endpoint, timeoutMs: timeoutMs, curve: curve).status()
                probe = BrokerProbe(endpoint: endpoint, status: status)
            } catch {
                probe = BrokerProbe(endpoint: endpoint, error: "\(error)")
            }
            results.withLock { $0[index] = probe }
        }
        return results.withLock { found in endpoints.indices.map { found[$0]! } }
    }

    /// The broker serving requests; the first one if, for a moment, two say they are.
    package static func active(_ probes: [BrokerProbe]) -> BrokerProbe? { probes.first(where: \.isActive) }

    /// The short per-endpoint timeout of the views that ask every broker.
    package static func timeout(_ timeoutMs: Int) -> Int { min(timeoutMs, 1500) }
}

/// The lines operator views show about roles and failover.
package enum FailoverView {
    /// "Brokers" and a row per endpoint: role, since when, lease epoch, failovers, last failover.
    package static func brokers(_ probes: [BrokerProbe], now: Double = Date().timeIntervalSince1970) -> [String] {
        var table = TextTable("ENDPOINT", "ROLE", "SINCE", "EPOCH", "FAILOVERS", "LAST FAILOVER", maxWidths: [40])
        for probe in probes {
            let failover = probe.failover
            table.add(
                probe.endpoint, probe.role,
                failover.map { OperatorFormat.since($0.roleSince, now: now) + " ago" } ?? "-",
                failover?.leaseEpoch.map(String.init) ?? "-", failover.map { "\($0.failovers)" } ?? "-",
                failover?.lastFailoverAt.map { OperatorFormat.since($0, now: now) + " ago" } ?? "-")
        }
        var lines = ["Brokers", table.render()]
        if BrokerProbe.active(probes) == nil {
            let answered = probes.contains { $0.status != nil }
            lines.append("no broker is active" + (answered ? " (a failover may be under way)" : ""))
        }
        return lines
    }

    /// "role: active for 3m05s · lease epoch 4 · 2 failovers, last 3m05s ago": only for a shared (PostgreSQL)
    /// journal, where there can be a standby; nil otherwise.
    package static func roleLine(_ status: BrokerStatus, now: Double = Date().timeIntervalSince1970) -> String? {
        guard let failover = status.failover, failover.journal == "postgres" else { return nil }
        let role = (status.role ?? .active).rawValue
        var parts = ["role: \(role) for \(OperatorFormat.since(failover.roleSince, now: now))"]
        if status.role == .standby, let active = failover.activeEndpoint {
            parts.append(
                "active is \(active)"
                    + (failover.activeSince.map { " (for \(OperatorFormat.since($0, now: now)))" } ?? ""))
        }
        if let epoch = failover.leaseEpoch { parts.append("lease epoch \(epoch)") }
        parts.append(failovers(failover, now: now))
        return parts.joined(separator: " · ")
    }

    /// "active tcp://b:5555 for 3m05s · 2 failovers, last 3m05s ago", for `top`'s header.
    package static func activeLine(_ status: BrokerStatus, endpoint: String, now: Double = Date().timeIntervalSince1970)
        -> String?
    {
        guard let failover = status.failover, failover.journal == "postgres" else { return nil }
        let since = failover.activeSince ?? failover.roleSince
        return "active \(failover.activeEndpoint ?? endpoint) for \(OperatorFormat.since(since, now: now)) · "
            + failovers(failover, now: now)
    }

    private static func failovers(_ failover: FailoverStatus, now: Double) -> String {
        "\(failover.failovers) failover\(failover.failovers == 1 ? "" : "s")"
            + (failover.lastFailoverAt.map { ", last \(OperatorFormat.since($0, now: now)) ago" } ?? "")
    }
}

/// `status --json` with several endpoints: the active broker's status with a `brokers` array beside its fields.
package struct StatusWithBrokers: Encodable {
    package var status: BrokerStatus?
    package var brokers: [BrokerProbe]

    package enum CodingKeys: String, CodingKey { case brokers }

    package func encode(to encoder: any Encoder) throws {
        try status?.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(brokers, forKey: .brokers)
    }

    package init(status: BrokerStatus? = nil, brokers: [BrokerProbe]) {
        self.status = status
        self.brokers = brokers
    }
}
