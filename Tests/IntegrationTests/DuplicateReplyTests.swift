import DocClient
import DocProtocol
import Foundation
import Testing
import ZeroMQ

/// A worker that sends its REPLY twice must not finish the job it holds next with the first job's result.
@Suite(.serialized)
struct DuplicateReplyTests {
    @Test(.timeLimit(.minutes(1)))
    func aRepeatedReplyIsDroppedAndTheWorkerCutOff() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(#"{"pipelines": {"one": {"stages": ["dup"]}}}"#)
        try cluster.startBroker()
        let client = try cluster.client()
        try cluster.waitUntil("broker up", timeout: 20) { try client.status().workers == 0 }

        // A plain MDP/0.1 worker (credit 1) on a raw DEALER socket.
        let context = Context()
        let worker = try cluster.rawDealer(context, receiveTimeoutMs: 5000)
        defer { worker.close() }
        try worker.send(MDP.ready(service: "dup"))
        try cluster.waitUntil("raw worker registered", timeout: 10) { try client.status().workers == 1 }

        /// The next REQUEST the worker is sent (heartbeats skipped): its address and its job id.
        func nextRequest() throws -> (client: Data, jobID: String) {
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                guard let frames = try worker.receive() else { continue }
                if case .request(let address, let body) = try MDP.decodeAtWorker(frames) {
                    let request = try WireJSON.decodeMessage(StageRequest.self, from: body.first ?? Data())
                    return (address, request.jobID)
                }
            }
            throw TestFailure("no stage request reached the raw worker in 10 s")
        }
        func result(for jobID: String) throws -> [Data] {
            [try WireJSON.encode(StageResult.ok(jobID: jobID, stage: "dup", output: ["answer": .string(jobID)]))]
        }

        let first = try client.submit(SubmitRequest(pipeline: "one", document: Document(content: "first")))
        let request1 = try nextRequest()
        #expect(request1.jobID == first.jobID)
        try worker.send(MDP.reply(client: request1.client, body: try result(for: request1.jobID)))
        try cluster.waitUntil("first job done", timeout: 10) { try client.job(first.jobID).state == .done }

        let second = try client.submit(SubmitRequest(pipeline: "one", document: Document(content: "second")))
        let request2 = try nextRequest()
        #expect(request2.jobID == second.jobID)
        // The first reply again, while the worker holds the second job's request.
        try worker.send(MDP.reply(client: request1.client, body: try result(for: request1.jobID)))

        var cutOff = false
        while let frames = try worker.receive() {
            if frames == MDP.disconnect {
                cutOff = true
                break
            }
        }
        #expect(cutOff, "the worker that repeated a reply gets DISCONNECT")
        try cluster.waitUntil("the repeat counted", timeout: 10) {
            (try client.status().counters["unmatched_reply"] ?? 0) >= 1
        }
        let held = try client.job(second.jobID)
        #expect(held.state != .done, "the second job did not finish with the first job's result")
        #expect(held.results.isEmpty)
        #expect(try client.status().workers == 0)
    }
}
