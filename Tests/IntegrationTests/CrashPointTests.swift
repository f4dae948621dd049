import DocClient
import DocProtocol
import Foundation
import Testing

/// "Accepted means journalled", pinned at the crash point: the broker is made to die (`DOCPIPE_FAULT`, a
/// debug-build-only hook) between committing a submit and sending its 202, and — the converse, the order
/// docpipe must never use — between sending the 202 and committing.
@Suite(.serialized)
struct CrashPointTests {
    static let document = Document(name: "crash-point.txt", content: "A document accepted at the worst moment.")

    func jobs(_ cluster: TestCluster) throws -> [JobList.Entry] {
        let mdp = try MDPClient(broker: cluster.endpoint)
        let reply = try mdp.request(
            service: ServiceName.jobs, body: [try WireJSON.encode(JobListRequest())],
            timeoutMs: 5000)
        return try DocpipeClient.decodeReply(reply, as: JobList.self).jobs
    }

    @Test(.timeLimit(.minutes(1)))
    func aBrokerThatDiesAfterTheCommitButBeforeThe202StillHasTheJob() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let broker = try cluster.startBroker(environment: ["DOCPIPE_FAULT": "exit-before-send"])
        try cluster.waitUntil("broker up", timeout: 20) { try cluster.status().workers == 0 }
        let client = try cluster.client(timeoutMs: 3000)
        #expect(throws: ClientError.self, "no 202 arrives: the broker died first") {
            try client.submit(SubmitRequest(document: Self.document), busyWaitMs: 0)
        }
        #expect(broker.waitForExit(timeout: 10))
        #expect(broker.process.terminationStatus == 86, "the fault hook fired (a debug build is needed)")

        try cluster.startBroker()
        try cluster.waitUntil("the restarted broker answers", timeout: 20) { try cluster.status().workers == 0 }
        let documentID = ContentHash.documentID(for: Self.document)
        let found = try jobs(cluster).filter { $0.documentID == documentID }
        #expect(found.count == 1, "the job the client never heard about was journalled and is back")
        #expect(found.first?.state == .queued)
    }

    @Test(.timeLimit(.minutes(1)))
    func sendingThe202BeforeTheCommitWouldLoseTheJob() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let broker = try cluster.startBroker(environment: ["DOCPIPE_FAULT": "exit-after-send"])
        try cluster.waitUntil("broker up", timeout: 20) { try cluster.status().workers == 0 }
        let reply = try cluster.client(timeoutMs: 3000).submit(SubmitRequest(document: Self.document), busyWaitMs: 0)
        #expect(broker.waitForExit(timeout: 10))
        #expect(broker.process.terminationStatus == 86, "the fault hook fired (a debug build is needed)")

        try cluster.startBroker()
        try cluster.waitUntil("the restarted broker answers", timeout: 20) { try cluster.status().workers == 0 }
        // What that order would cost: the client holds a job id the journal never saw.
        #expect(throws: ClientError.self) { try cluster.client().job(reply.jobID) }
        #expect(try jobs(cluster).isEmpty)
    }
}
