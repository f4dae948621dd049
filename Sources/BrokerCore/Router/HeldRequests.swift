public import Foundation

/// The requests one worker holds, matched to its replies by the client-address frame.
///
/// One client may pipeline several requests to the same service, so an address can be held more
/// than once; replies to it are matched first in, first out, as the worker took them.
public struct HeldRequests: Equatable, Sendable {
    private var byID: [UInt64: Entry] = [:]
    private var byEnvelope: [Data: [UInt64]] = [:]
    private var nextSequence: UInt64 = 0

    private struct Entry: Equatable, Sendable {
        var sequence: UInt64
        var request: PendingRequest
    }

    public init() {}

    public var count: Int { byID.count }
    /// How many of them are exclusive (at most one, as an exclusive request goes only to an idle worker).
    public private(set) var exclusiveCount = 0
    public var isEmpty: Bool { byID.isEmpty }

    /// Every held request in the order the worker was given them.
    public var inOrder: [PendingRequest] {
        byID.values.sorted { $0.sequence < $1.sequence }.map(\.request)
    }

    /// The request given to the worker longest ago.
    public var oldest: PendingRequest? { byID.values.min { $0.sequence < $1.sequence }?.request }

    mutating func add(_ request: PendingRequest) {
        byID[request.id] = Entry(sequence: nextSequence, request: request)
        if request.exclusive { exclusiveCount += 1 }
        nextSequence += 1
        byEnvelope[request.envelope, default: []].append(request.id)
    }

    /// The earliest held request for this address, without taking it (for MDP/0.2 PARTIAL).
    func first(for envelope: Data) -> PendingRequest? {
        byEnvelope[envelope]?.first.flatMap { byID[$0]?.request }
    }

    /// Takes the earliest held request for this address, if any.
    mutating func take(envelope: Data) -> PendingRequest? {
        guard let id = byEnvelope[envelope]?.first else { return nil }
        return remove(id: id)
    }

    @discardableResult
    mutating func remove(id: UInt64) -> PendingRequest? {
        guard let entry = byID.removeValue(forKey: id) else { return nil }
        if entry.request.exclusive { exclusiveCount -= 1 }
        let envelope = entry.request.envelope
        byEnvelope[envelope]?.removeAll { $0 == id }
        if byEnvelope[envelope]?.isEmpty == true { byEnvelope[envelope] = nil }
        return entry.request
    }
}
