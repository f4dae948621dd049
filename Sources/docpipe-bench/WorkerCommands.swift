import DocProtocol
import Foundation
import ZeroMQ

/// The bench's own child processes: `echo-worker`, `noop-worker` and `serve-proxy`. Each is a single
/// thread on one socket doing as little as possible, so the figures measure the broker in between.
///
/// WorkerKit is deliberately not used: its machinery would be part of what is measured.
enum WorkerCommands {
    static let usage = """
        docpipe-bench echo-worker --broker EP --protocol mdp01|mdp02|raw [--service NAME] [--credit N]
        docpipe-bench noop-worker --broker EP[,EP…] --service NAME [--credit N] [--report EP]
        docpipe-bench serve-proxy --frontend EP --backend EP
        """

    /// Runs `command` if it is one of ours; false if it is not (then the arguments are the bench's).
    static func run(_ arguments: [String]) throws -> Bool {
        guard let command = arguments.first, ["echo-worker", "noop-worker", "serve-proxy"].contains(command) else {
            return false
        }
        let flags = try Flags(Array(arguments.dropFirst()))
        switch command {
        case "echo-worker":
            try EchoWorker(
                broker: flags.required("--broker"), dialect: try EchoDialect(flags.required("--protocol")),
                service: flags.values["--service"] ?? EchoBenchmark.service,
                credit: Int(flags.values["--credit"] ?? "1") ?? 1
            ).run()
        case "noop-worker":
            try NoopWorker(
                broker: flags.required("--broker"), service: flags.required("--service"),
                credit: Int(flags.values["--credit"] ?? "1") ?? 1, report: flags.values["--report"]
            ).run()
        case "serve-proxy":
            try serveProxy(frontend: flags.required("--frontend"), backend: flags.required("--backend"))
        default:
            return false
        }
        return true
    }

    /// libzmq's `zmq_proxy`, ROUTER frontend for clients, DEALER backend for raw echo workers; runs
    /// until the bench kills it.
    static func serveProxy(frontend: String, backend: String) throws {
        let context = Context()
        let front = try Socket(context, .router)
        let back = try Socket(context, .dealer)
        for socket in [front, back] {
            try socket.setLinger(milliseconds: 0)
            // As many queued messages as the brokers allow, so the window, not a high-water mark, limits.
            try socket.setSendHighWaterMark(100_000)
            try socket.setReceiveHighWaterMark(100_000)
        }
        try front.bind(frontend)
        try back.bind(backend)
        try proxy(frontend: front, backend: back)
    }
}

/// `--name value` pairs.
struct Flags {
    var values: [String: String] = [:]

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard flag.hasPrefix("--"), let value = rest.popFirst() else {
                throw UsageError(message: "expected --flag value pairs, got '\(flag)'\n\(WorkerCommands.usage)")
            }
            values[flag] = value
        }
    }

    func required(_ flag: String) throws -> String {
        guard let value = values[flag] else {
            throw UsageError(message: "\(flag) is required\n\(WorkerCommands.usage)")
        }
        return value
    }
}

/// How one of the compared brokers frames a request and its reply.
enum EchoDialect: String, Codable {
    /// docpipe: MDP/0.1 (RFC 7).
    case mdp01
    /// majortomo: MDP/0.2 with the empty delimiter frame (`MDP.Version.v02Delimited`).
    case mdp02
    /// zmq_proxy: an empty delimiter and the body, nothing else.
    case raw

    init(_ text: String) throws {
        guard let dialect = EchoDialect(rawValue: text) else {
            throw UsageError(message: "--protocol must be mdp01, mdp02 or raw, not '\(text)'")
        }
        self = dialect
    }

    func request(service: String, body: Data) -> [Data] {
        switch self {
        case .mdp01: MDP.clientRequest(service: service, body: [body])
        case .mdp02: MDP.clientRequest(service: service, body: [body], version: .v02Delimited)
        case .raw: [Data(), body]
        }
    }
}

/// Echoes every request body back, in the dialect of the broker in front of it.
struct EchoWorker {
    var broker: String
    var dialect: EchoDialect
    var service: String
    /// Requests the broker may hand over before the first reply (MDP/0.1 only: docpipe's READY identity
    /// frame carries it; an MDP/0.2 worker is lock-step by the protocol).
    var credit = 1

    private static let heartbeatNanos: UInt64 = 2_500_000_000

    func run() throws {
        let context = Context()
        let socket = try Socket(context, .dealer)
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveTimeout(milliseconds: 100)
        try socket.connect(broker)
        var watch = ParentWatch()
        switch dialect {
        case .raw:
            while true {
                // The proxy's DEALER hands over [client routing ID, empty, body]; the same frames go back.
                if let frames = try socket.receive() { _ = try socket.send(frames) }
                watch.exitIfOrphaned()
            }
        case .mdp01, .mdp02:
            let version: MDP.Version = dialect == .mdp01 ? .v01 : .v02Delimited
            if version == .v01 {
                let identity = WorkerIdentity(
                    host: ProcessInfo.processInfo.hostName,
                    pid: Int(ProcessInfo.processInfo.processIdentifier),
                    version: ProtocolVersion.release, credit: credit)
                _ = try socket.send(MDP.ready(service: service, identity: identity))
            } else {
                _ = try socket.send(MDP.ready(service: service, version: version))
            }
            var lastSent = monotonicNanos()
            while true {
                if let frames = try socket.receive() {
                    switch try Self.decode(frames, version: version) {
                    case .request(let client, let body):
                        _ = try socket.send(MDP.reply(client: client, body: body, version: version))
                    case .heartbeat:
                        _ = try socket.send(MDP.heartbeat(version))
                    case .disconnect:
                        throw BenchError(message: "the broker disconnected echo worker for '\(service)'")
                    }
                    lastSent = monotonicNanos()
                }
                if monotonicNanos() - lastSent >= Self.heartbeatNanos {
                    _ = try socket.send(MDP.heartbeat(version))
                    lastSent = monotonicNanos()
                }
                watch.exitIfOrphaned()
            }
        }
    }

    /// MDP/0.1 through the protocol module; majortomo's 0.2 by hand: [empty, MDPW02, command, …].
    private static func decode(_ frames: [Data], version: MDP.Version) throws -> MDP.WorkerInbound {
        guard version == .v02Delimited else { return try MDP.decodeAtWorker(frames) }
        guard frames.count >= 3, frames[1] == MDP.workerHeader02, let command = frames[2].first else {
            throw BenchError(message: "echo worker: not an MDP/0.2 worker message")
        }
        switch command {
        case 0x02:
            guard frames.count >= 6 else { throw BenchError(message: "echo worker: short MDP/0.2 REQUEST") }
            return .request(client: frames[3], body: Array(frames[5...]))
        case 0x05: return .heartbeat
        case 0x06: return .disconnect
        default: throw BenchError(message: "echo worker: unexpected MDP/0.2 command \(command)")
        }
    }
}
