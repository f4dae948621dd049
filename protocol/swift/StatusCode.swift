/// Status codes carried in every reply body, in bands like ZeroMQ RFC 9/TSP and Malamute:
/// 2xx success, 3xx pending or temporary, 4xx the caller's fault, 5xx the server's fault.
public struct StatusCode: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    public static let ok = StatusCode(200)
    public static let accepted = StatusCode(202)
    public static let pending = StatusCode(300)
    public static let badRequest = StatusCode(400)
    public static let notFound = StatusCode(404)
    public static let tooLarge = StatusCode(413)
    public static let unprocessable = StatusCode(422)
    public static let internalError = StatusCode(500)
    public static let notImplemented = StatusCode(501)
    public static let busy = StatusCode(503)

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
