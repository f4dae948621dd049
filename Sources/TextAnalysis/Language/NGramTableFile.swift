public import Foundation

// The binary n-gram table written by tools/langid_ngrams.py from lingua's models (`make models`;
// generated, never committed). The layout is described at the top of that script; this reads it
// in place from a read-only mapping. Like the profile file, it is found by the programs (next to
// the executables, or where DOCPIPE_LANGID_NGRAMS says) and handed in: this module looks for nothing.

/// The 1- to 5-gram table that `BackoffNGramModel` scores with.
///
/// `@unchecked Sendable`: everything is immutable after `init`; the buffers point into the read-only
/// mapping, which the instance keeps alive (`file`) for as long as they can be read.
public final class NGramTableFile: @unchecked Sendable {
    public static let currentFormat = "docpipe-langid-ngrams/1"
    /// The name `make models` gives the file.
    public static let fileName = "langid-ngrams.bin"
    /// The variable the programs read for another location of the file (this module reads no environment).
    public static let environmentVariable = "DOCPIPE_LANGID_NGRAMS"

    struct Header: Decodable {
        struct Language: Decodable {
            var code: String
            var script: String
        }
        struct Script: Decodable {
            var name: String
            var ranges: [[UInt32]]
        }
        var format: String
        var source: String
        var languages: [Language]
        var scripts: [Script]
        var scale: Double
    }

    let header: Header
    private let file: MappedFile
    private let bucketMask: UInt64
    private let buckets: UnsafeBufferPointer<UInt32>
    private let checks: UnsafeBufferPointer<UInt32>
    private let postingStarts: UnsafeBufferPointer<UInt32>
    private let postingLanguages: UnsafeBufferPointer<UInt8>
    private let postingCosts: UnsafeBufferPointer<UInt8>

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Maps the table at `url`; any failure says which file it was and what is wrong with it.
    public init(contentsOf url: URL) throws(Invalid) {
        let path = url.path
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            throw Invalid("cannot use the language n-gram table: \(error.description)")
        }
        let bytes = file.bytes
        func invalid(_ problem: String) -> Invalid { Invalid("\(path) is not a usable n-gram table: \(problem)") }
        guard bytes.count >= 12, Array(bytes[0..<8]) == Array("DPNGRAM1".utf8) else { throw invalid("no magic") }
        let headerLength = Int(bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian)
        guard 12 + headerLength <= bytes.count else { throw invalid("truncated header") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[12..<(12 + headerLength)]))
        } catch {
            throw invalid("unreadable header (\(error))")
        }
        guard header.format == Self.currentFormat else {
            throw invalid("format \(header.format); expected \(Self.currentFormat) (run `make models`)")
        }
        var offset = (12 + headerLength + 7) / 8 * 8
        func word(_ index: Int) -> Int {
            Int(bytes.loadUnaligned(fromByteOffset: offset + 4 * index, as: UInt32.self).littleEndian)
        }
        guard offset + 16 <= bytes.count else { throw invalid("truncated counts") }
        let (bucketBits, keyCount, postingCount) = (word(0), word(1), word(2))
        offset += 16
        let bucketCount = (1 << bucketBits) + 1
        let needed = offset + 4 * (bucketCount + keyCount + keyCount + 1) + 2 * postingCount
        guard bucketBits < 32, needed == bytes.count else {
            throw invalid("size \(bytes.count) bytes, but its counts need \(needed)")
        }
        // The sections are 4-byte aligned by construction (the header is padded to 8), so they can be
        // read as typed buffers in place. Little-endian hosts only, which is every host Swift on Linux runs on.
        func section<T>(_ type: T.Type, count: Int) -> UnsafeBufferPointer<T> {
            let start = bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: type)
            offset += MemoryLayout<T>.stride * count
            return UnsafeBufferPointer(start: start, count: count)
        }
        self.header = header
        self.file = file
        bucketMask = UInt64(1 << bucketBits) - 1
        buckets = section(UInt32.self, count: bucketCount)
        checks = section(UInt32.self, count: keyCount)
        postingStarts = section(UInt32.self, count: keyCount + 1)
        postingLanguages = section(UInt8.self, count: postingCount)
        postingCosts = section(UInt8.self, count: postingCount)
        guard buckets.last.map(Int.init) == keyCount, postingStarts.last.map(Int.init) == postingCount,
            postingLanguages.allSatisfy({ Int($0) < header.languages.count })
        else { throw invalid("inconsistent index") }
    }

    /// The postings (language index, cost) of the n-gram with this hash; empty when no language has it.
    @inline(__always)
    func postings(hash: UInt64) -> Range<Int> {
        let bucket = Int(truncatingIfNeeded: hash & bucketMask)
        let check = UInt32(truncatingIfNeeded: hash >> 32)
        var index = Int(buckets[bucket])
        let end = Int(buckets[bucket + 1])
        while index < end {
            if checks[index] == check { return Int(postingStarts[index])..<Int(postingStarts[index + 1]) }
            index += 1
        }
        return 0..<0
    }

    @inline(__always) func language(at posting: Int) -> Int { Int(postingLanguages[posting]) }
    @inline(__always) func cost(at posting: Int) -> UInt8 { postingCosts[posting] }
}

/// The hash the table is keyed by: FNV-1a over Unicode scalar values, one step per scalar, then a
/// 64-bit finaliser so that the low bits (the bucket) depend on every scalar. tools/langid_ngrams.py
/// computes the same.
struct NGramHash {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always)
    mutating func add(_ scalar: UInt32) {
        value = (value ^ UInt64(scalar)) &* 0x100_0000_01B3
    }

    @inline(__always)
    var finished: UInt64 {
        var mixed = value ^ (value >> 29)
        mixed = mixed &* 0xBF58_476D_1CE4_E5B9
        return mixed ^ (mixed >> 32)
    }
}
