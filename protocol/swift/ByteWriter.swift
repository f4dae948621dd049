public import Foundation

/// Writes a message into memory sized for it beforehand: the caller counts the bytes (`quotedLength`,
/// `Data.count`), allocates once, and writes each piece with one copy.
///
/// Why: the broker assembles a stage request for every stage of every document. Built in a growing
/// `[UInt8]` and then copied into `Data`, each one cost three allocations (the array, the `Data`, and a box
/// for the array captured by a nested helper) and an extra copy of the document.
struct ByteWriter {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        capacity = buffer.count
    }

    mutating func write(_ byte: UInt8) {
        precondition(count < capacity, "ByteWriter: more bytes than were counted")
        base[count] = byte
        count += 1
    }

    mutating func write(_ text: StaticString) {
        write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func write(_ bytes: Data) { bytes.withUnsafeBytes { write($0) } }

    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(count + bytes.count <= capacity, "ByteWriter: more bytes than were counted")
        (base + count).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count += bytes.count
    }

    /// Text whose bytes need no escaping (digits, a plain name).
    mutating func writeUTF8(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// `text` as a JSON string literal, `RawJSON.quotedLength(text)` bytes.
    mutating func writeQuoted(_ text: String) {
        if RawJSON.isPlain(text) {
            write(UInt8(ascii: "\""))
            writeUTF8(text)
            write(UInt8(ascii: "\""))
        } else {
            RawJSON.forEachQuotedByte(of: text) { write($0) }
        }
    }

    /// A `Data` of exactly `length` bytes filled by `fill`, which must write all of them.
    ///
    /// The memory is taken uninitialised and handed to the `Data` as it is: `Data(count:)` would first zero
    /// every byte that is about to be written.
    static func data(length: Int, _ fill: (inout ByteWriter) -> Void) -> Data {
        guard length > 0 else { return Data() }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 1)
        var writer = ByteWriter(UnsafeMutableRawBufferPointer(start: memory, count: length))
        fill(&writer)
        precondition(writer.count == length, "ByteWriter: wrote \(writer.count) of \(length) bytes counted")
        return Data(bytesNoCopy: memory, count: length, deallocator: .custom { pointer, _ in pointer.deallocate() })
    }
}
