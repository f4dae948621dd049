import DequeModule

/// A service's waiting requests, oldest first, and the rotation of its workers with free credit.
///
/// Withdrawn requests are only marked (by id) and skipped when they reach the head, so a stage
/// timeout never has to search the queue. The head is kept on a live request, so `oldestEnqueuedAt`
/// and `waiting` never see a withdrawn one.
///
/// A ring buffer (`Deque`), so taking the head moves the request out: the array with a moving head index
/// used before copied each request out (a retain of each of its buffers) and, every thousand requests,
/// shifted and destroyed the served ones in one go — 3 % of the loop thread in the pipeline profile.
struct ServiceQueue: Sendable {
    private var requests: Deque<PendingRequest> = []
    private var withdrawn: Set<UInt64> = []
    /// Requests still waiting (withdrawn ones excluded).
    private(set) var waiting = 0
    /// Workers that can take another request, in the order they get one.
    var rotation = PeerRotation()

    mutating func push(_ request: PendingRequest) {
        requests.append(request)
        waiting += 1
    }

    /// Requests handed back by a dead worker go first, in the order given: they have waited longest.
    mutating func pushFront(_ returned: [PendingRequest]) {
        guard !returned.isEmpty else { return }
        requests.prepend(contentsOf: returned)
        waiting += returned.count
    }

    mutating func popFirst() -> PendingRequest? {
        guard let request = requests.popFirst() else { return nil }
        waiting -= 1
        skipWithdrawn()
        return request
    }

    /// Marks a waiting request as gone; it is skipped when it reaches the head.
    mutating func withdraw(id: UInt64) {
        withdrawn.insert(id)
        waiting -= 1
        skipWithdrawn()
    }

    var oldestEnqueuedAt: Millis? { requests.first?.enqueuedAt }

    /// The request `popFirst` would return, left in place.
    var first: PendingRequest? { requests.first }

    /// Removes and returns the waiting requests that match; keeps the others in order. A full pass,
    /// for the once-a-second sweep only.
    mutating func removeAll(where shouldRemove: (PendingRequest) -> Bool) -> [PendingRequest] {
        guard requests.contains(where: { shouldRemove($0) && !withdrawn.contains($0.id) }) else { return [] }
        var kept: Deque<PendingRequest> = []
        var removed: [PendingRequest] = []
        for request in requests where withdrawn.remove(request.id) == nil {
            if shouldRemove(request) { removed.append(request) } else { kept.append(request) }
        }
        requests = kept
        waiting = kept.count
        return removed
    }

    private mutating func skipWithdrawn() {
        while !withdrawn.isEmpty, let head = requests.first, withdrawn.remove(head.id) != nil {
            requests.removeFirst()
        }
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
