internal import CZeroMQ
public import Foundation

extension Socket {
    /// Sends all frames as one multipart message. Returns false when dontWait and the message could
    /// not be queued (EAGAIN), and also when a send timeout (`setSendTimeout`) expired first.
    ///
    /// A ROUTER with `setRouterMandatory(true)` throws `isHostUnreachable` for an unknown first frame.
    /// Frames are copied, so the caller may reuse them at once. An empty `frames` array is refused,
    /// as ZeroMQ has no zero-frame message.
    @discardableResult
    public func send(_ frames: [Data], dontWait: Bool = false) throws(ZMQError) -> Bool {
        guard !frames.isEmpty else {
            throw ZMQError(code: EINVAL, message: "send: a message needs at least one frame")
        }
        return try send(count: frames.count, dontWait: dontWait) { frames[$0] }
    }

    /// Sends `[first] + frames` (a ROUTER's routing id ahead of the message) without building that array:
    /// the broker sends every message this way, and the profile showed the array's allocation and copy.
    @discardableResult
    public func send(_ first: Data, then frames: [Data], dontWait: Bool = false) throws(ZMQError) -> Bool {
        try send(count: frames.count + 1, dontWait: dontWait) { $0 == 0 ? first : frames[$0 - 1] }
    }

    private func send(count: Int, dontWait: Bool, frame: (Int) -> Data) throws(ZMQError) -> Bool {
        try withHandle("send") { (socket) throws(ZMQError) in
            for index in 0..<count {
                let frame = frame(index)
                var flags: Int32 = index == count - 1 ? 0 : ZMQ_SNDMORE
                // libzmq queues a multipart message atomically: the high-water mark is checked when the
                // first frame goes in and never part-way through. So only the first frame can be refused,
                // and the rest are sent blocking, which cannot actually block.
                if dontWait && index == 0 { flags |= ZMQ_DONTWAIT }
                // The description is built only if the call fails (zmqCall takes it as an autoclosure).
                let outcome = try frame.withUnsafeBytesThrowingZMQ { (bytes) throws(ZMQError) in
                    // zmq_send copies; an empty frame may have no base address, which libzmq allows for length 0.
                    try zmqCall("send frame \(index + 1) of \(count) (\(frame.count) bytes) on \(type) socket") {
                        zmq_send(socket, bytes.baseAddress, bytes.count, flags)
                    }
                }
                guard outcome == .wouldBlock else { continue }
                if index == 0 { return false }
                // Only a send timeout can get here. The message is now half-queued and libzmq offers no
                // way to withdraw it, so the socket is unusable: say so rather than pretend.
                throw ZMQError(
                    code: EAGAIN,
                    while:
                        "send frame \(index + 1) of \(count) on \(type) socket (message left incomplete; close the socket)"
                )
            }
            return true
        }
    }

    /// Receives one whole multipart message; nil when dontWait and nothing is waiting (EAGAIN), or on
    /// a receive timeout (`setReceiveTimeout`).
    public func receive(dontWait: Bool = false) throws(ZMQError) -> [Data]? {
        try withHandle("receive") { (socket) throws(ZMQError) in
            var message = zmq_msg_t()
            return try withUnsafeMutablePointer(to: &message) { (message) throws(ZMQError) -> [Data]? in
                try zmqCheck("receive: initialise message") { zmq_msg_init(message) }
                defer { zmq_msg_close(message) }
                var frames: [Data] = []
                repeat {
                    // libzmq delivers multipart messages atomically: once the first frame is here, the rest
                    // are too, so only the first receive may honour dontWait or time out.
                    let flags: Int32 = frames.isEmpty && dontWait ? ZMQ_DONTWAIT : 0
                    // The description is built only if the call fails (zmqCall takes it as an autoclosure).
                    // zmq_msg_recv releases the previous frame's content before reusing `message`.
                    let outcome = try zmqCall("receive frame \(frames.count + 1) on \(type) socket") {
                        zmq_msg_recv(message, socket, flags)
                    }
                    if outcome == .wouldBlock {
                        if frames.isEmpty { return nil }
                        throw ZMQError(
                            code: EAGAIN,
                            while: "receive frame \(frames.count + 1) on \(type) socket (rest of the message missing)")
                    }
                    frames.append(Self.copyFrame(message))
                } while zmq_msg_more(message) == 1
                return frames
            }
        }
    }

    /// Copies a received frame out, because libzmq reuses the message's memory for the next frame.
    private static func copyFrame(_ message: UnsafeMutablePointer<zmq_msg_t>) -> Data {
        let count = zmq_msg_size(message)
        guard count > 0, let bytes = zmq_msg_data(message) else { return Data() }
        return Data(bytes: bytes, count: count)
    }
}
