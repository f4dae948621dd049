public import DocProtocol
public import Foundation
public import ZeroMQ

/// A Majordomo (MDP/0.1) client: send a request to a service through the broker, wait for the reply.
///
/// Uses a DEALER socket so it can time out; after a timeout the socket is replaced (the "lazy pirate"
/// pattern), so a late reply to an abandoned request can never be read as the answer to the next one.
/// Not thread-safe: one client per thread.
public final class MDPClient {
    public let endpoint: String
    /// CURVE keys for a broker that requires them; nil talks plaintext.
    public let curve: CurveClientKeys?
    private let context: Context
    private var socket: Socket

    public init(broker endpoint: String, context: Context = Context(), curve: CurveClientKeys? = nil) throws(ZMQError) {
        self.endpoint = endpoint
        self.curve = curve
        self.context = context
        self.socket = try Self.connect(context, endpoint, curve: curve)
    }

    deinit { socket.close() }

    private static func connect(_ context: Context, _ endpoint: String, curve: CurveClientKeys?) throws(ZMQError)
        -> Socket
    {
        let socket = try Socket(context, .dealer)
        try socket.setLinger(milliseconds: 0)
        // CURVE options must be in place before connect: the handshake starts with the connection.
        try curve?.apply(to: socket)
        try socket.connect(endpoint)
        return socket
    }

    /// Sends one request and returns the reply's body frames, or throws `ClientError.timeout`.
    /// `giveUpWhen`, if given, is asked about every 50 ms while waiting (an interactive command reads its
    /// keyboard there); when it says yes, the request is abandoned as if it had timed out.
    public func request(service: String, body: [Data], timeoutMs: Int, giveUpWhen: (() -> Bool)? = nil) throws
        -> [Data]
    {
        try send(service: service, body: body)
        return try receive(service: service, timeoutMs: timeoutMs, giveUpWhen: giveUpWhen)
    }

    /// Sends without waiting; pair with `receive`. Replies come back in the order the broker produces them.
    public func send(service: String, body: [Data]) throws {
        guard try socket.send(MDP.clientRequest(service: service, body: body.isEmpty ? [Data()] : body),
                              dontWait: false) else {
            throw ClientError.timeout(service: service, milliseconds: 0, endpoint: endpoint)
        }
    }

    /// Waits for the next reply for `service`.
    public func receive(service: String, timeoutMs: Int, giveUpWhen: (() -> Bool)? = nil) throws -> [Data] {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeoutMs)) * 1_000_000
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline, giveUpWhen?() != true else {
                socket.close()
                socket = try Self.connect(context, endpoint, curve: curve)
                throw ClientError.timeout(service: service, milliseconds: timeoutMs, endpoint: endpoint)
            }
            var remaining = Int((deadline - now) / 1_000_000) + 1
            if giveUpWhen != nil { remaining = min(remaining, 50) }
            guard try poll([socket], timeoutMilliseconds: remaining)[0], let frames = try socket.receive(dontWait: true)
            else { continue }
            guard let reply = try? MDP.decodeAtClient(frames), reply.service == service else { continue }
            return reply.body
        }
    }
}

/// Why a request through the broker did not produce an answer.
public enum ClientError: Error, CustomStringConvertible {
    case timeout(service: String, milliseconds: Int, endpoint: String)
    case refused(ErrorReply)
    case badReply(String)

    public var description: String {
        switch self {
        case .timeout(let service, let ms, let endpoint):
            "no reply from '\(service)' at \(endpoint) within \(ms) ms. Is the broker running? "
                + "Start one with `docpipe broker`, or point to it with --broker."
        case .refused(let error): "\(error.status) \(error.reason): \(error.message)"
        case .badReply(let why): "unreadable reply from the broker: \(why)"
        }
    }
}
