/// Deadlines in a binary min-heap: the earliest is found in O(1) and taken in O(log n), so stage timeouts
/// and retry back-offs cost nothing per tick however many jobs wait.
///
/// Entries are never removed early: a lease that ends or a job that finishes leaves its entry behind, and
/// the owner checks each entry it pops against its own records (`ticket` tells a stale entry from a live one).
struct DeadlineQueue: Sendable {
    struct Entry: Sendable {
        var deadline: Double
        var jobID: String
        var ticket: Int
    }

    private var heap: [Entry] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var earliest: Entry? { heap.first }

    mutating func insert(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(now: Double) -> Entry? {
        guard let first = heap.first, first.deadline <= now else { return nil }
        return popFirst()
    }

    mutating func popFirst() -> Entry? {
        guard !heap.isEmpty else { return nil }
        let first = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = parent * 2 + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
                if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
