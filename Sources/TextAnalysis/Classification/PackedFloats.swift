public import Foundation

// Model weights run to millions of numbers. As a JSON array of decimals they would be several
// times larger and slow to parse; as little-endian Float32 bytes (base64 in the JSON file) they
// load in one copy and round-trip exactly.

/// A `[Float]` that encodes as base64 little-endian Float32 bytes.
public struct PackedFloats: Codable, Sendable, Equatable {
    public var values: [Float]

    public init(_ values: [Float]) { self.values = values }

    public init(from decoder: any Decoder) throws {
        let data = try decoder.singleValueContainer().decode(Data.self)
        guard data.count % 4 == 0 else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "packed floats: \(data.count) bytes is not a multiple of 4"))
        }
        var result = [Float](repeating: 0, count: data.count / 4)
        data.withUnsafeBytes { raw in
            for index in result.indices {
                result[index] = Float(
                    bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        }
        values = result
    }

    public func encode(to encoder: any Encoder) throws {
        var data = Data(capacity: values.count * 4)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        var container = encoder.singleValueContainer()
        try container.encode(data)
    }
}
