import Dispatch
import Synchronization

/// Runs async work from one of the broker's own threads (never a cooperative-pool thread) and waits for
/// it: the broker loop is synchronous, postgres-nio is not.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Mutex<Result<T, any Error>?>(nil)
    let finished = DispatchSemaphore(value: 0)
    Task {
        do {
            let value = try await body()
            outcome.withLock { $0 = .success(value) }
        } catch {
            outcome.withLock { $0 = .failure(error) }
        }
        finished.signal()
    }
    finished.wait()
    return try outcome.withLock { $0! }.get()
}

/// Closes `close`'s target when `body` has not finished within `milliseconds`: postgres-nio does not stop
/// a query when its task is cancelled, so a server that stops answering would hold the caller for as long
/// as TCP takes to notice. Closing the connection fails the query at once.
func closing<T: Sendable>(
    after milliseconds: Int, _ close: @escaping @Sendable () async -> Void,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let watchdog = Task {
        try await Task.sleep(for: .milliseconds(milliseconds))
        await close()
    }
    defer { watchdog.cancel() }
    return try await body()
}
