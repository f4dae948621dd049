import DequeModule

/// A service's waiting requests, oldest first, and the rotation of its workers with free credit.
///
/// Nothing is taken out of the middle: only a leased dispatch times out, and a lease means a worker took it
/// from here (`RouterStateMachine.abandon`); client requests that waited too long go in the sweep's full pass.
///
/// A ring buffer (`Deque`), so taking the head moves the request out: the array with a moving head index
/// used before copied each request out (a retain of each of its buffers) and, every thousand requests,
/// shifted and destroyed the served ones in one go — 3 % of the loop thread in the pipeline profile.
struct ServiceQueue: Sendable {
    private var requests: Deque<PendingRequest> = []
    /// Requests waiting.
    var waiting: Int { requests.count }
    /// Workers that can take another request, in the order they get one.
    var rotation = PeerRotation()

    mutating func push(_ request: PendingRequest) {
        requests.append(request)
    }

    /// Requests handed back by a dead worker go first, in the order given: they have waited longest.
    mutating func pushFront(_ returned: [PendingRequest]) {
        guard !returned.isEmpty else { return }
        requests.prepend(contentsOf: returned)
    }

    mutating func popFirst() -> PendingRequest? { requests.popFirst() }

    var oldestEnqueuedAt: Millis? { requests.first?.enqueuedAt }

    /// The request `popFirst` would return, left in place.
    var first: PendingRequest? { requests.first }

    /// Removes and returns the waiting requests that match; keeps the others in order. A full pass,
    /// for the once-a-second sweep only.
    mutating func removeAll(where shouldRemove: (PendingRequest) -> Bool) -> [PendingRequest] {
        guard requests.contains(where: shouldRemove) else { return [] }
        var kept: Deque<PendingRequest> = []
        var removed: [PendingRequest] = []
        for request in requests {
            if shouldRemove(request) { removed.append(request) } else { kept.append(request) }
        }
        requests = kept
        return removed
    }
}

/// Workers in the order they are next offered a request: a worker goes to the back after each one it
/// takes, so a service's work spreads across its workers instead of filling the first one's credit.
struct PeerRotation: Sendable {
    private var peers: [PeerID] = []
    private var head = 0

    var isEmpty: Bool { head == peers.count }

    mutating func append(_ peer: PeerID) { peers.append(peer) }

    mutating func popFirst() -> PeerID? {
        guard head < peers.count else { return nil }
        let peer = peers[head]
        head += 1
        if head == peers.count {
            peers.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64, head * 2 > peers.count {
            peers.removeFirst(head)
            head = 0
        }
        return peer
    }

    /// Takes the first worker that passes the test, keeping the others in order. A linear pass, used only
    /// when an exclusive request needs an idle worker.
    mutating func removeFirst(where matches: (PeerID) -> Bool) -> PeerID? {
        guard let index = peers[head...].firstIndex(where: matches) else { return nil }
        return peers.remove(at: index)
    }

    /// Drops a worker that left; rare, so a linear pass is fine.
    mutating func remove(_ peer: PeerID) {
        peers.removeSubrange(0..<head)
        head = 0
        peers.removeAll { $0 == peer }
    }
}
