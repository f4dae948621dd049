import BrokerCore
import Testing

/// Job ids are `job-` and eleven base-32 digits, fifteen bytes (kept inline by Swift's String), and the
/// generator never returns an id the broker says it still knows.
@Suite struct JobIDTests {
    /// A generator that replays fixed numbers, so the collision path can be driven.
    struct Replay: RandomNumberGenerator {
        var values: [UInt64]
        mutating func next() -> UInt64 { values.removeFirst() }
    }

    @Test func digitsAreTheLowFiftyFiveBitsMostSignificantFirst() {
        #expect(JobID.make(from: 0) == "job-00000000000")
        #expect(JobID.make(from: 31) == "job-0000000000v")
        #expect(JobID.make(from: 32) == "job-00000000010")
        #expect(JobID.make(from: (1 << 55) - 1) == "job-vvvvvvvvvvv")
        // Bits above the 55th are not used: the id does not grow.
        #expect(JobID.make(from: .max) == "job-vvvvvvvvvvv")
        #expect(JobID.make(from: 1 << 55) == "job-00000000000")
    }

    @Test func everyIdIsFifteenBytesOfLowerCaseDigitsAndLetters() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let id = JobID.next(using: &random) { _ in false }
            #expect(id.utf8.count == 15)
            #expect(id.hasPrefix("job-"))
            #expect(id.dropFirst(4).allSatisfy { $0.isNumber || ("a"..."v").contains($0) }, "\(id)")
        }
    }

    @Test func anIdTheBrokerStillKnowsIsDrawnAgain() {
        let known: Set = [JobID.make(from: 7), JobID.make(from: 8)]
        var random = Replay(values: [7, 8, 7, 9])
        var asked: [String] = []
        let id = JobID.next(using: &random) { candidate in
            asked.append(candidate)
            return known.contains(candidate)
        }
        #expect(id == JobID.make(from: 9))
        #expect(asked.count == 4)
    }
}
