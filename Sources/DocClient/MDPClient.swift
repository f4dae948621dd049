public import DocProtocol
public import Foundation
public import ZeroMQ

/// A Majordomo (MDP/0.1) client: send a request to a service through the broker, wait for the reply.
///
/// Uses a DEALER socket so it can time out; after a timeout the socket is replaced (the "lazy pirate"
/// pattern), so a late reply to an abandoned request can never be read as the answer to the next one.
/// Not thread-safe: one client per thread.
///
/// Given several endpoints (brokers sharing a journal, one active), it talks to one at a time and moves to
/// the next, on a fresh socket, when a request times out or a standby refuses it; see `request`.
public final class MDPClient {
    /// The endpoint in use now.
    public var endpoint: String { brokers.current }
    /// Every endpoint this client may use, in order.
    public var endpoints: [String] { brokers.all }
    /// CURVE keys for a broker that requires them; nil talks plaintext.
    public let curve: CurveClientKeys?
    private let context: Context
    private var socket: Socket
    private var brokers: BrokerEndpoints

    /// `endpoint` is one endpoint or a comma-separated list of them.
    public init(broker endpoint: String, context: Context = Context(), curve: CurveClientKeys? = nil) throws(ZMQError) {
        // An empty list keeps the text as it is, so connect reports it as the bad endpoint it is.
        self.brokers = BrokerEndpoints(endpoint) ?? BrokerEndpoints([endpoint])!
        self.curve = curve
        self.context = context
        self.socket = try Self.connect(context, brokers.current, curve: curve)
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

    /// Drops the socket and connects to the next endpoint of the list (the same one when there is one):
    /// whatever the old connection still delivers is lost with it.
    public func moveToNextEndpoint() throws(ZMQError) {
        socket.close()
        brokers.advance()
        socket = try Self.connect(context, brokers.current, curve: curve)
    }

    /// Sends one request and returns the reply's body frames, or throws `ClientError.timeout`.
    /// `giveUpWhen`, if given, is asked about every 50 ms while waiting (an interactive command reads its
    /// keyboard there); when it says yes, the request is abandoned as if it had timed out.
    ///
    /// With several endpoints, each is asked at most once per call, waiting up to `timeoutMs` for each:
    /// a timeout or a standby's refusal (503 "standby") moves to the next endpoint and sends the request
    /// again there. When every endpoint refused as a standby, the last refusal is returned (callers wait its
    /// `retry_after_ms` as for any 503); when none answered, the timeout names every endpoint tried.
    public func request(service: String, body: [Data], timeoutMs: Int, giveUpWhen: (() -> Bool)? = nil) throws
        -> [Data]
    {
        var tried: [String] = []
        var standbyReply: [Data]?
        for _ in 0..<brokers.count {
            tried.append(endpoint)
            try send(service: service, body: body)
            let reply: [Data]
            do {
                reply = try receive(service: service, timeoutMs: timeoutMs, giveUpWhen: giveUpWhen)
            } catch ClientError.timeout where brokers.isList && giveUpWhen?() != true {
                continue
            }
            guard brokers.isList, Self.isStandbyRefusal(reply) else { return reply }
            standbyReply = reply
            try moveToNextEndpoint()
        }
        if let standbyReply { return standbyReply }
        throw ClientError.timeout(service: service, milliseconds: timeoutMs, endpoint: tried.joined(separator: ", "))
    }

    /// Whether a reply is a standby broker's one-frame refusal. The refusal is small: a large reply (a DLQ
    /// export, say) is never parsed twice for it.
    static func isStandbyRefusal(_ body: [Data]) -> Bool {
        guard body.count == 1, body[0].count <= 4096,
            let error = try? WireJSON.decode(ErrorReply.self, from: body[0])
        else { return false }
        return error.isStandby
    }

    /// Sends without waiting; pair with `receive`. Replies come back in the order the broker produces them.
    public func send(service: String, body: [Data]) throws {
        guard
            try socket.send(
                MDP.clientRequest(service: service, body: body.isEmpty ? [Data()] : body),
                dontWait: false)
        else {
            throw ClientError.timeout(service: service, milliseconds: 0, endpoint: endpoint)
        }
    }

    /// Waits for the next reply for `service`. On a timeout the socket is replaced by one connected to the
    /// next endpoint (the same one when there is one).
    public func receive(service: String, timeoutMs: Int, giveUpWhen: (() -> Bool)? = nil) throws -> [Data] {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeoutMs)) * 1_000_000
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline, giveUpWhen?() != true else {
                let silent = endpoint
                try moveToNextEndpoint()
                throw ClientError.timeout(service: service, milliseconds: timeoutMs, endpoint: silent)
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
    /// `endpoint` names every endpoint tried, comma-separated, when there were several.
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
