import DocProtocol
import Foundation
import Testing

@testable import DocBroker

/// What a standby answers, without sockets: workers are sent away, clients told where the active broker
/// is, and status says standby.
@Suite struct StandbyResponderTests {
    let responder = StandbyResponder(endpoint: "tcp://b:5555", version: "test", startedAt: Date())
    let failover = FailoverStatus(
        journal: "postgres", roleSince: 10, activeEndpoint: "tcp://a:5555", activeSince: 5,
        leaseEpoch: 3, failovers: 1, lastFailoverAt: 5)

    @Test func workersOfEitherProtocolVersionGetDisconnect() {
        #expect(responder.answer(MDP.ready(service: "extractor"), failover: failover) == MDP.disconnect)
        #expect(responder.answer(MDP.heartbeat, failover: failover) == MDP.disconnect)
        #expect(
            responder.answer(MDP.ready(service: "x", version: .v02Delimited), failover: failover)
                == MDP.disconnect(.v02Delimited))
        #expect(responder.answer(MDP.disconnect, failover: failover) == nil)
        #expect(responder.answer([Data("garbage".utf8)], failover: failover) == nil)
    }

    @Test func clientsGetA503StandbyNamingTheActiveBroker() throws {
        let frames = try #require(
            responder.answer(
                MDP.clientRequest(service: ServiceName.submit, body: [Data("{}".utf8)]), failover: failover))
        let reply = try MDP.decodeAtClient(frames)
        #expect(reply.service == ServiceName.submit)
        let error = try WireJSON.decode(ErrorReply.self, from: reply.body[0])
        #expect(error.status == .busy && error.reason == "standby" && error.retryAfterMs == 500)
        #expect(error.message.contains("tcp://a:5555"))
    }

    @Test func statusSaysStandbyWithTheLeaseView() throws {
        let frames = try #require(
            responder.answer(
                MDP.clientRequest(service: ServiceName.status, body: [Data("{}".utf8)]), failover: failover))
        let status = try WireJSON.decode(BrokerStatus.self, from: try MDP.decodeAtClient(frames).body[0])
        #expect(status.role == .standby && status.failover == failover && status.endpoint == "tcp://b:5555")
    }
}
