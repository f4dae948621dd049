// The profiles' postings in flat arrays under an open-addressing hash table. Identifying a news
// article's language looks up a few thousand n-grams; in a `[NGramKey: [Posting]]` each lookup
// hashed its key with seeded SipHash and retained the posting array, a quarter of the whole
// extract → classify → summarize chain in the profile. A multiplicative hash of the packed key
// and a linear probe do the same lookup without either.

/// For each known n-gram, the languages that showed it and their weights, in the order they
/// were added (so sums over them come out exactly as before).
struct NGramPostingTable: Sendable {
    struct Posting: Sendable {
        var language: UInt16
        var weight: Float
    }

    /// `NGramKey.max` marks an empty slot: packed keys use at most 63 bits.
    private let keys: [NGramKey]
    private let starts: [Int32]
    private let ends: [Int32]
    private let postings: [Posting]
    private let shift: UInt64

    init(_ lists: [NGramKey: [Posting]]) {
        var capacity = 16
        var bits: UInt64 = 4
        while capacity < lists.count * 2 {
            capacity *= 2
            bits += 1
        }
        shift = 64 - bits
        var keys = [NGramKey](repeating: .max, count: capacity)
        var starts = [Int32](repeating: 0, count: capacity)
        var ends = [Int32](repeating: 0, count: capacity)
        var postings: [Posting] = []
        postings.reserveCapacity(lists.values.reduce(0) { $0 + $1.count })
        for (key, list) in lists {
            var slot = Self.slot(of: key, shift: shift)
            while keys[slot] != .max { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = key
            starts[slot] = Int32(postings.count)
            postings.append(contentsOf: list)
            ends[slot] = Int32(postings.count)
        }
        self.keys = keys
        self.starts = starts
        self.ends = ends
        self.postings = postings
    }

    var count: Int { keys.reduce(0) { $0 + ($1 == .max ? 0 : 1) } }

    /// Adds `key`'s weights to `scores` (indexed by language) and says whether the key is known.
    @inline(__always)
    func addWeights(of key: NGramKey, to scores: inout [Double]) -> Bool {
        let mask = keys.count - 1
        var slot = Self.slot(of: key, shift: shift)
        while true {
            let found = keys[slot]
            if found == key { break }
            if found == .max { return false }
            slot = (slot + 1) & mask
        }
        for index in Int(starts[slot])..<Int(ends[slot]) {
            let posting = postings[index]
            scores[Int(posting.language)] += Double(posting.weight)
        }
        return true
    }

    private static func slot(of key: NGramKey, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
}
