/// Bounds an async call in time: the call is cancelled, and ``Deadline/Exceeded`` thrown, when it
/// has not finished within the limit.
package enum Deadline {
    package struct Exceeded: Error, CustomStringConvertible {
        let limit: Duration
        let what: String
        package var description: String { "\(what) did not answer within \(limit.components.seconds) s" }
    }

    package static func run<T: Sendable>(
        within limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw Exceeded(limit: limit, what: what)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }
}
