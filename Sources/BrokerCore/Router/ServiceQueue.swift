/// A service's waiting requests, oldest first, and the rotation of its workers with free credit.
///
/// Withdrawn requests are only marked (by id) and skipped when they reach the head, so a stage
/// timeout never has to search the queue. The head is kept on a live request, so `oldestEnqueuedAt`
/// and `waiting` never see a withdrawn one.
struct ServiceQueue: Sendable {
    private var requests: [PendingRequest] = []
    private var head = 0
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
        if head >= returned.count {
            head -= returned.count
            requests.replaceSubrange(head..<(head + returned.count), with: returned)
        } else {
            requests.replaceSubrange(0..<head, with: returned)
            head = 0
        }
        waiting += returned.count
    }

    mutating func popFirst() -> PendingRequest? {
        guard head < requests.count else { return nil }
        let request = requests[head]
        head += 1
        waiting -= 1
        skipWithdrawn()
        // Compact now and then so the array does not keep every request ever served.
        if head > 1024, head * 2 > requests.count {
            requests.removeFirst(head)
            head = 0
        }
        return request
    }

    /// Marks a waiting request as gone; it is skipped when it reaches the head.
    mutating func withdraw(id: UInt64) {
        withdrawn.insert(id)
        waiting -= 1
        skipWithdrawn()
    }

    var oldestEnqueuedAt: Millis? { head < requests.count ? requests[head].enqueuedAt : nil }

    /// The request `popFirst` would return, left in place.
    var first: PendingRequest? { head < requests.count ? requests[head] : nil }

    /// Removes and returns the waiting requests that match; keeps the others in order. A full pass,
    /// for the once-a-second sweep only.
    mutating func removeAll(where shouldRemove: (PendingRequest) -> Bool) -> [PendingRequest] {
        guard requests[head...].contains(where: { shouldRemove($0) && !withdrawn.contains($0.id) }) else { return [] }
        var kept: [PendingRequest] = []
        var removed: [PendingRequest] = []
        for request in requests[head...] where withdrawn.remove(request.id) == nil {
            if shouldRemove(request) { removed.append(request) } else { kept.append(request) }
        }
        requests = kept
        head = 0
        waiting = kept.count
        return removed
    }

    private mutating func skipWithdrawn() {
        while head < requests.count, !withdrawn.isEmpty, withdrawn.remove(requests[head].id) != nil {
            head += 1
        }
        if head == requests.count {
            requests.removeAll(keepingCapacity: true)
            head = 0
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
