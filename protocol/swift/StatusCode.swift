/// Status codes carried in every reply body, in bands like ZeroMQ RFC 9/TSP and Malamute:
/// 2xx success, 3xx pending or temporary, 4xx the caller's fault, 5xx the server's fault.
public struct StatusCode: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    // The named codes (`.ok`, `.busy`, ...) and `documentedReasons` are generated from
    // protocol/status_codes.json into StatusCode+Generated.swift (`make protocol`).

    public var isSuccess: Bool { (200..<300).contains(rawValue) }
    public var isCallerFault: Bool { (400..<500).contains(rawValue) }
    public var description: String { String(rawValue) }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
