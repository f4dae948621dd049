import DocClient
import DocProtocol
import Foundation
import Testing
import ZeroMQ

/// CURVE with ZAP, default-deny, revocation, roles and per-peer limits, with real processes.
@Suite(
    .serialized,
    .enabled(if: !SkipPolicy.excused("SecurityTests", because: Curve.isAvailable ? nil : "libzmq has no CURVE support"))
)
struct SecurityTests {
    static let onlyExtractor = #"{"pipelines": {"default": {"stages": ["extractor"]}}}"#

    @Test(.timeLimit(.minutes(2)))
    func aWorkerWithAnUnknownKeyGetsNoDocumentAndAKnownKeyDoes() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let keys = try TestKeys(in: cluster)
        for name in ["ops", "good", "intruder"] { try keys.make(name) }
        try keys.authorize("ops")
        try keys.authorize("good")
        try cluster.writeBrokerConfig(Self.onlyExtractor)
        try cluster.startBroker(keys.brokerFlags + ["--heartbeat-ms", "500"])
        let ops = try cluster.client(as: keys.clientKeys("ops"))
        try cluster.waitUntil("CURVE broker answers a known key", timeout: 20) { try ops.status().workers == 0 }

        let intruder = try cluster.startWorker("extractor", keys.clientFlags("intruder") + ["--heartbeat-ms", "500"])
        let accepted = try ops.submit(
            SubmitRequest(document: Document(content: "Confidential: the merger closes Friday.")))
        try cluster.waitUntil("the intruder's handshake is refused", timeout: 15) {
            (try ops.status().counters["auth_refused"] ?? 0) >= 1
        }
        Thread.sleep(forTimeInterval: 2)
        let status = try ops.status()
        #expect(cluster.workers(of: "extractor", status: status) == 0, "an unknown key registered as a worker")
        #expect(try ops.job(accepted.jobID).state == .queued, "a document reached an unauthenticated worker")
        #expect(!intruder.log.contains("merger"))

