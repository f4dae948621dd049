import DocProtocol
import Foundation
import Testing

private let body = Data(#"{"v":1}"#.utf8)

private func brokerRejects(_ message: [Data], saying words: String, sourceLocation: SourceLocation = #_sourceLocation) {
    expectBadFrame(saying: words, sourceLocation: sourceLocation) { _ = try MDP.decodeAnyAtBroker(message) }
}

/// MDP/0.2 frames as protocol/SPEC.md ("MDP/0.2") lays them out, in both dialects: RFC 18 as written
/// (no empty delimiter; client commands 0x01–0x03) and the delimited dialect majortomo speaks (a leading
/// empty frame; client commands numbered like the worker's; no service frame in replies to clients).
@Suite struct MDP02BuilderTests {
    @Test func headers() {
        #expect(MDP.clientHeader02 == Data("MDPC02".utf8) && MDP.workerHeader02 == Data("MDPW02".utf8))
    }

    @Test func clientRequests() {
        #expect(
            MDP.clientRequest(service: "echo", body: [body], version: .v02)
                == frames("MDPC02", UInt8(0x01), "echo", body))
        #expect(
            MDP.clientRequest(service: "echo", body: [body], version: .v02Delimited)
                == frames(empty, "MDPC02", UInt8(0x02), "echo", body))
        #expect(
            MDP.clientRequest(service: "echo", body: [body], version: .v01)
                == MDP.clientRequest(service: "echo", body: [body]))
    }

    @Test func repliesToClients() {
        // RFC 18: FINAL 0x03 and PARTIAL 0x02, with the service frame.
        #expect(
            MDP.clientReply(service: "echo", body: [body], version: .v02) == frames("MDPC02", UInt8(0x03), "echo", body)
        )
        #expect(
            MDP.clientReply(service: "echo", body: [body], version: .v02, final: false)
                == frames("MDPC02", UInt8(0x02), "echo", body))
        // Delimited: FINAL 0x04 and PARTIAL 0x03, without the service frame.
        #expect(
            MDP.clientReply(service: "echo", body: [body], version: .v02Delimited)
                == frames(empty, "MDPC02", UInt8(0x04), body))
        #expect(
            MDP.clientReply(service: "echo", body: [body], version: .v02Delimited, final: false)
                == frames(empty, "MDPC02", UInt8(0x03), body))
        // MDP/0.1 has only the one reply; `final` does not change it.
        let plain = MDP.clientReply(service: "echo", body: [body])
        #expect(MDP.clientReply(service: "echo", body: [body], version: .v01) == plain)
        #expect(MDP.clientReply(service: "echo", body: [body], version: .v01, final: false) == plain)
        // Several body frames stay several frames.
        #expect(
            MDP.clientReply(service: "s", body: [Data("a".utf8), Data("b".utf8)], version: .v02)
                == frames("MDPC02", UInt8(0x03), "s", "a", "b"))
    }

    @Test func workerCommandsInBothDialects() {
        for (version, lead) in [(MDP.Version.v02, [Data]()), (.v02Delimited, [empty])] {
            #expect(
                MDP.ready(service: "extractor", version: version) == lead + frames("MDPW02", UInt8(0x01), "extractor"))
            #expect(
                MDP.request(client: token, body: [body], version: version)
                    == lead + frames("MDPW02", UInt8(0x02), token, empty, body))
            #expect(
                MDP.reply(client: token, body: [body], version: version, final: false)
                    == lead + frames("MDPW02", UInt8(0x03), token, empty, body))
            #expect(
                MDP.reply(client: token, body: [body], version: version)
                    == lead + frames("MDPW02", UInt8(0x04), token, empty, body))
            #expect(MDP.heartbeat(version) == lead + frames("MDPW02", UInt8(0x05)))
            #expect(MDP.disconnect(version) == lead + frames("MDPW02", UInt8(0x06)))
        }
    }

    @Test func version01BuildersAreTheMDP01Ones() {
        #expect(MDP.ready(service: "x", version: .v01) == MDP.ready(service: "x"))
        #expect(MDP.request(client: token, body: [body], version: .v01) == MDP.request(client: token, body: [body]))
        #expect(MDP.reply(client: token, body: [body], version: .v01) == MDP.reply(client: token, body: [body]))
        #expect(
            MDP.reply(client: token, body: [body], version: .v01, final: false)
                == MDP.reply(client: token, body: [body]))
        #expect(MDP.heartbeat(.v01) == MDP.heartbeat && MDP.disconnect(.v01) == MDP.disconnect)
    }
}

