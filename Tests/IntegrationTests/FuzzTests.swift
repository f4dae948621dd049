import DocClient
import DocProtocol
import Foundation
import Testing
import ZeroMQ

/// 100,000 random and mutated MDP messages at a real broker; it must keep serving in bounded memory.
@Suite(.serialized)
struct FuzzTests {
    /// A small deterministic generator (xorshift), so a failure can be replayed from its seed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func bytes(_ count: Int) -> Data { Data((0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }) }
    }

    static func message(_ g: inout Generator) -> [Data] {
        let valid: [[Data]] = [
            MDP.ready(service: "fuzz.\(g.below(50))"),
            MDP.heartbeat, MDP.disconnect,
            MDP.reply(client: g.bytes(5), body: [g.bytes(g.below(64))]),
            MDP.clientRequest(service: ServiceName.submit, body: [g.bytes(g.below(100))]),
            MDP.clientRequest(
                service: ServiceName.submit,
                body: [Data(#"{"v":1,"pipeline":"default","document":{"v":1,"content":""}}"#.utf8)]),
            MDP.clientRequest(service: ServiceName.job, body: [Data(#"{"v":1,"job_id":"nope"}"#.utf8)]),
            MDP.clientRequest(service: ServiceName.deadLetters, body: [Data(#"{"v":1,"op":"show"}"#.utf8)]),
            MDP.clientRequest(service: "mmi.service", body: [g.bytes(8)]),
            MDP.clientRequest(service: "docpipe.\(g.below(5))", body: []),
            MDP.ready(service: "docpipe.submit"),
            [Data(), MDP.workerHeader, Data([UInt8(truncatingIfNeeded: g.next())])],
            [Data(), MDP.clientHeader, Data([0xff, 0xfe, 0xfd])],
        ]
        var frames = valid[g.below(valid.count)]
        switch g.below(6) {
        case 0: // random frames
            frames = (0..<(1 + g.below(5))).map { _ in g.bytes(g.below(40)) }
        case 1: // truncate
            frames = Array(frames.prefix(g.below(frames.count + 1)))
        case 2: // extra frames
            frames += (0..<(1 + g.below(3))).map { _ in g.bytes(g.below(20)) }
        case 3: // flip a byte somewhere
            let index = g.below(frames.count)
            if !frames[index].isEmpty {
                var frame = frames[index]
                frame[frame.startIndex + g.below(frame.count)] ^= UInt8(1 << g.below(8))
                frames[index] = frame
            }
        default:
            break
        }
        return frames.isEmpty ? [Data()] : frames
    }

    @Test(.timeLimit(.minutes(3)))
    func brokerSurvivesAHundredThousandHostileMessagesInBoundedMemory() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        // Per-peer garbage limits would cut most of these senders off before the router sees them; this
        // test is about the router and codecs, so it turns the limit off (PeerGuard has its own tests).
        try cluster.writeBrokerConfig(#"{"garbage_limit": 0}"#)
        // Errors only: 100,000 warnings would measure the log, not the broker.
        let broker = try cluster.startBroker(["--log-level", "error"])
        let client = try cluster.client()
        try cluster.waitUntil("broker up", timeout: 20) { try client.status().workers == 0 }
        let before = try #require(residentMiB(of: broker.pid))

        let context = Context()
        var sockets: [Socket] = []
        for _ in 0..<16 {
            let socket = try Socket(context, .dealer)
            try socket.setLinger(milliseconds: 0)
            try socket.setSendTimeout(milliseconds: 2000)
            try socket.setReceiveHighWaterMark(1000)
            try socket.connect(cluster.endpoint)
            sockets.append(socket)
        }
        defer { sockets.forEach { $0.close() } }
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        let total = 100_000
        let started = Date()
        for index in 0..<total {
            let socket = sockets[index % sockets.count]
            _ = try socket.send(Self.message(&generator))
            // Drain replies now and then so our side's queues stay small.
            if index % 500 == 0 { for s in sockets { while try s.receive(dontWait: true) != nil {} } }
            #expect(Date().timeIntervalSince(started) < 120, "fuzzing is taking too long")
            if Date().timeIntervalSince(started) > 120 { break }
        }

        // Still serving: status answers, a normal submit is accepted.
        try cluster.waitUntil("broker answers status after the storm", timeout: 30) {
            try cluster.client(timeoutMs: 2000).status().workers >= 0
        }
        let status = try client.status()
        let accepted = try client.submit(SubmitRequest(document: Document(content: "after the fuzz storm")))
        #expect(accepted.jobID.hasPrefix("job-"))
        let after = try #require(residentMiB(of: broker.pid))
        let counted = status.counters.filter { $0.key != "client_requests" }.values.reduce(0, +)
        print(
            "fuzz: \(total) messages in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; "
                + "broker RSS \(Int(before)) → \(Int(after)) MiB; counters \(status.counters)")
        #expect(counted > 10_000)
        #expect(after < 150, "broker grew to \(after) MiB")
    }
}
