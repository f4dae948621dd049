import Foundation
import Testing
import ZeroMQ

/// A socket set up the way every test wants it: never lingers on close, and never blocks for
/// more than a few seconds, so a broken test fails instead of hanging.
func makeSocket(_ context: Context, _ type: SocketType, timeoutMilliseconds: Int = 5_000) throws -> Socket {
    let socket = try Socket(context, type)
    try socket.setLinger(milliseconds: 0)
    try socket.setReceiveTimeout(milliseconds: timeoutMilliseconds)
    try socket.setSendTimeout(milliseconds: timeoutMilliseconds)
    return socket
}

/// A fresh ipc:// endpoint in the temp directory; short, because socket paths are limited to ~100 bytes.
func ipcEndpoint() -> String {
    "ipc:///tmp/docpipe-zmq-\(UUID().uuidString.prefix(13)).sock"
}

/// libzmq 4.3 leaves the socket file behind when a bound socket closes; tidy it up.
func removeIPCFile(_ endpoint: String) {
    try? FileManager.default.removeItem(atPath: String(endpoint.dropFirst("ipc://".count)))
}

/// Binds to an ephemeral loopback port and returns the endpoint peers should connect to.
func bindEphemeral(_ socket: Socket) throws -> String {
    try socket.bind("tcp://127.0.0.1:*")
    return try #require(socket.lastEndpoint)
}

/// Frames from text, to keep expectations readable.
func frames(_ texts: String...) -> [Data] {
    texts.map { Data($0.utf8) }
}

/// Hands a value from a helper thread to the test, under a lock.
final class Handoff<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    var value: Value? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
