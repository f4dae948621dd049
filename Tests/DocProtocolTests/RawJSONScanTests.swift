import DocProtocol
import Foundation
import Testing

/// The scanner skips plain ASCII eight bytes at a time: whatever needs a look (a quote, an escape, a
/// control character, a multi-byte or broken UTF-8 sequence) must be found at every offset around those
/// steps, and the scanner must accept and refuse exactly what Foundation's JSON parser does.
@Suite struct RawJSONScanTests {
    /// Inserts for the string's inside, each with what a correct parser says of it.
    static let inserts: [(bytes: [UInt8], valid: Bool)] = [
        (Array(#"\""#.utf8), true), (Array(#"\\"#.utf8), true), (Array(#"\n"#.utf8), true),
        (Array(#"\u00e9"#.utf8), true), (Array("é".utf8), true), (Array("€".utf8), true), (Array("😀".utf8), true),
        (Array("~".utf8), true), (Array(" ".utf8), true),
        ([0x0A], false), ([0x1F], false), ([0x00], false), ([0x22], false), ([0x5C], false),
        ([0xC3], false), ([0xFF], false), ([0xED, 0xA0, 0x80], false), ([0x80], false),
    ]

    @Test func everyByteThatNeedsALookIsFoundAtEveryOffset() {
        for (insert, valid) in Self.inserts {
            for before in 0..<20 {
                for after in [0, 1, 7, 8, 9, 17] {
                    let inside =
                        Array(repeating: UInt8(ascii: "a"), count: before) + insert
                        + Array(repeating: UInt8(ascii: "c"), count: after)
                    let body = Data(#"{"k":""#.utf8) + Data(inside) + Data(#"","n":1}"#.utf8)
                    let scanned = (try? RawJSON.objectMembers(body)) != nil
                    let foundation = (try? JSONSerialization.jsonObject(with: body)) != nil
                    #expect(scanned == valid, "insert \(insert) after \(before) bytes, \(after) after")
                    #expect(scanned == foundation, "insert \(insert) after \(before) bytes: Foundation disagrees")
                }
            }
        }
    }

    @Test func aLongPlainStringIsReadWhole() throws {
        let text = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 100)
        let body = Data(#"{"content":""#.utf8) + Data(text.utf8) + Data(#""}"#.utf8)
        let members = try RawJSON.objectMembers(body)
        #expect(members.count == 1)
        let literal = body[members[0].value]
        #expect(RawJSON.string(literal) == text)
    }
}
