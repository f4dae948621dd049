internal import CZeroMQ
public import Foundation

/// A received multipart message together with what libzmq knows about the connection it came on.
///
/// On a CURVE socket with a ZAP handler, `userID` is the name the handler gave the peer's key
/// (ZMTP metadata `User-Id`, RFC 27), so a server can tell which key sent each message.
public struct ReceivedMessage {
    public var frames: [Data]
    /// The ZAP handler's user id for the sending connection; nil without authentication.
    public var userID: String?
    /// The peer's IP address as libzmq saw it (`Peer-Address`); nil for inproc/ipc or if unknown.
    public var peerAddress: String?
    /// The connection the message arrived on, so a server can drop that one peer.
    public var connection: PeerConnection?
    /// The further properties asked for (e.g. metadata a ZAP handler attached), where present.
    public var properties: [String: String] = [:]
    /// The message had more frames or bytes than the receiver allowed: `frames` holds only what fit (the
    /// rest was received and dropped without being copied).
    public var truncated = false
}

/// One peer's underlying transport connection (a TCP or IPC file descriptor owned by libzmq).
///
/// libzmq offers no call to close one peer of a ROUTER. Shutting the descriptor down (not closing
/// it, which would let the number be reused under libzmq's feet) makes libzmq see the connection
/// end and tear the session down, exactly as if the peer had hung up.
public struct PeerConnection: Sendable, Hashable {
    let descriptor: Int32

    /// Ends the connection. A well-behaved peer reconnects and goes through authentication again.
    public func cut() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
    }
}

extension Socket {
    /// Like `receive(dontWait:)`, but also returns the connection metadata of the message, including
    /// the named `properties` (ZMTP metadata names, such as ones a ZAP handler set).
    ///
    /// `userAndAddress: false` skips `userID` and `peerAddress` (each a lookup and a String per message): a
    /// server without authentication has no user id to read, and the broker's profile showed the two reads.
    ///
    /// `maxFrames` and `maxBytes` bound what is copied out of libzmq: frames past either bound are received
    /// (a message is all or nothing) but dropped at once, and the message is marked `truncated`.
    public func receiveMessage(
        dontWait: Bool = false, properties: [String] = [], maxFrames: Int = .max, maxBytes: Int = .max,
        userAndAddress: Bool = true
    ) throws(ZMQError) -> ReceivedMessage? {
        try withHandle("receive") { (socket) throws(ZMQError) in
            var message = zmq_msg_t()
            return try withUnsafeMutablePointer(to: &message) { (message) throws(ZMQError) -> ReceivedMessage? in
                try zmqCheck("receive: initialise message") { zmq_msg_init(message) }
                defer { zmq_msg_close(message) }
                var received = ReceivedMessage(frames: [])
                // An MDP message has up to 7 frames: one allocation instead of the array growing 1, 2, 4, 8.
                received.frames.reserveCapacity(8)
                var first = true
                var bytes = 0
                repeat {
                    // As in `receive`: only the first frame may honour dontWait, the rest are already here.
                    let flags: Int32 = first && dontWait ? ZMQ_DONTWAIT : 0
                    // The description is built only if the call fails (zmqCall takes it as an autoclosure).
                    let outcome = try zmqCall("receive frame \(received.frames.count + 1) on \(type) socket") {
                        zmq_msg_recv(message, socket, flags)
                    }
                    if outcome == .wouldBlock {
                        if first { return nil }
                        throw ZMQError(
                            code: EAGAIN,
                            while:
                                "receive frame \(received.frames.count + 1) on \(type) socket (rest of the message missing)"
                        )
                    }
                    first = false
                    bytes += zmq_msg_size(message)
                    if received.truncated || received.frames.count >= maxFrames || bytes > maxBytes {
                        received.truncated = true
                    } else {
                        received.frames.append(Self.frameBytes(message))
                    }
                } while zmq_msg_more(message) == 1
                // Read the metadata from the last frame: it came off the wire. A ROUTER makes up the first
                // (routing ID) frame itself, and libzmq 4.3.4 leaves that one without metadata when the
                // socket was polled before the receive (the message was prefetched).
                if userAndAddress {
                    received.userID = Self.property("User-Id", of: message)
                    received.peerAddress = Self.property("Peer-Address", of: message)
                }
                let descriptor = zmq_msg_get(message, ZMQ_SRCFD)
                if descriptor >= 0 { received.connection = PeerConnection(descriptor: descriptor) }
                for name in properties { received.properties[name] = Self.property(name, of: message) }
                return received
            }
        }
    }

    private static func property(_ name: String, of message: UnsafeMutablePointer<zmq_msg_t>) -> String? {
        // NULL (EINVAL) simply means the connection has no such property.
        guard let value = zmq_msg_gets(message, name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    private static func frameBytes(_ message: UnsafeMutablePointer<zmq_msg_t>) -> Data {
        let count = zmq_msg_size(message)
        guard count > 0, let bytes = zmq_msg_data(message) else { return Data() }
        return Data(bytes: bytes, count: count)
    }
}
