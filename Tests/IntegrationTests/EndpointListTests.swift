import DocClient
import DocProtocol
import Foundation
import Testing

/// `--broker A,B` where A is a standby and B the active broker: clients, workers and operator commands
/// end up at B. A is a `StandbyBroker` (a ROUTER answering as a standby does); B a real broker process.
@Suite(.serialized)
struct EndpointListTests {
    /// A real broker on a free TCP port; the cluster owns the process.
    static func startActiveBroker(_ cluster: TestCluster) throws -> String {
        let endpoint = try freeLoopbackEndpoint()
        try cluster.start(
            TestPaths.executable("docpipe"),
            ["broker", "--bind", endpoint, "--data", cluster.dataFolder, "--log-level", "info"],
            label: "broker")
        try cluster.waitUntil("the broker answers at \(endpoint)", timeout: 30) {
            try DocpipeClient(broker: endpoint, timeoutMs: 500).status().workers >= 0
        }
        return endpoint
    }

    @Test(.timeLimit(.minutes(2)))
    func aWorkerAndAClientGivenTheListPassTheStandbyAndWorkThroughTheActiveBroker() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let active = try Self.startActiveBroker(cluster)
        let standby = try StandbyBroker(endpoint: try freeLoopbackEndpoint(), activeEndpoint: active)
        defer { standby.stop() }
        let list = "\(standby.endpoint),\(active)"

        // The worker starts at the standby, is sent away (DISCONNECT), and registers with the active broker.
        let worker = try cluster.start(
            TestPaths.executable("docpipe-extractor"),
            ["--broker", list, "--data", cluster.dataFolder], label: "extractor")
        try cluster.waitUntil("the extractor registered with the active broker", timeout: 30) {
            try DocpipeClient(broker: active, timeoutMs: 1000).status().workers == 1
        }
        #expect(standby.workerMessages >= 1)
        #expect(worker.log.contains("connecting to \(standby.endpoint) (broker 1 of 2)"), "\(worker.log)")
        #expect(worker.log.contains("connecting to \(active) (broker 2 of 2)"), "\(worker.log)")

