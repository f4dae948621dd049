public import Foundation

/// The requests one worker holds, matched to its replies by the client-address frame.
///
/// One client may pipeline several requests to the same service, so an address can be held more
/// than once; replies to it are matched first in, first out, as the worker took them.
///
/// Kept as a list in the order given, not as dictionaries: a worker holds at most its credit, replies
/// mostly come back in order (the match is the first live entry), and each entry carries a one-word key of
/// its address, so a match compares integers until the one whose address then compares equal. The
/// dictionaries this replaced (by id, and by address to a list of ids) hashed the address and allocated a
/// list for every request a worker took: a few per cent of the broker's time in the pipeline profile.
/// Taken entries leave a hole that the front of the list drops once it is all holes, so taking from the
/// front costs nothing and the list never shifts on every reply.
public struct HeldRequests: Equatable, Sendable {
    private var entries: [Entry?] = []
    /// Entries before this index are all taken.
    private var head = 0

    private struct Entry: Equatable, Sendable {
        var key: UInt64
        var request: PendingRequest
    }

    public init() {}

    /// The same requests held in the same order (however the list's holes lie).
    public static func == (left: HeldRequests, right: HeldRequests) -> Bool {
        left.count == right.count && left.inOrder == right.inOrder
    }

    public private(set) var count = 0
    /// How many of them are exclusive (at most one, as an exclusive request goes only to an idle worker).
    public private(set) var exclusiveCount = 0
    public var isEmpty: Bool { count == 0 }

    /// Every held request in the order the worker was given them.
    public var inOrder: [PendingRequest] { entries[head...].compactMap { $0?.request } }

    /// The request given to the worker longest ago.
    public var oldest: PendingRequest? { entries[head...].lazy.compactMap { $0?.request }.first }

    mutating func add(_ request: PendingRequest) {
        entries.append(Entry(key: Self.key(request.envelope), request: request))
        count += 1
        if request.exclusive { exclusiveCount += 1 }
    }

    /// The earliest held request for this address, without taking it (for MDP/0.2 PARTIAL).
    func first(for envelope: Data) -> PendingRequest? {
        index(of: envelope).flatMap { entries[$0]?.request }
    }

    /// Takes the earliest held request for this address, if any.
    mutating func take(envelope: Data) -> PendingRequest? {
        index(of: envelope).flatMap { take(at: $0) }
    }

    @discardableResult
    mutating func remove(id: UInt64) -> PendingRequest? {
        guard let index = entries[head...].firstIndex(where: { $0?.request.id == id }) else { return nil }
        return take(at: index)
    }

    /// Takes the request made for `origin` (a stage timeout withdraws its dispatch): a search of at most the
    /// worker's credit, on a rare path.
    mutating func remove(origin: RequestOrigin) -> PendingRequest? {
        guard let index = entries[head...].firstIndex(where: { $0?.request.origin == origin }) else { return nil }
        return take(at: index)
    }

    private func index(of envelope: Data) -> Int? {
        let key = Self.key(envelope)
        return entries[head...].firstIndex { entry in
            guard let entry, entry.key == key else { return false }
            return entry.request.envelope == envelope
        }
    }

    private mutating func take(at index: Int) -> PendingRequest? {
        guard let entry = entries[index] else { return nil }
        entries[index] = nil
        count -= 1
        if entry.request.exclusive { exclusiveCount -= 1 }
        while head < entries.count, entries[head] == nil { head += 1 }
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return entry.request
    }

    /// The address's length and its last seven bytes in one word: whole for libzmq's 5-byte client ids,
    /// and for a stage token the low seven bytes of its dispatch number, which is where tokens differ.
    static func key(_ envelope: Data) -> UInt64 {
        envelope.withUnsafeBytes { bytes in
            var word = UInt64(truncatingIfNeeded: bytes.count) << 56
            for (shift, byte) in bytes.suffix(7).enumerated() { word |= UInt64(byte) << (8 * UInt64(shift)) }
            return word
        }
    }
}
