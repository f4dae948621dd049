import Foundation

/// Little-endian, length-prefixed fields for journal records.
///
/// Bytes go into one `[UInt8]` that a whole batch of records shares: appending to `Data` field by field
/// went through its representation switch on every call, and the journal writer spent a tenth of the
/// broker's CPU there (perf, `make bench` pipeline phase). Lengths that are known only afterwards (a
/// record's, an attempt's) are written as placeholders and patched (`lengthPrefixed`).
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }
    var isEmpty: Bool { bytes.isEmpty }
    var capacity: Int { bytes.capacity }

    /// Empties the buffer and keeps its memory for the next batch.
    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// Little-endian, appended in one piece: a byte at a time, each append checked the array's capacity and
    /// uniqueness (those checks were a few per cent of the journal writer's time in the pipeline profile).
    mutating func uint32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func int(_ value: Int) { uint64(UInt64(bitPattern: Int64(value))) }

    mutating func double(_ value: Double) { uint64(value.bitPattern) }

    private mutating func uint64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Overwrites four bytes at `offset` (a placeholder written earlier) with `value`.
    mutating func patch(_ value: UInt32, at offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    /// Bytes as they are, no length: a record framed earlier.
    mutating func raw(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    mutating func bytes(_ value: Data) {
        uint32(UInt32(value.count))
        value.withUnsafeBytes { bytes.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { buffer in
            uint32(UInt32(buffer.count))
            bytes.append(contentsOf: buffer)
        }
    }

    /// A length-prefixed field whose content `body` writes: the same bytes as `bytes(_:)` of that content.
    mutating func lengthPrefixed(_ body: (inout BinaryWriter) -> Void) {
        let start = bytes.count
        uint32(0)
        body(&self)
        patch(UInt32(bytes.count - start - 4), at: start)
    }

    mutating func optionalBytes(_ value: Data?) {
        guard let value else { return byte(0) }
        byte(1)
        bytes(value)
    }

    mutating func optionalString(_ value: String?) {
        guard let value else { return byte(0) }
        byte(1)
        string(value)
    }

    mutating func optionalDouble(_ value: Double?) {
        guard let value else { return byte(0) }
        byte(1)
        double(value)
    }
}

/// Reads what `BinaryWriter` wrote. Every read returns nil when the bytes run out or make no sense;
/// optional fields return `.some(nil)` for an absent value and nil for malformed input.
struct BinaryReader {
    private let data: Data
    private var offset: Int

    init(_ data: Data) {
        self.data = data
        self.offset = data.startIndex
    }

    private mutating func take(_ count: Int) -> Data? {
        guard count >= 0, data.endIndex - offset >= count else { return nil }
        defer { offset += count }
        return data[offset..<(offset + count)]
    }

    private mutating func fixed<T: FixedWidthInteger>(_: T.Type) -> T? {
        guard let bytes = take(MemoryLayout<T>.size) else { return nil }
        var value: T = 0
        for (index, byte) in bytes.enumerated() { value |= T(byte) << (8 * index) }
        return value
    }

    mutating func byte() -> UInt8? { fixed(UInt8.self) }
    mutating func uint32() -> UInt32? { fixed(UInt32.self) }
    mutating func int() -> Int? { fixed(UInt64.self).map { Int(Int64(bitPattern: $0)) } }
    mutating func double() -> Double? { fixed(UInt64.self).map { Double(bitPattern: $0) } }

    mutating func bytes() -> Data? {
        guard let count = uint32() else { return nil }
        return take(Int(count)).map { Data($0) }
    }

    mutating func string() -> String? {
        guard let count = uint32(), let bytes = take(Int(count)) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func optionalBytes() -> Data?? { optional { $0.bytes() } }
    mutating func optionalString() -> String?? { optional { $0.string() } }
    mutating func optionalDouble() -> Double?? { optional { $0.double() } }

    private mutating func optional<T>(_ read: (inout BinaryReader) -> T?) -> T?? {
        switch byte() {
        case 0: return .some(nil)
        case 1: return read(&self).map { .some($0) } ?? nil
        default: return nil
        }
    }
}

/// CRC-32 (the IEEE polynomial, reflected, as in zlib and PNG), to tell a whole record from a torn one.
///
/// Eight bytes a step (slicing-by-8: eight 256-entry tables, the k-th giving a byte's CRC followed by k
/// zero bytes). The byte-at-a-time loop it replaced was a tenth of the journal writer's time in the
/// pipeline profile, every document's bytes going through it once. Same checksums, so logs written before
/// read back unchanged.
enum CRC32 {
    private static let polynomial: UInt32 = 0xEDB8_8320

    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 { value = value & 1 == 1 ? polynomial ^ (value >> 1) : value >> 1 }
            tables[index] = value
        }
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(slice - 1) * 256 + index]
                tables[slice * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    static func checksum(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { checksum($0.assumingMemoryBound(to: UInt8.self)) }
    }

    static func checksum(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        let raw = UnsafeRawBufferPointer(bytes)
        tables.withUnsafeBufferPointer { table in
            var offset = 0
            while raw.count - offset >= 8 {
                let loaded = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let word = UInt64(littleEndian: loaded) ^ UInt64(crc)
                crc =
                    table[7 * 256 + Int(word & 0xFF)] ^ table[6 * 256 + Int((word >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((word >> 16) & 0xFF)] ^ table[4 * 256 + Int((word >> 24) & 0xFF)]
                    ^ table[3 * 256 + Int((word >> 32) & 0xFF)] ^ table[2 * 256 + Int((word >> 40) & 0xFF)]
                    ^ table[256 + Int((word >> 48) & 0xFF)] ^ table[Int(word >> 56)]
                offset += 8
            }
            while offset < raw.count {
                crc = table[Int((crc ^ UInt32(raw[offset])) & 0xFF)] ^ (crc >> 8)
                offset += 1
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
