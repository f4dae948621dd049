internal import CZeroMQ

/// A failed libzmq call: the errno value, and a message saying what was being done and why it failed.
///
/// The message reads like `bind tcp://x:1: Address already in use`, so it can go straight into a log line.
public struct ZMQError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errno value libzmq reported (libzmq's own codes such as `ETERM` included).
    public let code: Int32
    /// What was being done, then libzmq's explanation of `code`.
    public let message: String

    /// Makes an error by hand; useful for test doubles of code that talks to sockets.
    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    /// The usual way in: names the action and lets libzmq explain the code.
    init(code: Int32, while action: String) {
        self.init(code: code, message: "\(action): \(String(cString: zmq_strerror(code)))")
    }

    /// The context was shut down or terminated: the owner of the socket should close it and stop.
    public var isTerminated: Bool { code == ETERM }
    /// A ROUTER with `setRouterMandatory(true)` was asked to send to a routing ID it does not know.
    public var isHostUnreachable: Bool { code == EHOSTUNREACH }
    /// The operation would have blocked, or a send/receive timeout expired.
    public var isAgain: Bool { code == EAGAIN }

    public var description: String { message }
}
