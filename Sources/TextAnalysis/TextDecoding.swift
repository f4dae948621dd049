import Foundation

/// Turns document bytes into a String: UTF-8 (a BOM is dropped) or UTF-16 with a BOM.
enum TextDecoder {
    static func decode(_ bytes: Data) -> String? {
        let array = [UInt8](bytes)
        if let encoding = utf16Encoding(of: array) {
            return String(data: bytes.dropFirst(2), encoding: encoding)
        }
        let body = array.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(array.dropFirst(3)) : array
        // Validate explicitly: String(decoding:) would silently repair, hiding binary input.
        guard utf8Damage(Data(body)) == nil else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    /// Decodes at most `limit` bytes, tolerating a multi-byte character cut at the end.
    static func decodePrefix(_ bytes: Data, limit: Int) -> String? {
        if bytes.count <= limit { return decode(bytes) }
        if utf16Encoding(of: [UInt8](bytes.prefix(2))) != nil { return decode(bytes.prefix(limit & ~1)) }
        for cut in 0..<4 {
            if let text = decode(bytes.prefix(limit - cut)) { return text }
        }
        return nil
    }

    static func utf16Encoding(of head: [UInt8]) -> String.Encoding? {
        if head.starts(with: [0xFF, 0xFE]) { return .utf16LittleEndian }
        if head.starts(with: [0xFE, 0xFF]) { return .utf16BigEndian }
        return nil
    }

    /// Where the first invalid UTF-8 sequence starts, and how much of the input is invalid; used
    /// to tell "text in a legacy encoding" from "not text at all".
    static func utf8Damage(_ bytes: Data) -> (firstBadOffset: Int, badFraction: Double)? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var firstBad: Int?
        var bad = 0
        var consumed = 0
        // The decoder repairs errors one scalar at a time; counting repairs bounds the damage.
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                consumed += UTF8.width(scalar)
                offset = consumed
            case .error:
                if firstBad == nil { firstBad = offset }
                bad += 1
                consumed += 1
                offset = consumed
            case .emptyInput:
                guard let firstBad else { return nil }
                return (firstBad, Double(bad) / Double(max(bytes.count, 1)))
            }
        }
    }
}
