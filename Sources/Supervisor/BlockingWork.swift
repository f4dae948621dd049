package import Foundation
package import ServiceLifecycle
package import Synchronization

/// Blocking work inside a service — ZeroMQ calls with timeouts, waits on child processes — run on its own
/// thread, never on the cooperative pool. When the service group shuts down (Ctrl-C, SIGTERM, or a failed
/// broker cancelling it),
/// `interrupt` runs and the caller stops waiting at once with `Interrupted`; the thread is left to finish
/// its current call (its sockets time out), since a blocking call cannot be cancelled from outside.
package enum BlockingWork {
    package static func run<T: Sendable>(
        name: String, _ work: @escaping @Sendable () throws -> T, interrupt: @escaping @Sendable () -> Void
    ) async throws -> T {
        let answer = OneAnswer<T>()
        return try await withTaskCancellationOrGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { continuation in
                answer.wait(with: continuation)
                let thread = Thread { answer.give(Result { try work() }) }
                thread.name = name
                thread.start()
            }
        } onCancelOrGracefulShutdown: {
            interrupt()
            answer.give(.failure(Interrupted()))
        }
    }

    /// The group was asked to stop (Ctrl-C, SIGTERM) while the work was running.
    package struct Interrupted: Error, CustomStringConvertible {
        package var description: String { "interrupted" }
    }
}

/// The first of two racing outcomes (the work's result, an interruption) resumes the continuation; the
/// later one is dropped. An answer given before the continuation is there (a shutdown already under way
/// when the work starts) waits for it.
private final class OneAnswer<T: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<T, any Error>)
        case given(Result<T, any Error>)
        case done
    }

    private let state = Mutex<State>(.empty)

    package func wait(with continuation: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = state.withLock { state in
            guard case .given(let result) = state else {
                state = .waiting(continuation)
                return nil
            }
            state = .done
            return result
        }
        if let early { continuation.resume(with: early) }
    }

    package func give(_ result: Result<T, any Error>) {
        let waiting: CheckedContinuation<T, any Error>? = state.withLock { state in
            switch state {
            case .empty:
                state = .given(result)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .given, .done:
                return nil
            }
        }
        waiting?.resume(with: result)
    }
}
