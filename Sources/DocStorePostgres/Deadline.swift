import Synchronization

/// Bounds an async call in time: the caller gets the call's result, or `Exceeded` once `limit` has passed.
///
/// The call runs in its own task, cancelled at the deadline but not waited for. A task group would wait for
/// all its children before returning, so a call that ignores cancellation (a postgres-nio request on a
/// connection that died with the server) kept the "bounded" call open as long as it liked: CI saw a storage
/// writer hold a document for minutes after a PostgreSQL restart.
package enum Deadline {
    package struct Exceeded: Error, CustomStringConvertible {
        let limit: Duration
        let what: String
        package var description: String { "\(what) did not answer within \(limit.components.seconds) s" }
    }

    package static func run<T: Sendable>(
        within limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                race.start(continuation)
                let work = Task {
                    do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
                }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    race.finish(.failure(Exceeded(limit: limit, what: what)))
                }
                race.onFinish {
                    work.cancel()
                    timer.cancel()
                }
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// The first of the call, the timer and a cancellation to finish resumes the caller; the rest are ignored.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var outcome: Result<T, any Error>?
            var cleanup: (@Sendable () -> Void)?
        }
        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            let early = state.withLock { state -> Result<T, any Error>? in
                if let outcome = state.outcome { return outcome }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(with: early) } // cancelled before it began
        }

        func finish(_ outcome: Result<T, any Error>) {
            let (continuation, cleanup) = state.withLock {
                state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
                guard state.outcome == nil else { return (nil, nil) }
                state.outcome = outcome
                let taken = (state.continuation, state.cleanup)
                state.continuation = nil
                state.cleanup = nil
                return taken
            }
            continuation?.resume(with: outcome)
            cleanup?()
        }

        func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
            let finished = state.withLock { state -> Bool in
                if state.outcome != nil { return true }
                state.cleanup = cleanup
                return false
            }
            if finished { cleanup() }
        }
    }
}
