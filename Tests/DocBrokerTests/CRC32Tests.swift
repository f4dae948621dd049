import Foundation
import Testing

@testable import DocBroker

/// The journal's checksum (zlib's CRC-32) against the standard check value and a bit-by-bit reference on
/// every length and alignment a record can have: a different checksum would make every log written before
/// unreadable (a record whose checksum differs is a torn one).
@Suite struct CRC32Tests {
    /// The definition, one bit at a time: no tables to get wrong.
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    @Test func theCheckValueOfTheStandard() {
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Data()) == 0)
    }

    @Test func everyLengthAndAlignmentMatchesTheBitwiseDefinition() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let data = Data(bytes)
        for start in 0..<9 {
            for end in stride(from: start, through: bytes.count, by: 1) {
                let slice = data[(data.startIndex + start)..<(data.startIndex + end)]
                #expect(CRC32.checksum(slice) == Self.reference(Array(bytes[start..<end])), "bytes \(start)..<\(end)")
            }
        }
    }
}
