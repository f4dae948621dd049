import DocProtocol
import Foundation
import Testing

/// MDP/0.1 frames exactly as RFC 7 and protocol/SPEC.md lay them out.
@Suite struct MDPBuilderTests {
    @Test func clientRequestAndReply() {
        let body = [Data("{}".utf8)]
        #expect(
            MDP.clientRequest(service: "docpipe.status", body: body) == frames(empty, "MDPC01", "docpipe.status", "{}"))
        #expect(
            MDP.clientReply(service: "docpipe.status", body: body) == frames(empty, "MDPC01", "docpipe.status", "{}"))
    }

    @Test func workerCommands() {
        #expect(MDP.ready(service: "extractor") == frames(empty, "MDPW01", UInt8(0x01), "extractor"))
        #expect(
            MDP.request(client: token, body: [Data("x".utf8)])
                == frames(empty, "MDPW01", UInt8(0x02), token, empty, "x"))
        #expect(
            MDP.reply(client: token, body: [Data("y".utf8)]) == frames(empty, "MDPW01", UInt8(0x03), token, empty, "y"))
        #expect(MDP.heartbeat == frames(empty, "MDPW01", UInt8(0x04)))
        #expect(MDP.disconnect == frames(empty, "MDPW01", UInt8(0x05)))
    }

    @Test func commandBytes() {
        #expect(MDP.Command.allCases.map(\.rawValue) == [1, 2, 3, 4, 5])
        #expect(MDP.clientHeader == Data("MDPC01".utf8) && MDP.workerHeader == Data("MDPW01".utf8))
    }

    @Test func reservedServiceNames() {
        #expect(ServiceName.isReserved("mmi.service"))
        #expect(ServiceName.isReserved("mmi.anything"))
        #expect(ServiceName.isReserved(ServiceName.submit) && ServiceName.isReserved(ServiceName.job))
        #expect(ServiceName.isReserved(ServiceName.status))
        #expect(!ServiceName.isReserved("extractor") && !ServiceName.isReserved("storage-writer"))
        #expect(!ServiceName.isReserved("mmi") && !ServiceName.isReserved("docpipe"))
    }
}

