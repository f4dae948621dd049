public import Foundation

/// Writes a message into memory sized for it beforehand, so the message is one allocation and each piece one
/// copy: `ByteWriter.data { … }` runs its writing code twice, first only counting the bytes, then writing them
/// into memory of exactly that size. The count is never written by hand, so it cannot drift from the writing.
///
/// Why: the broker assembles a stage request for every stage of every document. Built in a growing
/// `[UInt8]` and then copied into `Data`, each one cost three allocations (the array, the `Data`, and a box
/// for the array captured by a nested helper) and an extra copy of the document; and a `Data` grown by
/// appends may keep spare capacity for as long as it lives (a queued document kept about 1 KB).
struct ByteWriter {
    /// Where the bytes go; nil on the counting pass.
    private let base: UnsafeMutablePointer<UInt8>?
    private let capacity: Int
    private(set) var count = 0

    private init(base: UnsafeMutablePointer<UInt8>?, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    mutating func write(_ byte: UInt8) {
        if let base {
            precondition(count < capacity, "ByteWriter: more bytes than were counted")
            base[count] = byte
        }
        count += 1
    }

    mutating func write(_ text: StaticString) {
        write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func write(_ bytes: Data) { bytes.withUnsafeBytes { write($0) } }

    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        if let base, let source = bytes.baseAddress, !bytes.isEmpty {
            precondition(count + bytes.count <= capacity, "ByteWriter: more bytes than were counted")
            (base + count).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        }
        count += bytes.count
    }

    /// Text whose bytes need no escaping (digits, a plain name).
    mutating func writeUTF8(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// `text` as a JSON string literal, escapes as `RawJSON.forEachQuotedByte` makes them.
    mutating func writeQuoted(_ text: String) {
        if RawJSON.isPlain(text) {
            write(UInt8(ascii: "\""))
            writeUTF8(text)
            write(UInt8(ascii: "\""))
        } else {
            RawJSON.forEachQuotedByte(of: text) { write($0) }
        }
    }

    /// The bytes `write` writes, in a `Data` of exactly their size. `write` runs twice and must write the same
    /// bytes both times (it is given a counter first).
    ///
    /// The memory is handed to the `Data` uninitialised: `Data(count:)` would first zero every byte.
    static func data(_ write: (inout ByteWriter) -> Void) -> Data {
        var counter = ByteWriter(base: nil, capacity: 0)
        write(&counter)
        let length = counter.count
        guard length > 0 else { return Data() }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 1)
        var writer = ByteWriter(base: memory.assumingMemoryBound(to: UInt8.self), capacity: length)
        write(&writer)
        precondition(writer.count == length, "ByteWriter: wrote \(writer.count) of \(length) bytes counted")
        return Data(bytesNoCopy: memory, count: length, deallocator: .custom { pointer, _ in pointer.deallocate() })
    }
}
