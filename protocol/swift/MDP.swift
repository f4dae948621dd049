public import Foundation

/// Majordomo Protocol 0.1 (ZeroMQ RFC 7/MDP) framing: the envelope every docpipe message travels in.
///
/// Frame lists here exclude the peer identity that a ROUTER socket adds or strips; they start with
/// the empty delimiter frame, as RFC 7 specifies for both client and worker messages.
public enum MDP {
    public static let clientHeader = Data("MDPC01".utf8)
    public static let workerHeader = Data("MDPW01".utf8)

    /// Worker commands, one byte each (RFC 7 section "Worker Protocol").
    public enum Command: UInt8, Sendable, CaseIterable {
        case ready = 0x01
        case request = 0x02
        case reply = 0x03
        case heartbeat = 0x04
        case disconnect = 0x05
    }

    /// A message as the broker receives it from a client or worker.
    public enum BrokerInbound: Equatable, Sendable {
        case clientRequest(service: String, body: [Data])
        /// `identity` is docpipe's optional extra READY frame: a JSON `WorkerIdentity` (host, pid, version).
        case ready(service: String, identity: Data? = nil)
        case reply(client: Data, body: [Data])
        /// MDP/0.2 only: one of several replies to a request; a `reply` (FINAL) ends it.
        case partial(client: Data, body: [Data])
        case heartbeat
        case disconnect
    }

    /// A message as a worker receives it from the broker.
    public enum WorkerInbound: Equatable, Sendable {
        case request(client: Data, body: [Data])
        case heartbeat
        case disconnect
    }

    /// A reply as a client receives it from the broker.
    public struct ClientReply: Equatable, Sendable {
        public var service: String
        public var body: [Data]
    }

    // MARK: decoding

    public static func decodeAtBroker(_ frames: [Data]) throws(ProtocolError) -> BrokerInbound {
        guard frames.count >= 2 else { throw .badFrame("expected at least 2 frames, got \(frames.count)") }
        guard frames[0].isEmpty else { throw .badFrame("first frame must be empty (MDP delimiter)") }
        switch frames[1] {
        case clientHeader:
            guard frames.count >= 3 else { throw .badFrame("client request without a service frame") }
            guard let service = String(data: frames[2], encoding: .utf8), !service.isEmpty else {
                throw .badFrame("service name is empty or not UTF-8")
            }
            return .clientRequest(service: service, body: Array(frames.dropFirst(3)))
        case workerHeader:
            guard frames.count >= 3, frames[2].count == 1 else {
                throw .badFrame("worker message without a command byte")
            }
            guard let command = Command(rawValue: frames[2][frames[2].startIndex]) else {
                throw .badFrame("unknown worker command 0x\(String(frames[2][frames[2].startIndex], radix: 16))")
            }
            switch command {
            case .ready:
                guard (4...5).contains(frames.count), let service = String(data: frames[3], encoding: .utf8),
                    !service.isEmpty
                else {
                    throw .badFrame("READY needs one non-empty UTF-8 service frame (and optionally an identity frame)")
                }
                return .ready(service: service, identity: frames.count == 5 ? frames[4] : nil)
            case .reply:
                guard frames.count >= 5, !frames[3].isEmpty, frames[4].isEmpty else {
                    throw .badFrame("REPLY needs client address, empty frame, body")
                }
                return .reply(client: frames[3], body: Array(frames.dropFirst(5)))
            case .heartbeat:
                guard frames.count == 3 else { throw .badFrame("HEARTBEAT takes no frames") }
                return .heartbeat
            case .disconnect:
                return .disconnect
            case .request:
                throw .badFrame("REQUEST is sent by the broker, never to it")
            }
        default:
            throw .badFrame("unknown protocol header '\(printable(frames[1]))'; expected MDPC01 or MDPW01")
        }
    }

    public static func decodeAtWorker(_ frames: [Data]) throws(ProtocolError) -> WorkerInbound {
        guard frames.count >= 3, frames[0].isEmpty, frames[1] == workerHeader, frames[2].count == 1 else {
            throw .badFrame("not an MDP/0.1 worker message")
        }
        switch Command(rawValue: frames[2][frames[2].startIndex]) {
        case .request:
            guard frames.count >= 5, frames[4].isEmpty else {
                throw .badFrame("REQUEST needs client address, empty frame")
            }
            return .request(client: frames[3], body: Array(frames.dropFirst(5)))
        case .heartbeat: return .heartbeat
        case .disconnect: return .disconnect
        default: throw .badFrame("unexpected command for a worker")
        }
    }

