import BrokerCore
import Foundation
import Testing

/// PeerID packs ids of up to 7 bytes into one word for hashing and comparing; longer ids use their bytes.
/// Either way two ids are equal exactly when their bytes are.
@Suite struct PeerIDTests {
    /// Ids around the packing limit, including ones that differ only in length or in trailing zero bytes,
    /// which a packing that forgot the length would confuse.
    static let ids: [Data] = [
        Data(), Data([0]), Data([0, 0]), Data([0, 0, 0, 0, 0, 0, 0]), Data([0, 0, 0, 0, 0, 0, 0, 0]),
        Data([0, 0x80, 0, 0x41, 0xa7]), Data([0, 0x80, 0, 0x41, 0xa8]), Data([0, 0x80, 0, 0x41, 0xa7, 0]),
        Data([1, 2, 3, 4, 5, 6, 7]), Data([1, 2, 3, 4, 5, 6, 7, 8]), Data([1, 2, 3, 4, 5, 6, 7, 8, 9]),
        Data([1, 2, 3, 4, 5, 6, 7, 9]), Data("worker-with-a-name-it-chose".utf8), Data([0xff]),
        Data([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    ]

    @Test func equalExactlyWhenTheBytesAre() {
        for left in Self.ids {
            for right in Self.ids {
                #expect((PeerID(left) == PeerID(right)) == (left == right), "\(Array(left)) vs \(Array(right))")
            }
        }
    }

    @Test func aDictionaryKeepsEveryIdApartAndFindsItFromFreshBytes() {
        var seen: [PeerID: Int] = [:]
        for (index, id) in Self.ids.enumerated() { seen[PeerID(id)] = index }
        #expect(seen.count == Self.ids.count)
        for (index, id) in Self.ids.enumerated() {
            // A copy of the bytes in a new buffer (a slice with a nonzero start, too) finds the same entry.
            let copy = (Data([9]) + id).dropFirst()
            #expect(seen[PeerID(copy)] == index)
            #expect(PeerID(copy).hashValue == PeerID(id).hashValue)
        }
    }

    @Test func describesItselfAsHex() {
        #expect(PeerID(Data([0, 0x80, 0, 0x41, 0xa7])).description == "00800041a7")
        #expect(PeerID(Data()).description == "")
    }
}
