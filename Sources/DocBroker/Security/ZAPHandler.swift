import BrokerCore
import Foundation
import Logging
import Synchronization
import ZeroMQ

/// Answers libzmq's ZAP requests for the broker's CURVE socket, on a thread of its own.
///
/// The REP socket is created, bound, used and closed on that thread, because libzmq sockets are
/// single-thread objects. It must be bound before the broker's ROUTER accepts anyone: without a
/// handler libzmq 4.3 lets every CURVE client in. The thread ends when the context is shut down.
final class ZAPHandler: Sendable {
    let context: Context
    let keyring: Keyring
    let logger: Logger
    private let running = Atomic<Bool>(false)
    private let counts = Mutex<(allowed: Int, denied: Int)>((0, 0))

    init(context: Context, keyring: Keyring, logger: Logger) {
        self.context = context
        self.keyring = keyring
        self.logger = logger
    }

    /// False once the thread has stopped; the broker must not keep serving then, or it would be open.
    var isRunning: Bool { running.load(ordering: .relaxed) }

    /// Handshakes admitted and refused so far.
    var totals: (allowed: Int, denied: Int) { counts.withLock { $0 } }

    /// Starts the thread and returns once the handler is bound (or throws why it could not bind).
    func start() throws {
        let bound = Mutex<Result<Void, ZMQError>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            ThreadName.setCurrent("docpipe-zap")
            let socket: Socket
            do throws(ZMQError) {
                socket = try Socket(context, .rep)
                try socket.setLinger(milliseconds: 0)
                try socket.bind(ZAP.endpoint)
            } catch {
                bound.withLock { $0 = .failure(error) }
                ready.signal()
                return
            }
            running.store(true, ordering: .relaxed)
            bound.withLock { $0 = .success(()) }
            ready.signal()
            serve(socket)
            socket.close()
            running.store(false, ordering: .relaxed)
        }
        thread.start()
        ready.wait()
        if case .failure(let error) = bound.withLock({ $0 }) {
            throw BrokerError(message: "cannot start the CURVE authentication handler: \(error.message)")
        }
    }

    private func serve(_ socket: Socket) {
        // Refused peers retry every few hundred ms (libzmq reconnects by itself); one line per
        // address a minute says it all without flooding the log.
        var refusals = LogThrottle(window: 60)
        while true {
            let frames: [Data]
            do throws(ZMQError) {
                guard let received = try socket.receive() else { continue }
                frames = received
            } catch {
                if !error.isTerminated { logger.error("ZAP handler stopped: \(error)") }
                return
            }
            let reply: [Data]
            if let request = ZAP.parse(frames) {
                let decision = ZAP.decide(request, keys: keyring.current())
                reply = ZAP.reply(to: request.requestID, decision)
                record(decision, address: request.address, refusals: &refusals)
            } else {
                reply = ZAP.internalErrorReply(to: frames)
                logger.warning("malformed ZAP request from libzmq; refused")
            }
            do throws(ZMQError) {
                try socket.send(reply)
            } catch {
                if !error.isTerminated { logger.error("ZAP handler stopped: \(error)") }
                return
            }
        }
    }

    private func record(_ decision: ZAP.Decision, address: String, refusals: inout LogThrottle) {
        switch decision {
        case .allow(let key):
            counts.withLock { $0.allowed += 1 }
            logger.info(
                "peer authenticated",
                metadata: [
                    "key": "\(key.name)", "address": "\(address)",
                    "roles": "\(key.roles)",
                ])
        case .deny(_, let reason):
            counts.withLock { $0.denied += 1 }
            guard let held = refusals.admit("\(address) \(reason)", now: Date().timeIntervalSince1970) else { return }
            logger.warning(
                "peer refused (repeats from it are not logged for a minute)",
                metadata: ["address": "\(address)", "reason": "\(reason)", "repeats_not_logged": "\(held)"])
        }
    }
}
