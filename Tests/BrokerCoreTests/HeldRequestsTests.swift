import DocProtocol
import Foundation
import Testing

@testable import BrokerCore

/// A worker's held requests: matched by address first in, first out, taken from anywhere, counted, and
/// kept in the order given however many were taken in between.
struct HeldRequestsTests {
    static func request(_ id: UInt64, client: String? = nil, job: String? = nil, exclusive: Bool = false)
        -> PendingRequest
    {
        let origin: RequestOrigin =
            if let client { .client(PeerID(Data(client.utf8))) } else { .stage(jobID: job ?? "job-\(id)", ticket: 1) }
        return PendingRequest(
            id: id, service: "s", origin: origin, body: [Data("{}".utf8)], enqueuedAt: 0, exclusive: exclusive)
    }

    @Test func oneClientsRequestsAreAnsweredInTheOrderGiven() {
        var held = HeldRequests()
        for id: UInt64 in 1...3 { held.add(Self.request(id, client: "C1")) }
        held.add(Self.request(4, client: "C2"))
        let c1 = Data("C1".utf8)
        #expect(held.first(for: c1)?.id == 1)
        #expect(held.take(envelope: Data("C2".utf8))?.id == 4)
        #expect([held.take(envelope: c1)?.id, held.take(envelope: c1)?.id, held.take(envelope: c1)?.id] == [1, 2, 3])
        #expect(held.take(envelope: c1) == nil)
        #expect(held.isEmpty && held.count == 0 && held.oldest == nil)
    }

    @Test func stageTokensThatDifferOnlyInTheirFirstBytesAreTold() {
        // Dispatch numbers 2^56 apart: the same last seven bytes, so the one-word key matches both; the bytes
        // do not.
        var held = HeldRequests()
        let far: UInt64 = 1 << 56
        held.add(Self.request(1))
        held.add(Self.request(1 + far))
        #expect(held.take(envelope: RequestOrigin.stageToken(1 + far))?.id == 1 + far)
        #expect(held.count == 1 && held.oldest?.id == 1)
        #expect(held.take(envelope: RequestOrigin.stageToken(1 + 2 * far)) == nil)
        #expect(held.take(envelope: RequestOrigin.stageToken(1))?.id == 1)
    }

    @Test func removingByIDAnywhereKeepsTheRestInOrderAndCounted() {
        var held = HeldRequests()
        for id: UInt64 in 1...200 { held.add(Self.request(id, exclusive: id == 150)) }
        #expect(held.exclusiveCount == 1)
        // Take most from the front (the list's holes are dropped as it goes) and some from the middle.
        for id: UInt64 in 1...120 { #expect(held.remove(id: id)?.id == id) }
        #expect(held.remove(id: 150)?.id == 150)
        #expect(held.remove(id: 150) == nil)
        #expect(held.exclusiveCount == 0)
        for id: UInt64 in 201...210 { held.add(Self.request(id)) }
        let expected = Array(121...149) + Array(151...210)
        #expect(held.inOrder.map(\.id) == expected.map(UInt64.init))
        #expect(held.count == expected.count && held.oldest?.id == 121)
    }

    @Test func equalityIsTheRequestsHeldNotHowTheyWereTaken() {
        var left = HeldRequests()
        var right = HeldRequests()
        for id: UInt64 in 1...3 { left.add(Self.request(id)) }
        left.remove(id: 1)
        for id: UInt64 in 2...3 { right.add(Self.request(id)) }
        #expect(left == right)
        right.remove(id: 3)
        #expect(left != right)
    }
}
