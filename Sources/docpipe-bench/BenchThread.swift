import Foundation
import Synchronization

/// A dedicated OS thread that can be joined with a timeout, and that hands back the error it ended with.
///
/// Blocking socket loops must not run on Swift's cooperative pool, and Foundation's `Thread` has no join.
final class BenchThread: Sendable {
    /// Shared with the thread's closure, which cannot capture the non-copyable `Mutex` itself.
    private final class Outcome: Sendable {
        let finished = DispatchSemaphore(value: 0)
        let failure = Mutex<String?>(nil)
    }

    let name: String
    private let outcome = Outcome()
    private var finished: DispatchSemaphore { outcome.finished }

    /// Starts `body` on a new thread at once.
    init(name: String, _ body: @escaping @Sendable () throws -> Void) {
        self.name = name
        let thread = Thread { [outcome] in
            do {
                try body()
            } catch {
                outcome.failure.withLock { $0 = "\(error)" }
            }
            outcome.finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Waits for the thread to end; false if it is still running after `seconds`.
    func join(timeoutSeconds seconds: Double) -> Bool {
        guard finished.wait(timeout: .now() + seconds) == .success else { return false }
        // Let later joins (and `isFinished`) see it too.
        finished.signal()
        return true
    }

    /// True once the body has returned or thrown.
    var isFinished: Bool { join(timeoutSeconds: 0) }

    /// What the body threw, once it has ended.
    var error: String? { outcome.failure.withLock { $0 } }
}

/// A flag one thread raises and others poll, to ask loops to finish.
final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    func raise() { raised.store(true, ordering: .relaxed) }
    var isRaised: Bool { raised.load(ordering: .relaxed) }
}

/// CLOCK_MONOTONIC in nanoseconds: one clock for the whole machine, so a worker process's timestamp
/// and the bench's can be subtracted.
func monotonicNanos() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// A failed or stuck benchmark phase; the message says what did not happen in time.
struct BenchError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
