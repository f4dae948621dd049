internal import CZeroMQ

/// One libzmq socket: endpoints, whole multipart messages, and options.
///
/// Not `Sendable`: libzmq sockets are not thread-safe, so a socket lives on the thread that uses it
/// (create it there). The socket keeps its `Context` alive and is closed by `close()` or on release.
/// Closing drops unsent messages after the linger period (`setLinger`), which is libzmq's default
/// (wait forever) unless set, and the context's termination waits for it.
public final class Socket {
    /// The raw socket; nil once closed. Only `withHandle` hands it out, and only for one call.
    private var handle: UnsafeMutableRawPointer?
    /// Held so the context cannot be terminated while this socket is open.
    private let context: Context
    /// Kept for error messages.
    public let type: SocketType

    /// Opens a socket of `type` in `context`; throws with `isTerminated` once the context is shut down.
    public init(_ context: Context, _ type: SocketType) throws(ZMQError) {
        var created: UnsafeMutableRawPointer?
        try context.withUnsafeHandle { (contextHandle) throws(ZMQError) in
            try zmqCheck("create \(type) socket") {
                created = zmq_socket(contextHandle, type.cValue)
                return created == nil ? -1 : 0
            }
        }
        self.handle = created
        self.context = context
        self.type = type
    }

    deinit {
        close()
    }

    /// Closes the socket; later calls on it throw. Safe to call more than once.
    public func close() {
        guard let handle else { return }
        self.handle = nil
        // zmq_close only fails for an invalid handle, which `handle` cannot be.
        _ = try? zmqCheck("close \(type) socket") { zmq_close(handle) }
    }

    /// Lends the raw socket to libzmq calls, without letting it escape; throws if the socket is closed.
    func withHandle<Result>(
        _ action: @autoclosure () -> String,
        _ body: (UnsafeMutableRawPointer) throws(ZMQError) -> Result
    ) throws(ZMQError) -> Result {
        guard let handle else { throw ZMQError(code: ENOTSOCK, while: "\(action()) (socket is closed)") }
        return try body(handle)
    }

    // MARK: Endpoints

    /// Accepts connections on `endpoint`, e.g. `tcp://127.0.0.1:*` (then read `lastEndpoint`) or `ipc:///path`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        try withHandle("bind \(endpoint)") { (socket) throws(ZMQError) in
            try zmqCheck("bind \(endpoint)") { zmq_bind(socket, endpoint) }
        }
    }

    /// Connects to `endpoint`; libzmq connects (and reconnects) in the background.
    public func connect(_ endpoint: String) throws(ZMQError) {
        try withHandle("connect \(endpoint)") { (socket) throws(ZMQError) in
            try zmqCheck("connect \(endpoint)") { zmq_connect(socket, endpoint) }
        }
    }

    /// Undoes `connect(endpoint)`.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        try withHandle("disconnect \(endpoint)") { (socket) throws(ZMQError) in
            try zmqCheck("disconnect \(endpoint)") { zmq_disconnect(socket, endpoint) }
        }
    }

    /// Undoes `bind(endpoint)`; for a wildcard bind, pass the resolved `lastEndpoint`.
    public func unbind(_ endpoint: String) throws(ZMQError) {
        try withHandle("unbind \(endpoint)") { (socket) throws(ZMQError) in
            try zmqCheck("unbind \(endpoint)") { zmq_unbind(socket, endpoint) }
        }
    }

    /// The endpoint last bound or connected, resolved: after `bind("tcp://127.0.0.1:*")` it names the
    /// port the system picked. Nil when there is none or the socket is closed.
    public var lastEndpoint: String? {
        // Endpoints are at most a path or a host name plus port; 1 KiB leaves ample room.
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        let read: Void? = try? withHandle("read last endpoint") { (socket) throws(ZMQError) in
            try zmqCheck("read last endpoint") { zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, &buffer, &size) }
        }
        guard read != nil else { return nil }
        let endpoint = string(fromCBuffer: buffer)
        return endpoint.isEmpty ? nil : endpoint
    }

    /// True when a whole message can be received without blocking (`ZMQ_EVENTS` has `ZMQ_POLLIN`).
    /// False on a closed socket.
    public var isReadable: Bool {
        guard let events = try? intOption(ZMQ_EVENTS, "read events") else { return false }
        return events & ZMQ_POLLIN != 0
    }
}