        // A client starts at the standby too: its refusal sends the same request on to the active broker.
        let client = try DocpipeClient(broker: list, timeoutMs: 5000)
        #expect(client.mdp.endpoints == [standby.endpoint, active])
        #expect(client.mdp.endpoint == standby.endpoint)
        let request = StageRequest(
            jobID: "job-list-1", pipeline: "direct", stage: "extractor", attempt: 1,
            document: Document(content: "Failover works. The active broker answers."))
        let reply = try client.mdp.request(
            service: "extractor", body: [try WireJSON.encode(request)], timeoutMs: 10_000)
        let result = try WireJSON.decode(StageResult.self, from: try #require(reply.first))
        #expect(result.status == .ok, "\(result)")
        #expect(result.jobID == "job-list-1")
        #expect(client.mdp.endpoint == active)
        #expect(standby.refusedRequests == ["extractor"])

        // A submit through the same client, and one from a fresh client, which starts at the standby again.
        let submitted = try client.submit(SubmitRequest(document: Document(content: "first document")))
        let fresh = try DocpipeClient(broker: list, timeoutMs: 5000)
        let again = try fresh.submit(SubmitRequest(document: Document(content: "second document")))
        #expect(standby.refusedRequests == ["extractor", ServiceName.submit])
        let direct = try DocpipeClient(broker: active, timeoutMs: 5000)
        #expect(try direct.job(submitted.jobID).jobID == submitted.jobID)
        #expect(try direct.job(again.jobID).jobID == again.jobID)

        // `docpipe submit` of a folder, a process of its own: every document accepted through the list.
        let inbox = cluster.folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for index in 1...5 {
            try Data("document \(index) for the list".utf8).write(to: inbox.appendingPathComponent("\(index).txt"))
        }
        let run = try runCommand(
            TestPaths.executable("docpipe"), ["submit", inbox.path, "--broker", list, "--json"],
            timeout: 60)
        #expect(run.status == 0, "\(run.output) \(run.errors)")
        let outcomes = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[String: Any]])
        #expect(outcomes.count == 5)
        #expect(outcomes.allSatisfy { $0["job_id"] is String }, "\(run.output)")
        #expect(!run.output.contains("standby"), "\(run.output)")
    }

    /// The active broker is gone and the other is still a standby, then takes over (here: the fake standby
    /// makes way for a real broker on its endpoint, on the same journal): `docpipe submit` keeps going.
    @Test(.timeLimit(.minutes(2)))
    func aFolderSubmitRidesOutAFailover() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let gone = try freeLoopbackEndpoint()
        let next = try freeLoopbackEndpoint()
        let standby = try StandbyBroker(endpoint: next, activeEndpoint: gone)
        defer { standby.stop() }
        let inbox = cluster.folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for index in 1...20 {
            try Data("document \(index) across a failover".utf8).write(to: inbox.appendingPathComponent("\(index).txt"))
        }
        let submit = try cluster.start(
            TestPaths.executable("docpipe"),
            [
                "submit", inbox.path, "--broker", "\(gone),\(next)", "--timeout-ms", "1000",
                "--json",
            ], label: "submit")
        try cluster.waitUntil("the standby refused a submit", timeout: 20) {
            standby.refusedRequests.contains(ServiceName.submit)
        }
        // The failover: the standby's endpoint becomes the active broker.
        standby.stop()
        try cluster.start(
            TestPaths.executable("docpipe"),
            ["broker", "--bind", next, "--data", cluster.dataFolder, "--log-level", "info"],
            label: "broker")
        #expect(submit.waitForExit(timeout: 60), "\(cluster.logs())")
        #expect(submit.process.terminationStatus == 0, "\(cluster.logs())")
        #expect(try DocpipeClient(broker: next, timeoutMs: 2000).status().jobs.accepted == 20)
    }

    @Test(.timeLimit(.minutes(1)))
    func whenEveryEndpointIsAStandbyTheRefusalComesBackAndTheNextRequestStartsAtTheNext() throws {
        let first = try StandbyBroker(endpoint: try freeLoopbackEndpoint(), activeEndpoint: "tcp://elsewhere:1")
        defer { first.stop() }
        let second = try StandbyBroker(endpoint: try freeLoopbackEndpoint(), activeEndpoint: "tcp://elsewhere:1")
        defer { second.stop() }
        let mdp = try MDPClient(broker: "\(first.endpoint), \(second.endpoint)")
        let reply = try mdp.request(service: "echo", body: [Data("hi".utf8)], timeoutMs: 5000)
        let refusal = try WireJSON.decode(ErrorReply.self, from: try #require(reply.first))
        #expect(refusal.isStandby)
        #expect(refusal.retryAfterMs == 500)
        #expect(first.refusedRequests == ["echo"])
        #expect(second.refusedRequests == ["echo"])
        #expect(mdp.endpoint == first.endpoint)

        // A caller that treats 503 as retry-later gets `refused` with the hint.
        let client = try DocpipeClient(broker: "\(first.endpoint),\(second.endpoint)", timeoutMs: 5000)
        #expect(throws: ClientError.self) { try client.job("nope") }
        // status() is answered by standbys (with their role); it visits each once and keeps the last answer.
        let status = try client.status()
        #expect(status.role == .standby)
        #expect(first.statusRequests == 1 && second.statusRequests == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func aTimeoutTriesEachEndpointOnceAndNamesThemAll() throws {
        let silentA = try freeLoopbackEndpoint()
        let silentB = try freeLoopbackEndpoint()
        let mdp = try MDPClient(broker: "\(silentA),\(silentB)")
        let started = Date()
        do {
            _ = try mdp.request(service: "echo", body: [], timeoutMs: 300)
            Issue.record("a reply from nowhere")
        } catch let error as ClientError {
            guard case .timeout(_, _, let endpoint) = error else { throw error }
            #expect(endpoint == "\(silentA), \(silentB)")
            #expect("\(error)".contains(silentA) && "\(error)".contains(silentB))
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.55 && elapsed < 3, "\(elapsed) s")
        // One endpoint: the same message as ever.
        let single = try MDPClient(broker: silentA)
        #expect(throws: ClientError.self) { try single.request(service: "echo", body: [], timeoutMs: 100) }
        #expect(single.endpoint == silentA && single.endpoints == [silentA])
    }

    @Test(.timeLimit(.minutes(2)))
    func operatorCommandsShowEachBrokersRole() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let active = try Self.startActiveBroker(cluster)
        let standby = try StandbyBroker(endpoint: try freeLoopbackEndpoint(), activeEndpoint: active)
        defer { standby.stop() }
        let list = "\(standby.endpoint),\(active)"
        let docpipe = TestPaths.executable("docpipe")

        let status = try runCommand(docpipe, ["status", "--broker", list], timeout: 20)
        #expect(status.status == 0, "\(status.errors)")
        let lines = status.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "Brokers")
        #expect(lines.contains { $0.hasPrefix(standby.endpoint) && $0.contains("standby") && $0.contains("1m") })
        #expect(lines.contains { $0.hasPrefix(active) && $0.contains("active") })
        #expect(lines.contains { $0.hasPrefix("docpipe broker ") && $0.contains(active) })

        let json = try runCommand(docpipe, ["status", "--broker", list, "--json"], timeout: 20)
        #expect(json.status == 0, "\(json.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["endpoint"] as? String == active)
        let brokers = try #require(object["brokers"] as? [[String: Any]])
        #expect(brokers.map { $0["endpoint"] as? String } == [standby.endpoint, active])
        #expect(brokers.map { $0["role"] as? String } == ["standby", "active"])
        #expect((brokers[0]["failover"] as? [String: Any])?["lease_epoch"] as? Int == 2)

        let check = try runCommand(docpipe, ["status", "--check", "--broker", list], timeout: 20)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.hasPrefix("OK: active \(active)"), "\(check.output)")
        let onlyStandby = try runCommand(docpipe, ["status", "--check", "--broker", standby.endpoint], timeout: 20)
        #expect(onlyStandby.status == 2, "\(onlyStandby.output)")
        #expect(
            onlyStandby.output.hasPrefix("CRITICAL: the broker at \(standby.endpoint) is a standby"),
            "\(onlyStandby.output)")
        let nobody = try freeLoopbackEndpoint()
        let noneActive = try runCommand(
            docpipe,
            [
                "status", "--check", "--broker", "\(standby.endpoint),\(nobody)",
                "--timeout-ms", "300",
            ], timeout: 20)
        #expect(noneActive.status == 2, "\(noneActive.output)")
        #expect(
            noneActive.output.contains("no active broker (\(standby.endpoint) standby, \(nobody) unreachable)"),
            "\(noneActive.output)")

        let metrics = try runCommand(docpipe, ["metrics", "--broker", list], timeout: 20)
        #expect(metrics.status == 0, "\(metrics.errors)")
        #expect(
            metrics.output.contains("docpipe_broker_active{endpoint=\"\(standby.endpoint)\"} 0\n"),
            "\(metrics.output)")
        #expect(metrics.output.contains("docpipe_broker_active{endpoint=\"\(active)\"} 1\n"), "\(metrics.output)")
        #expect(metrics.output.contains("docpipe_up 1\n"))

        // Workers, jobs and top, given the list, talk to the active broker.
        let workers = try runCommand(docpipe, ["workers", "--broker", list, "--json"], timeout: 20)
        #expect(workers.status == 0, "\(workers.errors)")
        let top = try runCommand(docpipe, ["top", "--broker", list, "--count", "1"], timeout: 20)
        #expect(top.status == 0, "\(top.errors)")
        #expect(top.output.hasPrefix("docpipe top · \(active)"), "\(top.output)")
    }
}
