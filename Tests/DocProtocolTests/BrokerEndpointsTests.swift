import DocProtocol
import Foundation
import Testing

/// `--broker a,b`: parsing the list, moving round it, and knowing a standby's refusal when one comes.
struct BrokerEndpointsTests {
    @Test func aListIsSplitOnCommasTrimmedAndEmptiesDropped() throws {
        #expect(BrokerEndpoints.parse("tcp://a:1") == ["tcp://a:1"])
        #expect(BrokerEndpoints.parse(" tcp://a:1 , tcp://b:2,") == ["tcp://a:1", "tcp://b:2"])
        #expect(BrokerEndpoints.parse("ipc:///tmp/x.sock,,tcp://b:2") == ["ipc:///tmp/x.sock", "tcp://b:2"])
        #expect(BrokerEndpoints("") == nil)
        #expect(BrokerEndpoints(" , ") == nil)
        let one = try #require(BrokerEndpoints("tcp://a:1"))
        #expect(!one.isList)
        #expect(one.current == "tcp://a:1")
    }

    @Test func advancingGoesRoundRobinAndOneEndpointStaysPut() throws {
        var list = try #require(BrokerEndpoints("tcp://a:1,tcp://b:2,tcp://c:3"))
        #expect(list.isList && list.count == 3)
        #expect(list.current == "tcp://a:1")
        #expect(list.advance() == "tcp://b:2")
        #expect(list.advance() == "tcp://c:3")
        #expect(list.advance() == "tcp://a:1")
        #expect(list.index == 0)
        var one = try #require(BrokerEndpoints("tcp://a:1"))
        #expect(one.advance() == "tcp://a:1")
        #expect(one.advance() == "tcp://a:1")
    }

    @Test func onlyA503StandbyIsAStandbyRefusal() throws {
        let standby = ErrorReply(
            status: .busy, reason: "standby",
            message: "this broker is a standby; the active broker is tcp://b:2", retryAfterMs: 500)
        #expect(standby.isStandby)
        #expect(!ErrorReply(status: .busy, reason: "busy", message: "queue full", retryAfterMs: 500).isStandby)
        #expect(!ErrorReply(status: StatusCode(500), reason: "standby", message: "?").isStandby)
        // The wire form the broker sends decodes to the same.
        let wire =
            #"{"v":1,"status":503,"reason":"standby","#
            + #""message":"this broker is a standby; the active broker is tcp://b:2","retry_after_ms":500}"#
        #expect(try WireJSON.decode(ErrorReply.self, from: Data(wire.utf8)).isStandby)
    }

    @Test func aBrokerIsActiveUnlessItSaysStandby() {
        var status = BrokerStatus(
            version: "0.5.0", endpoint: "tcp://a:1", uptimeSeconds: 1, workers: 0, services: [],
            pipelines: [:], jobs: .init(accepted: 0, queued: 0, running: 0, done: 0, failed: 0),
            counters: [:])
        #expect(status.isActive)
        status.role = .active
        #expect(status.isActive)
        status.role = .standby
        #expect(!status.isActive)
    }
}
