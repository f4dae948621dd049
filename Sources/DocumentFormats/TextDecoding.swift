import Foundation

/// Turns document bytes into a String: UTF-8 (a BOM is dropped), UTF-16 with a BOM or plainly
/// UTF-16 by its NUL pattern, else Windows-1252 / Latin-1 when the bytes are not UTF-8 but read as text.
enum TextDecoder {
    /// Strict UTF-8 or BOM-marked UTF-16, nil otherwise; used where a wrong guess would be worse than none.
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

    /// The text and the name of the encoding it was read in, or nil when no common encoding fits.
    static func decodeDetectingEncoding(_ bytes: Data) -> (text: String, encoding: String)? {
        let head = [UInt8](bytes.prefix(4))
        if let encoding = utf16Encoding(of: head) {
            let name = encoding == .utf16LittleEndian ? "utf-16le" : "utf-16be"
            return String(data: bytes.dropFirst(2), encoding: encoding).map { ($0, name) }
        }
        if let encoding = unmarkedUTF16(bytes) {
            let name = encoding == .utf16LittleEndian ? "utf-16le" : "utf-16be"
            return String(data: bytes.prefix(bytes.count & ~1), encoding: encoding).map { ($0, name) }
        }
        if let text = decode(bytes) { return (text, "utf-8") }
        return decodeLegacy(bytes)
    }

    /// Windows-1252 (a superset of Latin-1's printable range) when the bytes look like Western
    /// text: few bytes above 0x7F. Mostly-high bytes are more likely Cyrillic or Greek code pages,
    /// where a Western reading would be gibberish, so those are refused.
    static func decodeLegacy(_ bytes: Data) -> (text: String, encoding: String)? {
        var high = 0
        var c1 = false
        for byte in bytes where byte >= 0x80 {
            high += 1
            if byte < 0xA0 { c1 = true }
        }
        guard high * 10 <= bytes.count * 3 else { return nil }
        return (windows1252(bytes), c1 ? "windows-1252" : "iso-8859-1")
    }

    /// Decodes by a declared charset name (e-mail, RTF); unknown names fall back to detection.
    static func decode(_ bytes: Data, charset: String?) -> String {
        switch charset?.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "\"' ")) {
        case "utf-8", "utf8", "us-ascii", "ascii":
            if let text = decode(bytes) { return text }
        case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "windows-1252", "cp1252", "iso-8859-15":
            return windows1252(bytes)
        case "utf-16": if let text = String(data: bytes, encoding: .utf16) { return text }
        case "utf-16le": if let text = String(data: bytes, encoding: .utf16LittleEndian) { return text }
        case "utf-16be": if let text = String(data: bytes, encoding: .utf16BigEndian) { return text }
        default: break
        }
        return decodeDetectingEncoding(bytes)?.text ?? String(decoding: bytes, as: UTF8.self)
    }

    /// Windows-1252: Latin-1 except 0x80–0x9F, where it has typographic quotes, dashes and €.
    static func windows1252(_ bytes: Data) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte >= 0x80 && byte < 0xA0, let mapped = Unicode.Scalar(cp1252High[Int(byte - 0x80)]) {
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

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

    /// UTF-16 without a BOM: in Western text every other byte is NUL. Binary data has NULs too,
    /// but not in one parity only, so both parities are checked on a bounded sample.
    static func unmarkedUTF16(_ bytes: Data) -> String.Encoding? {
        let sample = [UInt8](bytes.prefix(4096))
        guard sample.count >= 8 else { return nil }
        var zeroEven = 0
        var zeroOdd = 0
        for (index, byte) in sample.enumerated() where byte == 0 {
            if index % 2 == 0 { zeroEven += 1 } else { zeroOdd += 1 }
        }
        let half = sample.count / 2
        if zeroOdd * 10 >= half * 7, zeroEven * 50 <= half { return .utf16LittleEndian }
        if zeroEven * 10 >= half * 7, zeroOdd * 50 <= half { return .utf16BigEndian }
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
