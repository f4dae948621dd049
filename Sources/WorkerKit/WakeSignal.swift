import Foundation
import Synchronization
import ZeroMQ

/// Hands finished replies from the async side to the worker's socket thread and wakes its poll.
///
/// The socket thread owns the receiving end of an inproc PAIR; the sending end is only ever used under
/// the mutex, so at most one thread touches it at a time, as libzmq requires.
final class WakeSignal: @unchecked Sendable {
    private let sender: Socket
    private let lock = Mutex<[PendingReply]>([])

    struct PendingReply: Sendable {
        var generation: Int
        var client: Data
        /// The reply's body; nil when the request was not started (shutdown) and gets no reply.
        var body: Data?
    }

    init(sender: Socket) { self.sender = sender }

    func post(_ reply: PendingReply) {
        lock.withLock { queue in
            queue.append(reply)
            _ = try? sender.send([Data([1])], dontWait: true)
        }
    }

    func take() -> [PendingReply] {
        lock.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
    }

    func close() { lock.withLock { _ in sender.close() } }
}
