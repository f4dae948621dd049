import DocProtocol
import Foundation
import Testing

@testable import BrokerCore

/// The stage token a worker echoes: a zero byte, `s`, and the dispatch's number as 8 bytes big-endian — ten
/// bytes, so `Data` keeps it inline (no allocation where it is made or where a reply brings it back).
@Suite struct StageTokenTests {
    @Test(arguments: [0, 1, 255, 256, 0x0102_0304_0506_0708, UInt64.max])
    func theTokenSpellsTheDispatchNumber(number: UInt64) {
        let token = RequestOrigin.stageToken(number)
        var expected = Data([0, UInt8(ascii: "s")])
        for shift in stride(from: 56, through: 0, by: -8) {
            expected.append(UInt8(truncatingIfNeeded: number >> shift))
        }
        #expect(token == expected)
        #expect(RequestOrigin.isStageEnvelope(token))
    }

    @Test func clientAddressesAreNotStageTokens() {
        // libzmq's own routing ids (a zero byte and four more), a chosen id, and near misses of the token.
        for address in [
            Data([0, 0x80, 0, 0, 0x29]), Data("client-1".utf8), Data([0, UInt8(ascii: "s"), 1, 2]),
            Data([0, UInt8(ascii: "t")] + [UInt8](repeating: 1, count: 8)), Data([UInt8](repeating: 0, count: 10)),
        ] {
            #expect(!RequestOrigin.isStageEnvelope(address), "\(Array(address))")
        }
    }

    @Test func aRoutersTokensDifferAcrossRunsAndDispatches() {
        // Each router numbers its dispatches from its own random base, so a reply a worker kept across a broker
        // restart cannot match a new dispatch.
        func tokens(_ router: inout RouterStateMachine) -> [Data] {
            (1...3).map { ticket in
                _ = router.enqueue(service: "s", origin: .stage(jobID: "job-1", ticket: ticket), body: [], now: 0)
                return router.services["s"]?.popFirst()?.envelope ?? Data()
            }
        }
        var first = RouterStateMachine()
        var second = RouterStateMachine()
        let one = tokens(&first)
        let two = tokens(&second)
        #expect(Set(one + two).count == 6)
        #expect((one + two).allSatisfy(RequestOrigin.isStageEnvelope))
    }
}
