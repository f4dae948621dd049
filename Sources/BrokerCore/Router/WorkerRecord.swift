public import DocProtocol

/// What the router knows about one connected MDP worker.
public struct WorkerRecord: Equatable, Sendable {
    public var peer: PeerID
    public var service: String
    public var expiresAt: Millis
    public var registeredAt: Millis
    /// How many requests the worker may hold at once: its advertised credit clamped to
    /// 1…`WorkerIdentity.maxCredit`; 1 for plain MDP workers.
    public internal(set) var credit: Int = 1
    /// The requests this worker holds now, matched to its replies by client address.
    public internal(set) var held = HeldRequests()
    public var completed: Int = 0
    /// The MDP generation this worker speaks; every command to it is framed in it.
    public var version: MDP.Version = .v01
    /// Host, pid and version, when the worker sent docpipe's identity frame with READY.
    public var identity: WorkerIdentity?
    /// When the broker last heard anything from it.
    public var lastSeenAt: Millis = 0

    /// How many requests the worker holds now.
    public var outstanding: Int { held.count }
    /// Whether it can take another request: not while it holds an exclusive one.
    public var hasFreeCredit: Bool { held.count < credit && held.exclusiveCount == 0 }
    /// Holds nothing.
    public var isIdle: Bool { held.isEmpty }
    /// The request it has held longest (for a credit-1 worker, the one it holds).
    public var inflight: PendingRequest? { held.oldest }

    /// The credit the router honours for what a worker advertised: absent or below 1 means 1, and
    /// no worker gets more than `WorkerIdentity.maxCredit`.
    public static func honouredCredit(_ advertised: Int?) -> Int {
        min(max(advertised ?? 1, 1), WorkerIdentity.maxCredit)
    }
}
