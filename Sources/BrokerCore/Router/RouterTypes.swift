public import DocProtocol
public import Foundation

/// A peer on the broker's ROUTER socket, named by the routing id ZeroMQ gave it.
public struct PeerID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: Data
    /// The id's bytes and length in one word when it has at most 7 bytes (libzmq's own ids have 5), so
    /// hashing and comparing it is one integer instead of hashing a Data and a memcmp: the router looks a
    /// peer up several times per message, and the profile had Data hashing at about 4 % of the broker's
    /// CPU under echo load. Nil for longer ids (a peer may set its own, up to 255 bytes).
    private let packed: UInt64?

    public init(_ bytes: Data) {
        self.bytes = bytes
        guard bytes.count <= 7 else {
            packed = nil
            return
        }
        var word = UInt64(bytes.count) << 56
        for (index, byte) in bytes.enumerated() { word |= UInt64(byte) << (8 * UInt64(index)) }
        packed = word
    }

    public static func == (left: PeerID, right: PeerID) -> Bool {
        switch (left.packed, right.packed) {
        case (let a?, let b?): a == b
        case (nil, nil): left.bytes == right.bytes
        default: false // one is short and the other long: different lengths
        }
    }

    public func hash(into hasher: inout Hasher) {
        if let packed { hasher.combine(packed) } else { hasher.combine(bytes) }
    }

    /// Lower-case hex of the routing id; on the hot path (worker metrics), so no per-byte formatting.
    public var description: String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var index = 0
            for byte in bytes {
                buffer[index] = Self.hexDigits[Int(byte >> 4)]
                buffer[index + 1] = Self.hexDigits[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

/// Milliseconds on a monotonic clock. The state machines never read a clock: time is an input.
public typealias Millis = Int64

/// Who asked for a piece of work, and so where its reply goes.
public enum RequestOrigin: Hashable, Sendable {
    /// An MDP client on the socket: the reply is forwarded to it unchanged.
    case client(PeerID)
    /// A pipeline stage of a job: the reply is a `StageResult` for the pipeline engine.
    case stage(jobID: String, ticket: Int)

    /// A stage token's length: a zero byte, `s`, and the dispatch's number as 8 bytes, big-endian.
    static let stageTokenLength = 10

    /// Whether `envelope` is a stage token (of this request or any other). libzmq's own ids are 5 bytes and
    /// applications may not set ids that start with a zero byte, so no client address looks like one.
    static func isStageEnvelope(_ envelope: Data) -> Bool {
        envelope.count == stageTokenLength && envelope.first == 0 && envelope.dropFirst().first == UInt8(ascii: "s")
    }

    /// The client-address frame the worker sees in REQUEST and must echo in REPLY, for dispatch `number`.
    ///
    /// For a stage: a zero byte, `s`, and the number big-endian (so a one-word key of the token's last seven
    /// bytes, `HeldRequests.key`, holds the number's low bits). Ten bytes is short enough for `Data` to keep
    /// inline: the token costs no allocation where it is made, nor where the reply carrying it is received.
    /// (It used to spell `\0stage:<job id>:<ticket>`, 27 bytes: two allocations at each end, a tenth of the
    /// broker's allocations per document.) The router knows which job a dispatch was for; the worker treats
    /// the token as opaque, and a late reply's token matches no held request.
    func envelope(number: UInt64) -> Data {
        switch self {
        case .client(let peer):
            return peer.bytes
        case .stage:
            return Self.stageToken(number)
        }
    }

    static func stageToken(_ number: UInt64) -> Data {
        var token = Data(count: stageTokenLength)
        token.withUnsafeMutableBytes { out in
            out[0] = 0
            out[1] = UInt8(ascii: "s")
            var value = number
            for index in stride(from: stageTokenLength - 1, through: 2, by: -1) {
                out[index] = UInt8(truncatingIfNeeded: value)
                value >>= 8
            }
        }
        return token
    }
}

/// One request waiting for, or held by, a worker of a service.
public struct PendingRequest: Equatable, Sendable {
    public var id: UInt64
    public var service: String
    public var origin: RequestOrigin
    public var body: [Data]
    public var enqueuedAt: Millis
    /// How many times a worker vanished while holding this request (client requests only: a stage
    /// request is never redelivered, its loss is a failed attempt the pipeline decides about).
    public var redeliveries: Int = 0
    /// Goes only to a worker holding nothing else, and fills it: a stage whose last delivery was lost
    /// with its worker runs alone, so if it kills the worker again the blame is not shared.
    public var exclusive = false
    /// The MDP generation the requesting client speaks (its replies are framed in it).
    public var clientVersion: MDP.Version = .v01
    /// The client address a worker echoes, built once: it goes out with every delivery and matches the reply.
    public let envelope: Data
    /// The body's size, counted against the client byte budgets while the broker holds the request.
    public var bodyBytes: Int { body.reduce(0) { $0 + $1.count } }

    init(
        id: UInt64, service: String, origin: RequestOrigin, body: [Data], enqueuedAt: Millis,
        clientVersion: MDP.Version = .v01, exclusive: Bool = false, tokenBase: UInt64 = 0
    ) {
        self.id = id
        self.exclusive = exclusive
        self.service = service
        self.origin = origin
        self.body = body
        self.enqueuedAt = enqueuedAt
        self.clientVersion = clientVersion
        self.envelope = origin.envelope(number: tokenBase &+ id)
    }
}

/// What the router asks its owner to do. The owner performs these in order.
public enum RouterAction: Equatable, Sendable {
    /// Send these frames (starting with the MDP empty delimiter) to a peer.
    case send(to: PeerID, frames: [Data])
    /// A stage of a job has an answer: hand it to the pipeline engine.
    case stageReplied(jobID: String, ticket: Int, body: [Data], worker: PeerID)
    /// A worker took a stage request: the pipeline starts the stage's timeout.
    case leased(jobID: String, ticket: Int, worker: PeerID)
    /// The worker holding a stage request was lost (disconnected, expired, unreachable or cut off): the
    /// delivery failed, and the pipeline counts it as a failed attempt. The router does not re-queue it.
    case stageLost(jobID: String, ticket: Int, worker: PeerID, reason: String)
    /// A client called one of the broker's own `docpipe.*` services.
    case callInternal(service: String, client: PeerID, body: [Data], version: MDP.Version)
    /// Something worth a log line (protocol violations, workers coming and going).
    case log(RouterLogLevel, String)
}

/// Severity of a router log line, mapped to swift-log levels by the runtime.
public enum RouterLogLevel: Sendable, Equatable { case debug, info, warning }

/// Bounds on what clients can make the router hold: direct requests to worker services are queued
/// only so deep and only so long, so no client can grow the broker's memory without limit.
public struct RouterLimits: Sendable, Equatable {
    /// Requests waiting per service; beyond it a client gets 503 busy.
    public var maxQueuePerService: Int
    /// A client request that waits this long without a worker gets 504 and is dropped.
    public var clientRequestTTLms: Millis

    /// A client request whose worker vanished this many times is answered 503 `worker_lost` instead of
    /// being delivered again, so a request that kills every worker it reaches does not loop forever.
    public var maxRedeliveries: Int

    /// Bytes of client requests the broker holds (queued or with a worker) for all clients together, and
    /// for any one client connection; past either a request gets 503 busy. Counted with the pipeline's
    /// `max_job_bytes`, this bounds what peers can make the broker hold.
    public var maxClientBytes: Int
    public var maxClientBytesPerPeer: Int
    /// Distinct service names the broker keeps queues for; a request for one more gets 503
    /// `too_many_services`, so random names cannot multiply the per-service bounds.
    public var maxServices: Int

    public init(
        maxQueuePerService: Int = 10_000, clientRequestTTLms: Millis = 60_000, maxRedeliveries: Int = 3,
        maxClientBytes: Int = 512 << 20, maxClientBytesPerPeer: Int = 256 << 20, maxServices: Int = 1_000
    ) {
        self.maxQueuePerService = maxQueuePerService
        self.clientRequestTTLms = clientRequestTTLms
        self.maxRedeliveries = maxRedeliveries
        self.maxClientBytes = maxClientBytes
        self.maxClientBytesPerPeer = maxClientBytesPerPeer
        self.maxServices = maxServices
    }
}

/// Heartbeat settings; RFC 7's defaults are 2500 ms and a liveness of 3.
public struct HeartbeatPolicy: Sendable, Equatable {
    public var intervalMs: Millis
    public var liveness: Int

    public init(intervalMs: Millis = 2500, liveness: Int = 3) {
        self.intervalMs = intervalMs
        self.liveness = liveness
    }

    /// A peer silent this long is dead.
    public var expiryMs: Millis { intervalMs * Millis(liveness) }
}
