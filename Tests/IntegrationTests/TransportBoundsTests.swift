import DocClient
import DocProtocol
import Foundation
import Testing
import ZeroMQ

/// What a peer can make the broker hold, with real sizes: every test sends hundreds of MiB to GiBs and
/// checks the broker's resident memory against a bound that only holds with the limits in place.
@Suite(.serialized)
struct TransportBoundsTests {
    static let mib = 1 << 20

    func brokerRSS(_ broker: Child) throws -> Double {
        try #require(residentMiB(of: broker.pid), "the broker is gone:\n\(broker.log.suffix(2000))")
    }

    /// 60 service names that have no worker, a 100 MiB body each (6 GiB offered): the per-client byte
    /// budget (256 MiB) refuses all but two, so the broker stays far below 1 GiB.
    @Test(.timeLimit(.minutes(3)))
    func sixtyServiceNamesOfHundredMiBBodiesStayWithinTheByteBudget() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let broker = try cluster.startBroker()
        try cluster.waitUntil("broker up", timeout: 20) { try cluster.status().workers == 0 }
        let context = Context()
        let dealer = try cluster.rawDealer(context, receiveTimeoutMs: 3000)
        defer { dealer.close() }
        let body = Data(repeating: 0x61, count: 100 * Self.mib)
        var peak = 0.0
        for index in 0..<60 {
            _ = try dealer.send(MDP.clientRequest(service: "nobody-\(index)", body: [body]))
            // Paced by the answers: a refusal comes back once the broker has read the request; an accepted
            // request waits for a worker that never comes (the receive times out).
            _ = try dealer.receive()
            peak = max(peak, try brokerRSS(broker))
            if peak > 1024 { break } // the bound is already broken: no need to offer the rest
        }
        #expect(peak < 1024, "the broker held \(Int(peak)) MiB for 6 GiB offered to 60 services")
        // Two fit this client's 256 MiB; the other 58 are refused.
        try cluster.waitUntil("58 requests refused for their bytes", timeout: 60) {
            (try cluster.status().counters["client_bytes_refused"] ?? 0) >= 58
        }
        peak = max(peak, try brokerRSS(broker))
        #expect(peak < 1024)
    }

    /// A message of 50 frames of 8 MiB each (400 MiB), four times: the broker keeps 16 frames at most
    /// and cuts the sender off before decoding; the rest is dropped unread.
    @Test(.timeLimit(.minutes(3)))
    func aFiftyFrameMessageOfLargeFramesIsDroppedAndItsSenderCutOff() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let broker = try cluster.startBroker()
        try cluster.waitUntil("broker up", timeout: 20) { try cluster.status().workers == 0 }
        let context = Context()
        let frame = Data(repeating: 0x62, count: 8 * Self.mib)
        var peak = 0.0
        for sent in 1...4 {
            let dealer = try cluster.rawDealer(context, receiveTimeoutMs: 3000)
            _ = try dealer.send(MDP.clientRequest(service: "nobody", body: Array(repeating: frame, count: 47)))
            // 400 MiB take a moment to cross the socket: wait until the broker has read (and dropped) it.
            try cluster.waitUntil("the broker read message \(sent)", timeout: 60) {
                (try cluster.status().counters["oversized_messages"] ?? 0) >= sent
            }
            peak = max(peak, try brokerRSS(broker))
            dealer.close()
        }
        let status = try cluster.status()
        #expect((status.counters["oversized_messages"] ?? 0) == 4)
        #expect(status.services.allSatisfy { $0.queued == 0 }, "nothing of it was queued")
        // Without the frame limit every message would be copied whole and queued: over 1.6 GiB.
        #expect(peak < 1024, "the broker held \(Int(peak)) MiB after four 400 MiB messages")
    }

    /// 30 MiB documents until the broker is busy, through a stage whose output is as large as the document
    /// and on to a stage with no worker, under `max_job_bytes` = 256 MiB: documents and held outputs count
    /// together, so about four jobs are admitted (each also queued as a 60 MiB request for the last stage),
    /// not eight.
    @Test(.timeLimit(.minutes(3)))
    func thirtyMiBDocumentsUntilBusyCountTheirStageOutputsToo() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(
            #"{"pipelines": {"big": {"stages": ["upper", "later"]}}, "max_job_bytes": 268435456}"#)
        let broker = try cluster.startBroker()
        try cluster.startPythonWorker(service: "upper")
        try cluster.waitUntil("the upper worker registered", timeout: 30) { try cluster.status().workers == 1 }
        let client = try cluster.client(timeoutMs: 30_000)
        var accepted = 0
        var busy = false
        for index in 0..<20 where !busy {
            let content = String(repeating: "document \(index) ", count: 30 * Self.mib / 12)
            do {
                _ = try client.submit(
                    SubmitRequest(
                        pipeline: "big",
                        document: Document(
                            name: "big-\(index).txt",
                            content: content)), busyWaitMs: 0)
                accepted += 1
                // Let the upper stage answer, so its output is held before the next submit is judged.
                try cluster.waitUntil("the upper stage done", timeout: 60) {
                    try cluster.status().services.first { $0.name == "later" }?.queued == accepted
                }
            } catch ClientError.refused(let error) where error.status == .busy {
                busy = true
            }
        }
        #expect(busy, "never busy after \(accepted) documents of 30 MiB")
        #expect(accepted >= 3 && accepted <= 5, "\(accepted) documents admitted under 256 MiB")
        let rss = try brokerRSS(broker)
        #expect(rss < 900, "the broker holds \(Int(rss)) MiB")
    }
}
