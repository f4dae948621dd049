public import DocProtocol

/// What the router knows about one connected MDP worker.
public struct WorkerRecord: Equatable, Sendable {
    public var peer: PeerID
    public var service: String
    public var expiresAt: Millis
    public var registeredAt: Millis
    /// The request this worker holds; MDP workers take one at a time.
    public var inflight: PendingRequest?
    public var completed: Int = 0
    /// The MDP generation this worker speaks; every command to it is framed in it.
    public var version: MDP.Version = .v01
    /// Host, pid and version, when the worker sent docpipe's identity frame with READY.
    public var identity: WorkerIdentity?
    /// When the broker last heard anything from it.
    public var lastSeenAt: Millis = 0

    public var isIdle: Bool { inflight == nil }
}

/// A service's waiting requests and its idle workers, oldest first.
struct ServiceQueue: Sendable {
    var requests: [PendingRequest] = []
    var head = 0
    var idleWorkers: [PeerID] = []

    var waiting: Int { requests.count - head }

    mutating func push(_ request: PendingRequest) { requests.append(request) }

    /// A request handed back by a dead worker goes first: it has waited longest.
    mutating func pushFront(_ request: PendingRequest) {
        if head > 0 {
            head -= 1
            requests[head] = request
        } else {
            requests.insert(request, at: 0)
        }
    }

    mutating func popFirst() -> PendingRequest? {
        guard head < requests.count else { return nil }
        let request = requests[head]
        head += 1
        // Compact now and then so the array does not keep every request ever served.
        if head > 1024, head * 2 > requests.count {
            requests.removeFirst(head)
            head = 0
        }
        return request
    }

    public var oldestEnqueuedAt: Millis? { head < requests.count ? requests[head].enqueuedAt : nil }

    /// Removes and returns the waiting requests that match; keeps the others in order.
    mutating func removeAll(where shouldRemove: (PendingRequest) -> Bool) -> [PendingRequest] {
        let waitingNow = requests[head...]
        let removed = waitingNow.filter(shouldRemove)
        guard !removed.isEmpty else { return [] }
        requests = waitingNow.filter { !shouldRemove($0) }
        head = 0
        return removed
    }
}
