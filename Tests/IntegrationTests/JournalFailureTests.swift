import DocClient
import DocProtocol
import Foundation
import Testing

/// A journal that cannot write (a full disk, here a file size limit set on the running broker with
/// `prlimit`) or that holds a damaged record must not stop the broker.
@Suite(.serialized)
struct JournalFailureTests {
    func writeConfig(_ cluster: TestCluster) throws {
        try FileManager.default.createDirectory(atPath: cluster.dataFolder, withIntermediateDirectories: true)
        let config = #"{"pipelines": {"upper": {"stages": ["upper"]}}}"#
        try config.write(toFile: cluster.dataFolder + "/config.json", atomically: true, encoding: .utf8)
    }

    func document(_ index: Int) -> SubmitRequest {
        SubmitRequest(
            pipeline: "upper",
            document: Document(
                name: "d\(index).txt",
                content: "Document \(index) of the journal test."))
    }

    func setFileSizeLimit(_ pid: Int32, _ limit: String) throws {
        let result = try runCommand(
            URL(fileURLWithPath: "/usr/bin/prlimit"),
            ["--pid", "\(pid)", "--fsize=\(limit):unlimited"], timeout: 10)
        guard result.status == 0 else { throw TestFailure("prlimit failed: \(result.output)\(result.errors)") }
    }

    @Test(.timeLimit(.minutes(2)))
    func aFullDiskRefusesSubmitsKeepsServingAndRecoversByItself() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try writeConfig(cluster)
        let broker = try cluster.startBroker(["--heartbeat-ms", "200"])
        try cluster.startPythonWorker(service: "upper", ["--heartbeat-ms", "200"])
        try cluster.waitUntil("the worker registered", timeout: 30) { try cluster.status().workers == 1 }
        let client = try cluster.client()
        var accepted = [try client.submit(document(0)).jobID]
        #expect(try client.waitForJob(accepted[0], timeoutMs: 10_000).state == .done)

        // The disk "fills": the journal may grow by 2 KB more, then every write fails with EFBIG.
        let journalPath = cluster.dataFolder + "/journal.log"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: journalPath)[.size] as? Int)
        try setFileSizeLimit(broker.pid, "\(size + 2048)")
        var refusal: ErrorReply?
        var unanswered = 0
        for index in 1...200 where refusal == nil && unanswered <= 1 {
            do {
                accepted.append(try client.submit(document(index), busyWaitMs: 0).jobID)
            } catch ClientError.refused(let error) {
                refusal = error
            } catch ClientError.timeout {
                // The submit whose record hit the limit: its 202 waits until that record is on disk.
                unanswered += 1
            }
        }
        #expect(unanswered <= 1)
        let refused = try #require(refusal, "no submit was refused with the journal at its size limit")
        #expect(refused.status == .busy && refused.reason == "journal_unavailable")
        #expect(refused.retryAfterMs != nil)

        // Still serving: status answers, and heartbeats keep the worker registered through a second of outage.
        Thread.sleep(forTimeInterval: 1.2)
        let during = try cluster.status()
        #expect(during.workers == 1)
        #expect((during.counters["workers_expired"] ?? 0) == 0)
        #expect((during.counters["journal_unavailable_refusals"] ?? 0) >= 1)
        #expect(broker.process.isRunning)
        #expect(cluster.logs().contains("the journal cannot write"))

        // The disk is back: the broker notices by itself and accepts again; nothing accepted was lost.
        try setFileSizeLimit(broker.pid, "unlimited")
        try cluster.waitUntil("submits accepted again", timeout: 20) {
            accepted.append(try client.submit(document(1000), busyWaitMs: 0).jobID)
            return true
        }
        for job in accepted { #expect(try client.waitForJob(job, timeoutMs: 20_000).state == .done) }
        #expect(cluster.logs().contains("the journal writes again"))

        // And it was all on disk: after kill -9 and a restart every accepted job is known and done.
        broker.signal(SIGKILL)
        #expect(broker.waitForExit(timeout: 5))
        try cluster.startBroker(["--heartbeat-ms", "200"])
        let fresh = try cluster.client(timeoutMs: 5000)
        try cluster.waitUntil("the restarted broker answers", timeout: 20) { try fresh.status().workers >= 0 }
        for job in accepted { #expect(try fresh.job(job).state == .done, "job \(job) survived the outage") }
    }

    @Test(.timeLimit(.minutes(2)))
    func aDamagedJournalRecordIsSetAsideAndTheBrokerStarts() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try writeConfig(cluster)
        let first = try cluster.startBroker()
        try cluster.waitUntil("broker up", timeout: 20) { try cluster.status().workers == 0 }
        let client = try cluster.client()
        // No worker: the jobs wait in the journal.
        let jobs = try (0..<3).map { try client.submit(document($0)).jobID }
        first.signal(SIGTERM)
        #expect(first.waitForExit(timeout: 20))

        // Damage the second job's record: the first record's length is in its header.
        let url = URL(fileURLWithPath: cluster.dataFolder + "/journal.log")
        var bytes = try Data(contentsOf: url)
        let firstLength = 8 + Int(bytes[0]) + Int(bytes[1]) << 8 + Int(bytes[2]) << 16
        bytes[firstLength + 30] ^= 0x5A
        try bytes.write(to: url)

        try cluster.startBroker()
        let fresh = try cluster.client(timeoutMs: 5000)
        try cluster.waitUntil("the broker started despite the damage", timeout: 20) { try fresh.status().workers == 0 }
        #expect(try fresh.job(jobs[0]).state == .queued)
        #expect(try fresh.job(jobs[2]).state == .queued, "the job after the damaged record is not lost")
        #expect(throws: ClientError.self) { try fresh.job(jobs[1]) }
        #expect(FileManager.default.fileExists(atPath: url.path + ".quarantine"))
        #expect(cluster.logs().contains("damaged records"))
        #expect((try fresh.status().counters["journal_records_quarantined"] ?? 0) == 1)
    }
}
