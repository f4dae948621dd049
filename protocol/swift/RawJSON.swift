public import Foundation

/// JSON handled as bytes: one validating pass over a message that yields its top-level members as byte
/// ranges, and the few string/number conversions the broker needs to route with them.
///
/// Why not `JSONDecoder`: the broker forwards stage outputs and documents it never looks inside. Building
/// a tree for them and encoding it again at every stage cost more than everything else the broker does
/// per document (and grew with the number of stages). The scanner checks the whole value is valid JSON
/// (RFC 8259: strict numbers, escapes, no trailing data, bounded nesting) so nothing malformed is ever
/// forwarded, but allocates only for the member list.
public enum RawJSON {
    /// A top-level member of an object: its (unescaped) key and the byte range of its value.
    public struct Member: Sendable {
        public var key: String
        public var value: Range<Int>
    }

    /// Nesting deeper than this is refused (a stack bound against hostile input).
    public static let maxDepth = 128

    /// Validates `data` as one JSON object and returns its members in order. Duplicate keys are refused.
    public static func objectMembers(_ data: Data) throws(ProtocolError) -> [Member] {
        let result = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<[Member], ProtocolError> in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return Result { () throws(ProtocolError) -> [Member] in try scanner.topLevelObject() }
        }
        return try result.get()
    }

    /// Validates `data` as one JSON array and returns the byte range of each element, in order.
    public static func arrayElements(_ data: Data) throws(ProtocolError) -> [Range<Int>] {
        let result = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<[Range<Int>], ProtocolError> in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return Result { () throws(ProtocolError) -> [Range<Int>] in try scanner.topLevelArray() }
        }
        return try result.get()
    }

    /// The string a JSON string literal (quotes included) stands for; nil when it is not a string.
    ///
    /// Escapes are undone here rather than by JSONDecoder: a document's text nearly always has some (every
    /// line break is `\\n`), and handing those to JSONDecoder was the costliest step of reading a submit.
    public static func string(_ literal: Data) -> String? {
        literal.withUnsafeBytes { raw -> String? in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\""), bytes[bytes.count - 1] == UInt8(ascii: "\"")
            else { return nil }
            let inner = UnsafeBufferPointer(rebasing: bytes[1..<(bytes.count - 1)])
            guard let firstEscape = find(UInt8(ascii: "\\"), in: inner, from: 0) else {
                return find(UInt8(ascii: "\""), in: inner, from: 0) != nil
                    ? nil : String(decoding: inner, as: UTF8.self)
            }
            return unescape(inner, from: firstEscape)
        }
    }

    /// Where `byte` first occurs in `bytes` at or after `start` (memchr: documents run to megabytes, and a
    /// debug build's byte loop over them was slow enough to time out a test's submit).
    private static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, start < bytes.count,
            let found = memchr(base + start, Int32(byte), bytes.count - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The text of a string literal's inside that has its first backslash at `firstEscape`; nil for a bad
    /// escape, a lone surrogate or a bare quote.
    private static func unescape(_ inner: UnsafeBufferPointer<UInt8>, from firstEscape: Int) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(inner.count)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: inner[..<firstEscape]))
        var index = firstEscape
        func hex4(at start: Int) -> UInt32? {
            guard start + 4 <= inner.count else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                guard let digit = Hex.value(inner[start + offset]) else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < inner.count {
            if inner[index] != UInt8(ascii: "\\") {
                // The run up to the next escape, copied at once.
                let end = find(UInt8(ascii: "\\"), in: inner, from: index) ?? inner.count
                let run = UnsafeBufferPointer(rebasing: inner[index..<end])
                if find(UInt8(ascii: "\""), in: run, from: 0) != nil { return nil }
                out.append(contentsOf: run)
                index = end
                continue
            }
            guard index + 1 < inner.count else { return nil }
            index += 2
            switch inner[index - 1] {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var code = hex4(at: index) else { return nil }
                index += 4
                if (0xD800..<0xDC00).contains(code) {
                    // A high surrogate must be followed by an escaped low one; together they are one scalar.
                    guard index + 1 < inner.count, inner[index] == UInt8(ascii: "\\"),
                        inner[index + 1] == UInt8(ascii: "u"), let low = hex4(at: index + 2),
                        (0xDC00..<0xE000).contains(low)
                    else { return nil }
                    index += 6
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                out.append(contentsOf: String(Character(scalar)).utf8)
            default:
                return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` goes into a JSON string literal as it is (no `"`, `\` or control characters).
    static func isPlain(_ text: String) -> Bool {
        !text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }

    /// Every byte of `text` as a JSON string literal, quotes and escapes included, in order: the one place
    /// the escaping rules are written down (`ByteWriter.writeQuoted` uses it).
    static func forEachQuotedByte(of text: String, _ body: (UInt8) -> Void) {
        body(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                body(0x5C)
                body(byte)
            case 0x0A:
                body(0x5C)
                body(UInt8(ascii: "n"))
            case 0x0D:
                body(0x5C)
                body(UInt8(ascii: "r"))
            case 0x09:
                body(0x5C)
                body(UInt8(ascii: "t"))
            case 0..<0x20:
                for escape in "\\u00".utf8 { body(escape) }
                body(Hex.digit(byte >> 4))
                body(Hex.digit(byte & 0xF))
            default: body(byte)
            }
        }
        body(UInt8(ascii: "\""))
    }

    // MARK: the scanner

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func fail(_ what: String) -> ProtocolError { .badBody("body is not valid JSON: \(what) at byte \(position)") }

        mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func topLevelObject() throws(ProtocolError) -> [Member] {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
                throw fail("expected an object")
            }
            position += 1
            var members: [Member] = []
            // Room for a message's members up front: growing 1, 2, 4, 8 was four allocations per message read,
            // a quarter of all the broker's allocations per document (StageResult has 6–7 members).
            members.reserveCapacity(8)
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
            } else {
                while true {
                    skipSpace()
                    let keyStart = position
                    try string()
                    let key = try decodeKey(keyStart..<position)
                    if members.contains(where: { $0.key == key }) { throw fail("duplicate key '\(key)'") }
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    skipSpace()
                    let valueStart = position
                    try value(depth: 1)
                    members.append(Member(key: key, value: valueStart..<position))
                    skipSpace()
                    if try endOfContainer(UInt8(ascii: "}")) { break }
                }
            }
            skipSpace()
            guard position == bytes.count else { throw fail("trailing data") }
            return members
        }

        mutating func topLevelArray() throws(ProtocolError) -> [Range<Int>] {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else {
                throw fail("expected an array")
            }
            position += 1
            var elements: [Range<Int>] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
            } else {
                while true {
                    skipSpace()
                    let start = position
                    try value(depth: 1)
                    elements.append(start..<position)
                    skipSpace()
                    if try endOfContainer(UInt8(ascii: "]")) { break }
                }
            }
            skipSpace()
            guard position == bytes.count else { throw fail("trailing data") }
            return elements
        }

        private func decodeKey(_ range: Range<Int>) throws(ProtocolError) -> String {
            let inner = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
            if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
            guard let key = RawJSON.string(Data(bytes[range])) else { throw fail("bad key") }
            return key
        }

        private mutating func expect(_ byte: UInt8) throws(ProtocolError) {
            guard position < bytes.count, bytes[position] == byte else {
                throw fail("expected '\(Character(Unicode.Scalar(byte)))'")
            }
            position += 1
        }

        /// After a member or element: true at the container's end, false after a comma.
        private mutating func endOfContainer(_ closing: UInt8) throws(ProtocolError) -> Bool {
            guard position < bytes.count else { throw fail("unexpected end") }
            if bytes[position] == closing {
                position += 1
                return true
            }
            guard bytes[position] == UInt8(ascii: ",") else { throw fail("expected ',' or end of container") }
            position += 1
            return false
        }

        mutating func value(depth: Int) throws(ProtocolError) {
            guard depth <= RawJSON.maxDepth else { throw fail("nested too deep") }
            guard position < bytes.count else { throw fail("unexpected end") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return
                }
                while true {
                    skipSpace()
                    try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    if try endOfContainer(UInt8(ascii: "}")) { return }
                }
            case UInt8(ascii: "["):
                position += 1
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return
                }
                while true {
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    if try endOfContainer(UInt8(ascii: "]")) { return }
                }
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
        }

        private mutating func literal(_ word: String) throws(ProtocolError) {
            for byte in word.utf8 {
                guard position < bytes.count, bytes[position] == byte else { throw fail("bad literal") }
                position += 1
            }
        }

        private mutating func string() throws(ProtocolError) {
            try expect(UInt8(ascii: "\""))
            while position < bytes.count {
                skipPlainASCII()
                guard position < bytes.count else { break }
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return
                case UInt8(ascii: "\\"):
                    position += 1
                    guard position < bytes.count else { throw fail("unexpected end in string") }
                    switch bytes[position] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        position += 1
                    case UInt8(ascii: "u"):
                        guard position + 4 < bytes.count else { throw fail("short \\u escape") }
                        for offset in 1...4 where Hex.value(bytes[position + offset]) == nil {
                            throw fail("bad \\u escape")
                        }
                        position += 5
                    default: throw fail("bad escape")
                    }
                case 0..<0x20:
                    throw fail("control character in string")
                case 0..<0x80:
                    position += 1
                default:
                    try utf8Sequence()
                }
            }
            throw fail("unterminated string")
        }

        /// Skips eight bytes at a time while none of them needs a look: no quote, no backslash, no control
        /// character, nothing outside ASCII. Every submitted document's text goes through `string()` once;
        /// byte by byte it was the broker's largest single function in the pipeline profile after the
        /// allocator. (Each test is the usual "has a zero byte" trick on the word XOR-ed with the byte.)
        private mutating func skipPlainASCII() {
            guard let base = bytes.baseAddress else { return }
            let ones: UInt64 = 0x0101_0101_0101_0101
            let high: UInt64 = 0x8080_8080_8080_8080
            func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & high != 0 }
            while bytes.count - position >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                // With every byte below 0x80, subtracting 0x20 from each sets a top bit only under a byte < 0x20.
                guard word & high == 0, (word &- 0x20 &* ones) & high == 0,
                    !hasZeroByte(word ^ (0x22 &* ones)), !hasZeroByte(word ^ (0x5C &* ones))
                else { return }
                position += 8
            }
        }

        /// A multi-byte UTF-8 sequence (strict: no overlongs, no surrogates, at most U+10FFFF).
        private mutating func utf8Sequence() throws(ProtocolError) {
            let lead = bytes[position]
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: throw fail("invalid UTF-8")
            }
            guard position + length <= bytes.count else { throw fail("truncated UTF-8") }
            let second = bytes[position + 1]
            guard second >= low, second <= high else { throw fail("invalid UTF-8") }
            if length > 2 {
                for offset in 2..<length where bytes[position + offset] & 0xC0 != 0x80 { throw fail("invalid UTF-8") }
            }
            position += length
        }

        private mutating func number() throws(ProtocolError) {
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("unexpected character") }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
            } else {
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { throw fail("bad number") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
                {
                    position += 1
                }
                guard position < bytes.count, isDigit(bytes[position]) else { throw fail("bad number") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
        }

        private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }
}

/// Lowercase hexadecimal without `String(format:)` (which is slow enough to show in a per-message profile).
public enum Hex {
    static let digits = Array("0123456789abcdef".utf8)

    @inline(__always) static func digit(_ nibble: UInt8) -> UInt8 { digits[Int(nibble)] }

    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `prefix` and then the bytes as lowercase hex, written straight into the string's storage: one
    /// allocation (the broker names every submitted document this way; a growing byte array, a string made
    /// from it and the prefix added to that were seven).
    public static func string(_ bytes: some Collection<UInt8>, prefix: StaticString = "") -> String {
        let lead = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        return String(unsafeUninitializedCapacity: lead.count + bytes.count * 2) { out in
            var index = 0
            for byte in lead {
                out[index] = byte
                index += 1
            }
            for byte in bytes {
                out[index] = digits[Int(byte >> 4)]
                out[index + 1] = digits[Int(byte & 0xF)]
                index += 2
            }
            return index
        }
    }
}