@Suite struct MDPDecodeTests {
    @Test func brokerDecodesEveryInboundMessage() throws {
        #expect(
            try MDP.decodeAtBroker(MDP.clientRequest(service: "docpipe.job", body: [Data("{}".utf8)]))
                == .clientRequest(service: "docpipe.job", body: [Data("{}".utf8)]))
        #expect(
            try MDP.decodeAtBroker(MDP.clientRequest(service: "echo", body: []))
                == .clientRequest(service: "echo", body: []))
        #expect(try MDP.decodeAtBroker(MDP.ready(service: "extractor")) == .ready(service: "extractor"))
        #expect(
            try MDP.decodeAtBroker(MDP.reply(client: token, body: [Data("r".utf8)]))
                == .reply(client: token, body: [Data("r".utf8)]))
        #expect(try MDP.decodeAtBroker(MDP.heartbeat) == .heartbeat)
        #expect(try MDP.decodeAtBroker(MDP.disconnect) == .disconnect)
    }

    @Test func workerDecodesEveryInboundMessage() throws {
        let body = [Data("a".utf8), Data("b".utf8)]
        #expect(try MDP.decodeAtWorker(MDP.request(client: token, body: body)) == .request(client: token, body: body))
        #expect(try MDP.decodeAtWorker(MDP.heartbeat) == .heartbeat)
        #expect(try MDP.decodeAtWorker(MDP.disconnect) == .disconnect)
    }

    @Test func clientDecodesWithOrWithoutTheEmptyFrame() throws {
        let reply = MDP.clientReply(service: "mmi.service", body: [Data("200".utf8)])
        for message in [reply, Array(reply.dropFirst())] {
            let decoded = try MDP.decodeAtClient(message)
            #expect(decoded.service == "mmi.service" && decoded.body == [Data("200".utf8)])
        }
    }

    private func brokerRejects(
        _ message: [Data], saying words: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectBadFrame(saying: words, sourceLocation: sourceLocation) { _ = try MDP.decodeAtBroker(message) }
    }

    @Test func brokerRejectsMalformedMessages() {
        brokerRejects(frames(empty, "MDPX01", "echo", "body"), saying: "unknown protocol header")
        brokerRejects(frames(empty, "MDPW02", UInt8(0x01), "echo"), saying: "unknown protocol header")
        brokerRejects(frames(empty, "MDPW01", UInt8(0x09)), saying: "unknown worker command 0x9")
        brokerRejects([], saying: "at least 2 frames")
        brokerRejects([empty], saying: "at least 2 frames")
        brokerRejects(frames("x", "MDPC01", "echo"), saying: "first frame must be empty")
        brokerRejects(frames(empty, "MDPC01"), saying: "without a service")
        brokerRejects(frames(empty, "MDPC01", ""), saying: "service name is empty")
        brokerRejects(frames(empty, "MDPC01", Data([0xff, 0xfe])), saying: "not UTF-8")
        brokerRejects(frames(empty, "MDPW01"), saying: "command byte")
        brokerRejects(frames(empty, "MDPW01", Data([0x01, 0x01]), "echo"), saying: "command byte")
        brokerRejects(frames(empty, "MDPW01", UInt8(0x01)), saying: "READY needs")
        brokerRejects(frames(empty, "MDPW01", UInt8(0x01), ""), saying: "READY needs")
        brokerRejects(frames(empty, "MDPW01", UInt8(0x01), "a", "b", "c"), saying: "READY needs")
        brokerRejects(frames(empty, "MDPW01", UInt8(0x03), token, "not-empty", "body"), saying: "REPLY needs")
        brokerRejects(frames(empty, "MDPW01", UInt8(0x03), token), saying: "REPLY needs")
        brokerRejects(frames(empty, "MDPW01", UInt8(0x03), empty, empty, "body"), saying: "REPLY needs")
        brokerRejects(frames(empty, "MDPW01", UInt8(0x04), "extra"), saying: "HEARTBEAT")
        brokerRejects(MDP.request(client: token, body: []), saying: "REQUEST")
    }

    @Test func workerRejectsMalformedMessages() {
        let bad: [[Data]] = [
            [],
            frames(empty, "MDPW01"),
            frames(empty, "MDPC01", UInt8(0x02), token, empty),
            frames("x", "MDPW01", UInt8(0x04)),
            frames(empty, "MDPW01", UInt8(0x09)),
            frames(empty, "MDPW01", UInt8(0x01), "extractor"),
            frames(empty, "MDPW01", UInt8(0x03), token, empty),
            frames(empty, "MDPW01", UInt8(0x02), token),
            frames(empty, "MDPW01", UInt8(0x02), token, "not-empty", "body"),
        ]
        for message in bad {
            #expect(throws: ProtocolError.self, "\(message.map(MDP.printable))") { try MDP.decodeAtWorker(message) }
        }
    }

    @Test func clientRejectsMalformedReplies() {
        #expect(throws: ProtocolError.self) { try MDP.decodeAtClient([]) }
        #expect(throws: ProtocolError.self) { try MDP.decodeAtClient(frames(empty, "MDPC01")) }
        #expect(throws: ProtocolError.self) { try MDP.decodeAtClient(frames(empty, "MDPW01", "echo", "x")) }
        #expect(throws: ProtocolError.self) { try MDP.decodeAtClient(frames("MDPC01", Data([0xff]), "x")) }
    }

    @Test func printableFramesStayShort() {
        #expect(MDP.printable(Data("MDPW01".utf8)) == "MDPW01")
        #expect(MDP.printable(Data([0x00, 0x01])) == "0001")
        #expect(MDP.printable(Data(repeating: 0x41, count: 40)) == String(repeating: "A", count: 16) + "…")
    }
}