@Suite struct MDP02DecodeTests {
    @Test func clientRequestsInEachDialect() throws {
        #expect(
            try MDP.decodeAnyAtBroker(frames("MDPC02", UInt8(0x01), "docpipe.status", "{}"))
                == (.clientRequest(service: "docpipe.status", body: [Data("{}".utf8)]), .v02))
        #expect(
            try MDP.decodeAnyAtBroker(frames(empty, "MDPC02", UInt8(0x02), "docpipe.status", "{}"))
                == (.clientRequest(service: "docpipe.status", body: [Data("{}".utf8)]), .v02Delimited))
        #expect(
            try MDP.decodeAnyAtBroker(frames("MDPC02", UInt8(0x01), "mmi.service")) == (
                .clientRequest(service: "mmi.service", body: []), .v02
            ))
        #expect(
            try MDP.decodeAnyAtBroker(frames(empty, "MDPC01", "echo", "x")) == (
                .clientRequest(service: "echo", body: [Data("x".utf8)]), .v01
            ))
    }

    @Test func workerMessagesInEachDialect() throws {
        for (version, lead) in [(MDP.Version.v02, [Data]()), (.v02Delimited, [empty])] {
            func decode(_ rest: [Data]) throws -> MDP.BrokerInbound {
                let (message, seen) = try MDP.decodeAnyAtBroker(lead + rest)
                #expect(seen == version)
                return message
            }
            #expect(try decode(frames("MDPW02", UInt8(0x01), "extractor")) == .ready(service: "extractor"))
            #expect(
                try decode(frames("MDPW02", UInt8(0x03), token, empty, "part"))
                    == .partial(client: token, body: [Data("part".utf8)]))
            #expect(
                try decode(frames("MDPW02", UInt8(0x04), token, empty, "a", "b"))
                    == .reply(client: token, body: [Data("a".utf8), Data("b".utf8)]))
            #expect(try decode(frames("MDPW02", UInt8(0x04), token, empty)) == .reply(client: token, body: []))
            #expect(try decode(frames("MDPW02", UInt8(0x05))) == .heartbeat)
            #expect(try decode(frames("MDPW02", UInt8(0x06))) == .disconnect)
        }
    }

    @Test func everyBuilderRoundTripsInItsOwnDialect() throws {
        for version in [MDP.Version.v01, .v02, .v02Delimited] {
            #expect(
                try MDP.decodeAnyAtBroker(MDP.clientRequest(service: "echo", body: [body], version: version))
                    == (.clientRequest(service: "echo", body: [body]), version))
            #expect(
                try MDP.decodeAnyAtBroker(MDP.ready(service: "echo", version: version)) == (
                    .ready(service: "echo"), version
                ))
            #expect(
                try MDP.decodeAnyAtBroker(MDP.reply(client: token, body: [body], version: version))
                    == (.reply(client: token, body: [body]), version))
            #expect(try MDP.decodeAnyAtBroker(MDP.heartbeat(version)) == (.heartbeat, version))
            #expect(try MDP.decodeAnyAtBroker(MDP.disconnect(version)) == (.disconnect, version))
        }
        for version in [MDP.Version.v02, .v02Delimited] {
            #expect(
                try MDP.decodeAnyAtBroker(MDP.reply(client: token, body: [body], version: version, final: false))
                    == (.partial(client: token, body: [body]), version))
        }
    }

    @Test func mdp01StillDecodesThroughTheSameEntryPoint() throws {
        #expect(try MDP.decodeAnyAtBroker(MDP.ready(service: "extractor")) == (.ready(service: "extractor"), .v01))
        #expect(
            try MDP.decodeAnyAtBroker(MDP.reply(client: token, body: [body])) == (
                .reply(client: token, body: [body]), .v01
            ))
        #expect(try MDP.decodeAnyAtBroker(MDP.heartbeat) == (.heartbeat, .v01))
    }

    @Test func rejectsMalformedClientMessages() {
        brokerRejects([], saying: "empty message")
        brokerRejects(frames("MDPC02"), saying: "not a REQUEST")
        brokerRejects(frames("MDPC02", UInt8(0x01)), saying: "not a REQUEST")
        brokerRejects(frames("MDPC02", UInt8(0x01), ""), saying: "service name is empty")
        brokerRejects(frames("MDPC02", UInt8(0x01), Data([0xff, 0xfe])), saying: "not UTF-8")
        // Each dialect has its own REQUEST byte; the other dialect's is not a request.
        brokerRejects(frames("MDPC02", UInt8(0x02), "echo"), saying: "not a REQUEST")
        brokerRejects(frames(empty, "MDPC02", UInt8(0x01), "echo"), saying: "not a REQUEST")
        // Replies only go to clients.
        brokerRejects(frames("MDPC02", UInt8(0x03), "echo", "x"), saying: "not a REQUEST")
        brokerRejects(frames(empty, "MDPC02", UInt8(0x04), "x"), saying: "not a REQUEST")
        brokerRejects(frames("MDPC02", Data([0x00, 0x01]), "echo"), saying: "not a REQUEST")
    }

    @Test func rejectsMalformedWorkerMessages() {
        for lead in [[Data](), [empty]] {
            brokerRejects(lead + frames("MDPW02"), saying: "command byte")
            brokerRejects(lead + frames("MDPW02", UInt8(0x00)), saying: "command byte")
            brokerRejects(lead + frames("MDPW02", UInt8(0x07)), saying: "command byte")
            brokerRejects(lead + frames("MDPW02", UInt8(0x09)), saying: "command byte")
            brokerRejects(lead + frames("MDPW02", Data([0x01, 0x01]), "echo"), saying: "command byte")
            brokerRejects(lead + frames("MDPW02", UInt8(0x01)), saying: "READY needs")
            brokerRejects(lead + frames("MDPW02", UInt8(0x01), ""), saying: "READY needs")
            brokerRejects(lead + frames("MDPW02", UInt8(0x01), Data([0xff])), saying: "READY needs")
            // docpipe's identity frame is an MDP/0.1 extension; an MDP/0.2 READY has exactly the service frame.
            brokerRejects(lead + frames("MDPW02", UInt8(0x01), "echo", #"{"pid":1}"#), saying: "READY needs")
            brokerRejects(
                lead + frames("MDPW02", UInt8(0x02), token, empty, "x"), saying: "REQUEST is sent by the broker")
            for command in [UInt8(0x03), UInt8(0x04)] {
                brokerRejects(lead + frames("MDPW02", command, token), saying: "PARTIAL/FINAL needs")
                brokerRejects(lead + frames("MDPW02", command, token, "not-empty", "x"), saying: "PARTIAL/FINAL needs")
                brokerRejects(lead + frames("MDPW02", command, empty, empty, "x"), saying: "PARTIAL/FINAL needs")
            }
            brokerRejects(lead + frames("MDPW02", UInt8(0x05), "extra"), saying: "HEARTBEAT")
        }
        // The MDP/0.1 command bytes are not the 0.2 ones: a 0.1 HEARTBEAT byte under MDPW02 is a FINAL without frames.
        brokerRejects(frames("MDPW02", UInt8(0x04)), saying: "PARTIAL/FINAL needs")
        // Headers neither generation knows, with or without the delimiter.
        brokerRejects(frames("MDPW03", UInt8(0x01), "echo"), saying: "first frame must be empty")
        brokerRejects(frames(empty, "MDPW03", UInt8(0x01), "echo"), saying: "unknown protocol header")
        brokerRejects(frames(empty, "MDPC03", "echo"), saying: "unknown protocol header")
    }

    @Test func decodeAtBrokerAloneIsMDP01Only() {
        // The 0.1 decoder does not learn 0.2; `decodeAnyAtBroker` is the broker's entry point.
        #expect(throws: ProtocolError.self) { try MDP.decodeAtBroker(frames(empty, "MDPW02", UInt8(0x01), "echo")) }
        #expect(throws: ProtocolError.self) { try MDP.decodeAtBroker(frames("MDPC02", UInt8(0x01), "echo")) }
    }
}

/// docpipe's optional READY identity frame (MDP/0.1): a JSON WorkerIdentity after the service name.
@Suite struct MDPReadyIdentityTests {
    @Test func readyCarriesTheIdentityFrame() throws {
        let identity = WorkerIdentity(host: "worker-1", pid: 4121, version: "0.2.0", credit: 16)
        let ready = MDP.ready(service: "extractor", identity: identity)
        #expect(Array(ready.prefix(4)) == MDP.ready(service: "extractor"))
        #expect(ready.count == 5)
        #expect(
            String(decoding: ready[4], as: UTF8.self)
                == #"{"credit":16,"host":"worker-1","pid":4121,"version":"0.2.0"}"#)
        #expect(
            try WireJSON.decode(WorkerIdentity.self, from: ready[4])
                == WireJSON.decode(WorkerIdentity.self, from: ProtocolFiles.example("worker_identity.json")))

        guard case .ready(let service, let frame?) = try MDP.decodeAtBroker(ready) else {
            Issue.record("READY with identity did not decode as READY with identity")
            return
        }
        let decoded = try WireJSON.decode(WorkerIdentity.self, from: frame)
        #expect(service == "extractor" && decoded == identity)
        #expect(try MDP.decodeAnyAtBroker(ready) == (.ready(service: "extractor", identity: ready[4]), .v01))
    }

    @Test func plainReadyHasNoIdentity() throws {
        #expect(try MDP.decodeAtBroker(MDP.ready(service: "extractor")) == .ready(service: "extractor", identity: nil))
    }

    @Test func identityFieldsAreEachOptional() throws {
        #expect(
            String(decoding: try WireJSON.encode(WorkerIdentity(host: nil, pid: nil, version: nil)), as: UTF8.self)
                == "{}")
        #expect(
            try WireJSON.decode(WorkerIdentity.self, from: Data(#"{"pid":7}"#.utf8))
                == WorkerIdentity(host: nil, pid: 7, version: nil))
    }

    @Test func theFrameIsPassedOnUndecoded() throws {
        // The codec does not judge the identity's JSON; the broker does (counter `bad_identity`) and keeps the worker.
        #expect(
            try MDP.decodeAtBroker(frames(empty, "MDPW01", UInt8(0x01), "extractor", "not json"))
                == .ready(service: "extractor", identity: Data("not json".utf8)))
    }

    @Test func atMostOneFrameAfterTheService() {
        #expect(throws: ProtocolError.self) {
            try MDP.decodeAtBroker(frames(empty, "MDPW01", UInt8(0x01), "extractor", "{}", "{}"))
        }
    }
}
