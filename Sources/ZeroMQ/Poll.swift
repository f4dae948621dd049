internal import CZeroMQ

/// Waits until any socket is readable or timeout (ms; -1 = forever). Returns one Bool per socket, true = readable.
/// EINTR returns all-false (a signal arrived: the caller re-checks its shutdown flag), it does not throw.
///
/// Throws `isTerminated` once the sockets' context is shut down, which is how a poll loop on its own
/// thread is stopped. An empty `sockets` with timeout -1 is refused, as it could never return.
public func poll(_ sockets: [Socket], timeoutMilliseconds: Int) throws(ZMQError) -> [Bool] {
    if sockets.isEmpty && timeoutMilliseconds < 0 {
        throw ZMQError(code: EINVAL, message: "poll: no sockets and no timeout would wait forever")
    }
    return try withHandles(sockets[...], collected: []) { (handles) throws(ZMQError) in
        var items = handles.map { zmq_pollitem_t(socket: $0, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let outcome = try items.withUnsafeMutableBufferPointer { (items) throws(ZMQError) in
            try zmqCall("poll \(sockets.count) sockets", onInterrupt: .report) {
                zmq_poll(items.baseAddress, Int32(items.count), timeoutMilliseconds)
            }
        }
        if outcome == .interrupted { return Array(repeating: false, count: items.count) }
        return items.map { Int32($0.revents) & ZMQ_POLLIN != 0 }
    }
}

/// Enters every socket's `withHandle` scope in turn, so the raw handles are valid (and the sockets
/// checked open) for exactly as long as `body` runs. Recursion depth is the number of sockets.
private func withHandles<Result>(
    _ sockets: ArraySlice<Socket>,
    collected: [UnsafeMutableRawPointer],
    _ body: ([UnsafeMutableRawPointer]) throws(ZMQError) -> Result
) throws(ZMQError) -> Result {
    guard let first = sockets.first else { return try body(collected) }
    return try first.withHandle("poll socket \(collected.count + 1) of \(collected.count + sockets.count)") {
        (handle) throws(ZMQError) in
        try withHandles(sockets.dropFirst(), collected: collected + [handle], body)
    }
}
