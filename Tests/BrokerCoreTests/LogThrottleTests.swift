import BrokerCore
import Testing

@Suite struct LogThrottleTests {
    @Test func firstOfAKindThenOnePerWindowWithTheCountHeldBack() {
        var throttle = LogThrottle(window: 60)
        #expect(throttle.admit("busy", now: 0) == 0)
        #expect(throttle.admit("busy", now: 1) == nil)
        #expect(throttle.admit("busy", now: 59.9) == nil)
        // Another kind is not held back by the first.
        #expect(throttle.admit("bad_json", now: 2) == 0)
        // After the window the next one is written and says two were held back.
        #expect(throttle.admit("busy", now: 60) == 2)
        #expect(throttle.admit("busy", now: 61) == nil)
        #expect(throttle.admit("busy", now: 200) == 1)
    }

    @Test func memoryStaysBoundedWhateverTheKinds() {
        var throttle = LogThrottle(window: 60, capacity: 3)
        for index in 0..<10 { #expect(throttle.admit("kind-\(index)", now: 0) == 0) }
        // The memory was cleared along the way, so an early kind is written again rather than held.
        #expect(throttle.admit("kind-0", now: 1) == 0)
    }
}
