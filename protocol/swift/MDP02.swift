public import Foundation

/// Majordomo Protocol 0.2 (ZeroMQ RFC 18/MDP), accepted alongside 0.1 on the same socket.
///
/// 0.2 replaces REPLY with zero or more PARTIAL followed by one FINAL. RFC 18's text also drops the
/// leading empty frame and gives client commands their own numbers (REQUEST 1, PARTIAL 2, FINAL 3);
/// widely used implementations (the `majortomo` package, for one) keep the empty frame, use the
/// worker numbers (REQUEST 2, PARTIAL 3, FINAL 4) for clients too, and send replies to clients without
/// the service frame. The broker accepts both and answers
/// each peer in the dialect it spoke — interoperating with real peers beats being right on paper.
extension MDP {
    /// Which generation (and, for 0.2, which dialect) of the protocol a peer speaks.
    public enum Version: Sendable, Equatable, Hashable {
        case v01
        /// MDP/0.2 as RFC 18 writes it: no empty delimiter frame.
        case v02
        /// MDP/0.2 with the empty delimiter frame and shared command numbers, as majortomo speaks it.
        case v02Delimited
    }

    public static let clientHeader02 = Data("MDPC02".utf8)
    public static let workerHeader02 = Data("MDPW02".utf8)

    /// RFC 18 command bytes.
    enum Client02: UInt8 { case request = 0x01, partial = 0x02, final = 0x03 }
    enum Worker02: UInt8 {
        case ready = 0x01, request = 0x02, partial = 0x03, final = 0x04, heartbeat = 0x05, disconnect = 0x06
    }

    /// Decodes a message of either generation as the broker receives it (identity frame removed).
    public static func decodeAnyAtBroker(_ frames: [Data]) throws(ProtocolError) -> (BrokerInbound, Version) {
        guard let first = frames.first else { throw .badFrame("empty message") }
        switch first {
        case clientHeader02: return (try decodeClient02(frames, request: Client02.request.rawValue), .v02)
        case workerHeader02: return (try decodeWorker02(frames), .v02)
        default:
            // The second frame is looked at where it is: copying the frames after the delimiter out first
            // allocated for every MDP/0.1 message, all of docpipe's own traffic.
            if first.isEmpty, frames.count >= 2 {
                if frames[1] == clientHeader02 {
                    return (
                        try decodeClient02(Array(frames.dropFirst()), request: Worker02.request.rawValue),
                        .v02Delimited
                    )
                }
                if frames[1] == workerHeader02 { return (try decodeWorker02(Array(frames.dropFirst())), .v02Delimited) }
            }
            return (try decodeAtBroker(frames), .v01)
        }
    }

    private static func decodeClient02(_ frames: [Data], request: UInt8) throws(ProtocolError) -> BrokerInbound {
        guard frames.count >= 3, frames[1] == Data([request]) else {
            throw .badFrame("MDPC02 message is not a REQUEST with a service frame")
        }
        guard let service = String(data: frames[2], encoding: .utf8), !service.isEmpty else {
            throw .badFrame("service name is empty or not UTF-8")
        }
        return .clientRequest(service: service, body: Array(frames.dropFirst(3)))
    }

    private static func decodeWorker02(_ frames: [Data]) throws(ProtocolError) -> BrokerInbound {
        guard frames.count >= 2, frames[1].count == 1, let command = Worker02(rawValue: frames[1][frames[1].startIndex])
        else { throw .badFrame("MDPW02 message without a known command byte") }
        switch command {
        case .ready:
            guard frames.count == 3, let service = String(data: frames[2], encoding: .utf8), !service.isEmpty else {
                throw .badFrame("READY needs exactly one non-empty UTF-8 service frame")
            }
            return .ready(service: service)
        case .partial, .final:
            guard frames.count >= 4, !frames[2].isEmpty, frames[3].isEmpty else {
                throw .badFrame("PARTIAL/FINAL needs client address, empty frame, body")
            }
            let body = Array(frames.dropFirst(4))
            return command == .final ? .reply(client: frames[2], body: body) : .partial(client: frames[2], body: body)
        case .heartbeat:
            guard frames.count == 2 else { throw .badFrame("HEARTBEAT takes no frames") }
            return .heartbeat
        case .disconnect:
            return .disconnect
        case .request:
            throw .badFrame("REQUEST is sent by the broker, never to it")
        }
    }

    // MARK: encoding in a peer's generation

    /// The frames before the command for a 0.2 dialect: the empty delimiter or nothing.
    private static func lead(_ version: Version) -> [Data] { version == .v02Delimited ? [Data()] : [] }

    public static func request(client: Data, body: [Data], version: Version) -> [Data] {
        guard version != .v01 else { return request(client: client, body: body) }
        return lead(version) + [workerHeader02, Data([Worker02.request.rawValue]), client, Data()] + body
    }

    public static func heartbeat(_ version: Version) -> [Data] {
        guard version != .v01 else { return heartbeat }
        return lead(version) + [workerHeader02, Data([Worker02.heartbeat.rawValue])]
    }

    public static func disconnect(_ version: Version) -> [Data] {
        guard version != .v01 else { return disconnect }
        return lead(version) + [workerHeader02, Data([Worker02.disconnect.rawValue])]
    }

    /// A reply to a client: for 0.1 a plain reply, for 0.2 a FINAL (or PARTIAL when `final` is false).
    public static func clientReply(service: String, body: [Data], version: Version, final: Bool = true) -> [Data] {
        let command: UInt8 =
            switch version {
            case .v01: 0
            case .v02: (final ? Client02.final : Client02.partial).rawValue
            case .v02Delimited: (final ? Worker02.final : Worker02.partial).rawValue
            }
        switch version {
        case .v01: return clientReply(service: service, body: body)
        case .v02: return [clientHeader02, Data([command]), Data(service.utf8)] + body
        case .v02Delimited: return [Data(), clientHeader02, Data([command])] + body
        }
    }

    public static func ready(service: String, version: Version) -> [Data] {
        guard version != .v01 else { return ready(service: service) }
        return lead(version) + [workerHeader02, Data([Worker02.ready.rawValue]), Data(service.utf8)]
    }

    public static func reply(client: Data, body: [Data], version: Version, final: Bool = true) -> [Data] {
        guard version != .v01 else { return reply(client: client, body: body) }
        let command = final ? Worker02.final : Worker02.partial
        return lead(version) + [workerHeader02, Data([command.rawValue]), client, Data()] + body
    }

    public static func clientRequest(service: String, body: [Data], version: Version) -> [Data] {
        let command = version == .v02Delimited ? Worker02.request.rawValue : Client02.request.rawValue
        guard version != .v01 else { return clientRequest(service: service, body: body) }
        return lead(version) + [clientHeader02, Data([command]), Data(service.utf8)] + body
    }
}
