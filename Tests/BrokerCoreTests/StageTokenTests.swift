import Foundation
import Testing

@testable import BrokerCore

/// The stage token a worker echoes is `\0stage:<job id>:<ticket>`, byte for byte, whatever the lengths.
@Suite struct StageTokenTests {
    @Test(arguments: [0, 1, 9, 10, 99, 100, 12_345, Int.max, -1, -42, Int.min])
    func theTokenSpellsTheJobAndTheTicket(ticket: Int) {
        for jobID in ["job-0123456789a", "job-7f3a9c2e41d05b86", "", "ä-jöb"] {
            let expected = Data([0]) + Data("stage:\(jobID):\(ticket)".utf8)
            #expect(RequestOrigin.stage(jobID: jobID, ticket: ticket).envelope == expected, "\(jobID) \(ticket)")
            #expect(RequestOrigin.isStageEnvelope(RequestOrigin.stageToken(jobID: jobID, ticket: ticket)))
        }
    }
}