    /// Decodes a reply at a client. Accepts the leading empty frame or not (REQ sockets strip it).
    public static func decodeAtClient(_ frames: [Data]) throws(ProtocolError) -> ClientReply {
        let rest = frames.first?.isEmpty == true ? Array(frames.dropFirst()) : frames
        guard rest.count >= 2, rest[0] == clientHeader, let service = String(data: rest[1], encoding: .utf8) else {
            throw .badFrame("not an MDP/0.1 client reply")
        }
        return ClientReply(service: service, body: Array(rest.dropFirst(2)))
    }

    // MARK: encoding

    public static func clientRequest(service: String, body: [Data]) -> [Data] {
        [Data(), clientHeader, Data(service.utf8)] + body
    }

    public static func clientReply(service: String, body: [Data]) -> [Data] {
        framed(Data(), clientHeader, Data(service.utf8), body: body)
    }

    public static func ready(service: String) -> [Data] {
        [Data(), workerHeader, Data([Command.ready.rawValue]), Data(service.utf8)]
    }

    /// READY with docpipe's identity frame, so operators see host, pid and version in `docpipe workers`.
    public static func ready(service: String, identity: WorkerIdentity) -> [Data] {
        ready(service: service) + [(try? WireJSON.encode(identity)) ?? Data()]
    }

    public static func request(client: Data, body: [Data]) -> [Data] {
        framed(Data(), workerHeader, commandFrames.request, client, Data(), body: body)
    }

    public static func reply(client: Data, body: [Data]) -> [Data] {
        framed(Data(), workerHeader, commandFrames.reply, client, Data(), body: body)
    }

    /// The one-byte command frames, made once.
    static let commandFrames = (request: Data([Command.request.rawValue]), reply: Data([Command.reply.rawValue]))

    /// Envelope frames (three, or five for a worker's REQUEST and REPLY) and then the body, in one array
    /// allocated at its final size. The broker frames every dispatch and client reply this way; `[envelope…]
    /// + body` allocated the literal and then the sum (the pipeline profile of 2026-12-05 counted 179
    /// allocations per document on the broker's loop thread).
    static func framed(
        _ first: Data, _ second: Data, _ third: Data, _ fourth: Data? = nil, _ fifth: Data? = nil, body: [Data]
    ) -> [Data] {
        var frames: [Data] = []
        frames.reserveCapacity(5 + body.count)
        frames.append(first)
        frames.append(second)
        frames.append(third)
        if let fourth { frames.append(fourth) }
        if let fifth { frames.append(fifth) }
        frames.append(contentsOf: body)
        return frames
    }

    public static let heartbeat: [Data] = [Data(), workerHeader, Data([Command.heartbeat.rawValue])]
    public static let disconnect: [Data] = [Data(), workerHeader, Data([Command.disconnect.rawValue])]

    /// A short, log-safe rendering of a frame that may hold anything.
    public static func printable(_ frame: Data) -> String {
        let prefix = frame.prefix(16)
        if let text = String(data: prefix, encoding: .utf8),
            text.allSatisfy({ !$0.isASCII || $0.isLetter || $0.isNumber || $0.isPunctuation })
        {
            return text + (frame.count > 16 ? "…" : "")
        }
        return prefix.map { String(format: "%02x", $0) }.joined() + (frame.count > 16 ? "…" : "")
    }
}

/// MMI (ZeroMQ RFC 8) and docpipe's reserved service names.
public enum ServiceName {
    public static let mmiService = "mmi.service"
    public static let submit = "docpipe.submit"
    public static let job = "docpipe.job"
    public static let status = "docpipe.status"
    public static let deadLetters = "docpipe.dlq"
    public static let reload = "docpipe.reload"
    public static let workers = "docpipe.workers"
    public static let jobs = "docpipe.jobs"

    /// Names no worker may register: the broker answers these itself.
    public static func isReserved(_ name: String) -> Bool {
        name.hasPrefix("mmi.") || name.hasPrefix("docpipe.")
    }
}
