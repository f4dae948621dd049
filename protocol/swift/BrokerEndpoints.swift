import Foundation

/// The brokers a peer may talk to, in the order it tries them: `--broker` / `$DOCPIPE_BROKER` as a
/// comma-separated list (`tcp://a:5555,tcp://b:5555`) for brokers that share a journal, one active, the
/// others standby.
///
/// A peer talks to one endpoint at a time (`current`) and moves to the next (`advance`, round robin) when
/// that one is silent or a standby. A list of one is the single broker of old: advancing stays on it.
public struct BrokerEndpoints: Sendable, Equatable {
    /// Never empty.
    public let all: [String]
    /// Index in `all` of the endpoint in use.
    public private(set) var index = 0

    /// The endpoints of a comma-separated list, trimmed, empties dropped; nil when none is left.
    public init?(_ list: String) {
        self.init(Self.parse(list))
    }

    /// Nil for an empty list.
    public init?(_ endpoints: [String]) {
        guard !endpoints.isEmpty else { return nil }
        all = endpoints
    }

    /// "tcp://a:1, tcp://b:2," → ["tcp://a:1", "tcp://b:2"].
    public static func parse(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public var current: String { all[index] }
    public var count: Int { all.count }
    public var isList: Bool { all.count > 1 }

    /// Moves to the next endpoint (after the last, the first) and returns it.
    @discardableResult
    public mutating func advance() -> String {
        index = (index + 1) % all.count
        return current
    }
}

extension ErrorReply {
    /// The reason a standby broker gives (status 503) for every request it will not serve.
    public static let standbyReason = "standby"

    /// A standby broker's refusal: send the request to another broker of the list.
    public var isStandby: Bool { status == .busy && reason == Self.standbyReason }
}

extension BrokerStatus {
    /// Whether this broker serves requests: brokers that do not say (before failover existed) always do.
    public var isActive: Bool { role != .standby }
}