        try cluster.startWorker("extractor", keys.clientFlags("good") + ["--heartbeat-ms", "500"])
        let done = try ops.waitForJob(accepted.jobID, timeoutMs: 30_000)
        #expect(done.state == .done, "\(cluster.logs())")
        // The admitted worker shows under the name of its key.
        let workers = try DocpipeClient.decodeReply(
            try ops.mdp.request(service: ServiceName.workers, body: [Data("{}".utf8)], timeoutMs: 3000),
            as: WorkerList.self)
        #expect(workers.workers.map(\.key) == ["good"])
    }

    @Test(.timeLimit(.minutes(2)))
    func unknownKeysAndPlaintextGetNoAnswerFromACurveBroker() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let keys = try TestKeys(in: cluster)
        for name in ["ops", "stranger"] { try keys.make(name) }
        try keys.authorize("ops")
        let broker = try cluster.startBroker(keys.brokerFlags)
        let ops = try cluster.client(as: keys.clientKeys("ops"))
        try cluster.waitUntil("CURVE broker up", timeout: 20) { try ops.status().workers == 0 }

        #expect(throws: ClientError.self) {
            try cluster.client(as: keys.clientKeys("stranger"), timeoutMs: 1500).status()
        }
        #expect(throws: ClientError.self) { try cluster.client(as: nil, timeoutMs: 1500).status() }
        // The CLI with the right flags gets in, and without them does not.
        let cli = try runCommand(
            TestPaths.executable("docpipe"),
            ["status", "--broker", cluster.endpoint] + keys.clientFlags("ops"), timeout: 20)
        #expect(cli.status == 0, "\(cli.errors)")
        let plainCLI = try runCommand(
            TestPaths.executable("docpipe"),
            ["status", "--broker", cluster.endpoint, "--timeout-ms", "1000"], timeout: 20)
        #expect(plainCLI.status != 0)
        let status = try ops.status()
        #expect((status.counters["auth_refused"] ?? 0) >= 1, "\(status.counters)")
        #expect(broker.log.contains("peer refused"))
    }

    @Test(.timeLimit(.minutes(2)))
    func theBrokerRefusesAPublicBindWithoutKeysAndWarnsWhenInsecure() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let docpipe = TestPaths.executable("docpipe")
        let refused = try runCommand(
            docpipe, ["broker", "--bind", "tcp://0.0.0.0:5555", "--data", cluster.dataFolder],
            timeout: 20)
        #expect(refused.status != 0)
        #expect(refused.errors.contains("refusing to bind tcp://0.0.0.0:5555 without CURVE"), "\(refused.errors)")
        #expect(refused.errors.contains("docpipe keygen server"))

        let insecure = try cluster.start(
            docpipe,
            [
                "broker", "--bind", "tcp://0.0.0.0:*", "--data", cluster.dataFolder,
                "--insecure",
            ], label: "insecure")
        try cluster.waitUntil("the insecure broker warns", timeout: 20) { insecure.log.contains("INSECURE") }
        insecure.stop()

        // With the server key where keygen puts it by default, the same bind just works, with CURVE.
        let keygen = try runCommand(docpipe, ["keygen", "server", "--data", cluster.dataFolder], timeout: 20)
        #expect(keygen.status == 0, "\(keygen.errors)")
        try FileManager.default.createDirectory(
            atPath: cluster.dataFolder + "/authorized_keys",
            withIntermediateDirectories: true)
        let secure = try cluster.start(
            docpipe, ["broker", "--bind", "tcp://0.0.0.0:*", "--data", cluster.dataFolder],
            label: "secure")
        try cluster.waitUntil("the broker turns CURVE on", timeout: 20) { secure.log.contains("CURVE on") }
        let mode = try FileManager.default.attributesOfItem(atPath: cluster.dataFolder + "/keys/server.key_secret")
        #expect((mode[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
    }

    @Test(.timeLimit(.minutes(2)))
    func revokingAKeyFileCutsItsWorkerAndClientOff() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let keys = try TestKeys(in: cluster)
        for name in ["ops", "good", "feeder"] { try keys.make(name) }
        for name in ["ops", "good", "feeder"] { try keys.authorize(name) }
        try cluster.writeBrokerConfig(Self.onlyExtractor)
        let broker = try cluster.startBroker(keys.brokerFlags + ["--heartbeat-ms", "500"])
        let ops = try cluster.client(as: keys.clientKeys("ops"))
        let feeder = try cluster.client(as: keys.clientKeys("feeder"))
        try cluster.startWorker("extractor", keys.clientFlags("good") + ["--heartbeat-ms", "500"])
        try cluster.waitUntil("worker registered", timeout: 20) {
            cluster.workers(of: "extractor", status: try ops.status()) == 1
        }
        #expect(try feeder.status().workers == 1)

        try keys.revoke("good")
        try keys.revoke("feeder")
        try cluster.waitUntil("revoked worker removed", timeout: 15) {
            cluster.workers(of: "extractor", status: try ops.status()) == 0
        }
        let accepted = try ops.submit(SubmitRequest(document: Document(content: "after the revocation")))
        Thread.sleep(forTimeInterval: 2)
        #expect(try ops.job(accepted.jobID).state == .queued, "a revoked worker got a document")
        #expect(throws: ClientError.self) {
            try cluster.client(as: keys.clientKeys("feeder"), timeoutMs: 1500).status()
        }
        #expect(broker.log.contains("is no longer authorized"))

        // Granting again needs no restart either: the worker's reconnect goes through.
        try keys.authorize("good")
        #expect(try ops.waitForJob(accepted.jobID, timeoutMs: 45_000).state == .done, "\(cluster.logs())")
    }

    @Test(.timeLimit(.minutes(2)))
    func aRemovedKeyIsCutWithinASecondEvenWhenItsPeerIsSilent() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let keys = try TestKeys(in: cluster)
        try keys.make("ops", roles: "operator")
        try keys.make("quiet", roles: "worker:extractor")
        for name in ["ops", "quiet"] { try keys.authorize(name) }
        try cluster.writeBrokerConfig(Self.onlyExtractor)
        // Heartbeats every 20 s: the worker says nothing for long after it registered.
        try cluster.startBroker(keys.brokerFlags + ["--heartbeat-ms", "20000"])
        let ops = try cluster.client(as: keys.clientKeys("ops"))
        try cluster.startWorker("extractor", keys.clientFlags("quiet") + ["--heartbeat-ms", "20000"])
        try cluster.waitUntil("worker registered", timeout: 20) {
            cluster.workers(of: "extractor", status: try ops.status()) == 1
        }
        Thread.sleep(forTimeInterval: 0.5)
        try keys.revoke("quiet")
        let revoked = Date()
        try cluster.waitUntil("the silent worker cut off", timeout: 10) {
            cluster.workers(of: "extractor", status: try ops.status()) == 0
        }
        #expect(Date().timeIntervalSince(revoked) < 2.5, "cut after \(Date().timeIntervalSince(revoked)) s")
        #expect((try ops.status().counters["revoked_cut"] ?? 0) >= 1)
    }

    @Test(.timeLimit(.minutes(2)))
    func aKeyWithoutRolesIsAClientAndOnlyCallRolesReachPipelineStages() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let keys = try TestKeys(in: cluster)
        try keys.make("ops", roles: "operator")
        try keys.make("plain", roles: nil)
        try keys.make("writer", roles: "worker:storage-writer")
        try keys.make("repair", roles: "client, call:storage-writer")
        for name in ["ops", "plain", "writer", "repair"] { try keys.authorize(name) }
        try cluster.startBroker(keys.brokerFlags + ["--heartbeat-ms", "500"])
        let ops = try cluster.client(as: keys.clientKeys("ops"))
        try cluster.startWorker("storage-writer", keys.clientFlags("writer") + ["--heartbeat-ms", "500"])
        try cluster.waitUntil("storage writer registered", timeout: 20) {
            cluster.workers(of: "storage-writer", status: try ops.status()) == 1
        }
        #expect(try ops.status().access?.hasPrefix("CURVE: only the 4 keys") == true)

        let plain = try cluster.client(as: keys.clientKeys("plain"))
        // A client: it may submit, not operate.
        _ = try plain.submit(SubmitRequest(document: Document(content: "submitted by a key without roles")))
        #expect(throws: ClientError.self) { try plain.status() }
        // And it may not hand the storage writer a forged document (a stage of the default pipeline).
        let forged =
            #"{"v":1,"job_id":"job-forged","pipeline":"default","stage":"storage-writer","attempt":1,"#
            + #""document":{"id":"doc-victim","content":"overwritten"},"results":{}}"#
        func call(_ client: DocpipeClient) throws -> ErrorReply? {
            let reply = try client.mdp.request(service: "storage-writer", body: [Data(forged.utf8)], timeoutMs: 5000)
            return try? WireJSON.decode(ErrorReply.self, from: reply.first ?? Data())
        }
        let refused = try #require(try call(plain))
        #expect(refused.status == StatusCode(403) && refused.reason == "forbidden")
        // A key with call:storage-writer reaches it (the worker answers, whatever it makes of the body).
        let repair = try cluster.client(as: keys.clientKeys("repair"))
        #expect(try call(repair)?.status != StatusCode(403))
    }

    @Test(.timeLimit(.minutes(2)))
    func rolesLimitAKeyToWhatItIsFor() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let keys = try TestKeys(in: cluster)
        try keys.make("ops")
        try keys.make("feeder", roles: "client")
        try keys.make("extract-only", roles: "worker:extractor")
        for name in ["ops", "feeder", "extract-only"] { try keys.authorize(name) }
        try cluster.startBroker(keys.brokerFlags + ["--heartbeat-ms", "500"])
        let ops = try cluster.client(as: keys.clientKeys("ops"))
        try cluster.waitUntil("broker up", timeout: 20) { try ops.status().workers == 0 }

        let feeder = try cluster.client(as: keys.clientKeys("feeder"))
        #expect(
            try feeder.submit(SubmitRequest(document: Document(content: "a client may submit"))).jobID.hasPrefix("job-")
        )
        do {
            _ = try feeder.status()
            Issue.record("a client-only key read the broker status")
        } catch ClientError.refused(let error) {
            #expect(error.status == StatusCode(403))
            #expect(error.reason == "forbidden")
        }
        try cluster.startWorker("summarizer", keys.clientFlags("extract-only") + ["--heartbeat-ms", "500"])
        try cluster.waitUntil("the wrong-service READY is refused", timeout: 15) {
            (try ops.status().counters["forbidden"] ?? 0) >= 2
        }
        #expect(cluster.workers(of: "summarizer", status: try ops.status()) == 0)
    }

    @Test(.timeLimit(.minutes(2)))
    func aFloodingClientGetsBusyAndAGarbageSenderIsDisconnected() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(#"{"submit_rate": 5, "submit_burst": 5, "garbage_limit": 10}"#)
        try cluster.startBroker()
        let client = try cluster.client()
        try cluster.waitUntil("broker up", timeout: 20) { try client.status().workers == 0 }

        let mdp = try MDPClient(broker: cluster.endpoint)
        let body = try WireJSON.encode(SubmitRequest(document: Document(content: "flood")))
        for _ in 0..<30 { try mdp.send(service: ServiceName.submit, body: [body]) }
        var statuses: [Int] = []
        for _ in 0..<30 {
            let reply = try mdp.receive(service: ServiceName.submit, timeoutMs: 5000)
            statuses.append(try WireJSON.decode(ReplyHead.self, from: try #require(reply.first)).status.rawValue)
        }
        #expect(statuses.filter { $0 == 202 }.count >= 5)
        #expect(statuses.filter { $0 == 503 }.count >= 15, "\(statuses)")
        // The stock client honours the hint and gets through.
        #expect(try client.submit(SubmitRequest(document: Document(content: "patient"))).jobID.hasPrefix("job-"))

        let context = Context()
        let vandal = try Socket(context, .dealer)
        defer { vandal.close() }
        try vandal.setLinger(milliseconds: 0)
        try vandal.connect(cluster.endpoint)
        for index in 0..<12 { try vandal.send([Data([0xff, UInt8(index)]), Data("junk".utf8)]) }
        try cluster.waitUntil("the garbage sender is disconnected", timeout: 15) {
            (try client.status().counters["peers_cut_for_garbage"] ?? 0) >= 1
        }
        #expect(try client.submit(SubmitRequest(document: Document(content: "still serving"))).jobID.hasPrefix("job-"))
    }
}
