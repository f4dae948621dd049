import DocStorePostgres
import Foundation
import Synchronization
import Testing

/// A bounded store call must end at its deadline even when what it waits on ignores cancellation (a request
/// on a connection that died with the server): the caller gets `Exceeded` while the call is still running.
struct DeadlineTests {
    @Test func aCallThatIgnoresCancellationStillEndsAtTheDeadline() async throws {
        let finished = Atomic<Bool>(false)
        await #expect(throws: Deadline.Exceeded.self) {
            try await Deadline.run(within: .milliseconds(100), what: "a stuck call") {
                // Deaf to cancellation: spins for 3 s whatever happens.
                let end = Date().addingTimeInterval(3)
                while Date() < end { await Task.yield() }
                finished.store(true, ordering: .relaxed)
                return 1
            }
        }
        let stuckCallEnded = finished.load(ordering: .relaxed)
        #expect(!stuckCallEnded, "the caller waited for the stuck call to end")
    }

    @Test func aCallThatAnswersInTimeGivesItsAnswer() async throws {
        let value = try await Deadline.run(within: .seconds(5), what: "a quick call") { 42 }
        #expect(value == 42)
    }
}
