import DocClient
import DocProtocol
import Foundation
import Testing

/// `docpipe gateway` as a process in front of a real broker, real workers and a real store, called over
/// HTTP the way curl or a web application would.
@Suite(.serialized)
struct GatewayTests {
    /// A broker with an `ingest` pipeline (extract, store), its two workers, and a gateway in front.
    private static func cluster(gateway extra: [String] = [], config: String? = nil) throws
        -> (TestCluster, GatewayProcess)
    {
        let cluster = try TestCluster()
        do {
            try cluster.writeBrokerConfig(
                config
                    ?? #"{"pipelines": {"ingest": {"stages": ["extractor", "storage-writer"]}, "default": {"stages": ["extractor", "storage-writer"]}}}"#
            )
            try cluster.startBroker()
            try cluster.startWorker("extractor")
            try cluster.startWorker("storage-writer")
            try cluster.waitUntil("2 workers registered", timeout: 30) { try cluster.status().workers == 2 }
            return (cluster, try cluster.startHTTPGateway(["--pipeline", "ingest"] + extra))
        } catch {
            cluster.stop()
            throw error
        }
    }

    @Test func aDocumentPostedRawIsProcessedStoredAndFoundBySearch() throws {
        let (cluster, gateway) = try Self.cluster()
        defer { cluster.stop() }
        let text = Data("# Harbour cranes\n\nThe harbour board of Tallinn ordered four electric cranes.\n".utf8)
        let posted = try HTTPTest.post(
            gateway.base, "/v1/documents?language=en",
            headers: ["Content-Type": "text/markdown", "X-Docpipe-Filename": "cranes.md"],
            body: text)
        #expect(posted.status == 202, "\(posted.text)")
        let accepted = try posted.json()
        let jobID = try #require(accepted["job_id"] as? String)
        let documentID = try #require(accepted["document_id"] as? String)
        #expect(accepted["filename"] as? String == "cranes.md")

        let job = try HTTPTest.get(gateway.base, "/v1/jobs/\(jobID)?wait=30", timeout: 40)
        #expect(job.status == 200)
        #expect(try job.json()["state"] as? String == "done", "\(job.text)")

        let document = try HTTPTest.get(gateway.base, "/v1/documents/\(documentID)")
        #expect(document.status == 200, "\(document.text)")
        #expect(document.text.contains("Tallinn"))
        #expect(try document.json()["metadata"] as? [String: String] == ["language": "en"], "\(document.text)")

        let hits = try HTTPTest.get(gateway.base, "/v1/search?q=cranes&limit=5")
        #expect(hits.status == 200)
        let list = try #require(try JSONSerialization.jsonObject(with: hits.body) as? [[String: Any]])
        #expect(list.contains { $0["document_id"] as? String == documentID }, "\(hits.text)")
    }

    @Test func everyJSONBodyHasTheShapeTheCLIsJSONHas() throws {
        let (cluster, gateway) = try Self.cluster()
        defer { cluster.stop() }
        let posted = try HTTPTest.post(
            gateway.base, "/v1/documents", headers: ["Content-Type": "text/plain"],
            body: Data("The ferry company of Turku ordered two hybrid ships in 2025.".utf8))
        let accepted = try posted.json()
        let jobID = try #require(accepted["job_id"] as? String)
        let documentID = try #require(accepted["document_id"] as? String)
        _ = try HTTPTest.get(gateway.base, "/v1/jobs/\(jobID)?wait=30", timeout: 40)
        var checked = 0
        for path in [
            "/v1/jobs/\(jobID)", "/v1/jobs?limit=5", "/v1/documents/\(documentID)", "/v1/search?q=ferry",
            "/v1/status", "/v1/workers", "/v1/dead-letters", "/readyz", "/healthz", "/v1/jobs/job-unknown",
        ] {
            let answer = try HTTPTest.get(gateway.base, path)
            #expect(answer.header("Content-Type") == "application/json", "\(path)")
            let value = try JSONDecoder().decode(JSONValue.self, from: answer.body)
            #expect(JSONShape.violations(in: value).isEmpty, "\(path): \(JSONShape.violations(in: value))")
            checked += 1
        }
        #expect(checked == 10)
        // The job as HTTP has it is the job as `docpipe job --json` prints it.
        let cli = try runCommand(
            TestPaths.executable("docpipe"), ["job", jobID, "--json", "--broker", cluster.endpoint],
            timeout: 30)
        let http = try HTTPTest.get(gateway.base, "/v1/jobs/\(jobID)")
        #expect(
            try JSONDecoder().decode(JSONValue.self, from: Data(cli.output.utf8))
                == JSONDecoder().decode(JSONValue.self, from: http.body))
    }

    @Test func manyFilesInOneMultipartPostEachGetAJob() throws {
        let (cluster, gateway) = try Self.cluster()
        defer { cluster.stop() }
        let (type, body) = HTTPTest.multipart([
            ("file", "a.txt", "text/plain", Data("First note about the northern ferry timetable.\n".utf8)),
            (
                "file", "b.html", "text/html",
                Data("<html><body><p>Second note: the bridge reopens.</p></body></html>".utf8)
            ),
            ("file", "../../etc/c.txt", nil, Data("Third note, with a path in its name.\n".utf8)),
        ])
        let posted = try HTTPTest.post(gateway.base, "/v1/documents", headers: ["Content-Type": type], body: body)
        #expect(posted.status == 202, "\(posted.text)")
        let answer = try posted.json()
        #expect(answer["accepted"] as? Int == 3)
        let jobs = try #require(answer["jobs"] as? [[String: Any]])
        #expect(jobs.compactMap { $0["filename"] as? String } == ["a.txt", "b.html", "c.txt"])
        for job in jobs {
            let id = try #require(job["job_id"] as? String)
            let status = try HTTPTest.get(gateway.base, "/v1/jobs/\(id)?wait=30", timeout: 40)
            #expect(try status.json()["state"] as? String == "done", "\(status.text)")
        }
    }

    @Test func badRequestsGetClearErrorsAndTheGatewayStaysUp() throws {
        let (cluster, gateway) = try Self.cluster(gateway: ["--max-body-mb", "1"])
        defer { cluster.stop() }
        let tooBig = try HTTPTest.post(
            gateway.base, "/v1/documents", headers: ["Content-Type": "text/plain"],
            body: Data(repeating: 0x61, count: 2 << 20))
        #expect(tooBig.status == 413, "\(tooBig.text)")
        #expect(try tooBig.json()["reason"] as? String == "too_large")

        let empty = try HTTPTest.post(gateway.base, "/v1/documents", body: Data())
        #expect(empty.status == 400)
        let truncated = try HTTPTest.post(
            gateway.base, "/v1/documents", headers: ["Content-Type": "multipart/form-data; boundary=xyz"],
            body: Data("--xyz\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nno end".utf8))
        #expect(truncated.status == 400, "\(truncated.text)")
        let unknownPipeline = try HTTPTest.post(
            gateway.base, "/v1/documents?pipeline=nope",
            headers: ["Content-Type": "text/plain"], body: Data("hello".utf8))
        #expect(unknownPipeline.status == 400 || unknownPipeline.status == 404, "\(unknownPipeline.text)")
        #expect((try unknownPipeline.json()["message"] as? String)?.contains("nope") == true)
        let badLanguage = try HTTPTest.post(
            gateway.base, "/v1/documents?language=klingon!",
            headers: ["Content-Type": "text/plain"], body: Data("hello".utf8))
        #expect(badLanguage.status == 400, "\(badLanguage.text)")
        #expect((try badLanguage.json()["message"] as? String)?.contains("ISO 639-1") == true, "\(badLanguage.text)")
        #expect(try HTTPTest.get(gateway.base, "/v1/jobs/job-unknown").status == 404)
        #expect(try HTTPTest.get(gateway.base, "/v1/documents/doc-unknown").status == 404)
        #expect(try HTTPTest.get(gateway.base, "/v1/search").status == 400)
        #expect(try HTTPTest.get(gateway.base, "/v1/jobs?state=sideways").status == 400)
        #expect(try HTTPTest.get(gateway.base, "/v1/nothing-here").status == 404)

        // Garbage on the socket: a request line that is not HTTP, a header without end, binary noise.
        for garbage in [
            "NOT HTTP AT ALL\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nX-" + String(repeating: "a", count: 100_000),
            String(decoding: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }, as: UTF8.self),
        ] {
            try RawTCP.send(garbage, to: gateway.base)
        }
        let health = try HTTPTest.get(gateway.base, "/healthz")
        #expect(health.status == 200)
        #expect(gateway.child.process.isRunning)
    }

    @Test func aBusyBrokerIsA503WithRetryAfter() throws {
        // Two unfinished jobs at most, and the pipeline's only stage has no worker: the third waits for room.
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(#"{"pipelines": {"stuck": {"stages": ["nobody-serves-this"]}}, "max_jobs": 2}"#)
        try cluster.startBroker()
        let gateway = try cluster.startHTTPGateway(["--pipeline", "stuck"])
        var statuses: [Int] = []
        var last: HTTPResponseSnapshot?
        for index in 0..<3 {
            let answer = try HTTPTest.post(
                gateway.base, "/v1/documents", headers: ["Content-Type": "text/plain"],
                body: Data("note \(index) for a pipeline nobody serves".utf8))
            statuses.append(answer.status)
            last = answer
        }
        #expect(statuses == [202, 202, 503], "\(last?.text ?? "")")
        let retryAfter = try #require(last?.header("Retry-After"))
        #expect((Int(retryAfter) ?? 0) >= 1)
        #expect(try last?.json()["reason"] as? String == "busy")

        // Not ready: a pipeline stage has no worker.
        let ready = try HTTPTest.get(gateway.base, "/readyz")
        #expect(ready.status == 503)
        #expect(ready.text.contains("nobody-serves-this"), "\(ready.text)")
    }

    @Test func aBrokerThatDoesNotAnswerIsA503AndReadyzSaysSo() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        // No broker at all on the cluster's endpoint.
        let gateway = try cluster.startHTTPGateway()
        let started = Date()
        let status = try HTTPTest.get(gateway.base, "/v1/status")
        #expect(status.status == 503, "\(status.text)")
        #expect(try status.json()["reason"] as? String == "broker_unreachable")
        #expect(status.header("Retry-After") != nil)
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(try HTTPTest.get(gateway.base, "/readyz").status == 503)
        #expect(try HTTPTest.get(gateway.base, "/healthz").status == 200)
    }

    @Test func tokensDecideWhoMayDoWhatAndAChangedFileIsReadAgain() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokens = folder.appendingPathComponent("tokens")
        let clientToken = "client-token-0123456789abcdef"
        let operatorToken = "operator-token-0123456789abcdef"
        try """
        # name        token                              roles
        uploader      \(clientToken)       client
        ops           \(operatorToken)     client,operator
        """.write(to: tokens, atomically: true, encoding: .utf8)
        let (cluster, gateway) = try Self.cluster(gateway: ["--tokens", tokens.path])
        defer { cluster.stop() }
        let asClient = ["Authorization": "Bearer \(clientToken)"]
        let asOperator = ["Authorization": "Bearer \(operatorToken)"]

        let anonymous = try HTTPTest.get(gateway.base, "/v1/status")
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(
            try HTTPTest.get(gateway.base, "/v1/status", headers: ["Authorization": "Bearer wrong-token-xxxxxxxxxxxx"])
                .status == 401)
        #expect(try HTTPTest.get(gateway.base, "/v1/status", headers: asClient).status == 403)
        #expect(try HTTPTest.get(gateway.base, "/v1/status", headers: asOperator).status == 200)
        #expect(try HTTPTest.get(gateway.base, "/metrics", headers: asClient).status == 403)
        let metrics = try HTTPTest.get(gateway.base, "/metrics", headers: asOperator)
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("docpipe_up 1"))
        let head = try HTTPTest.request(
            "HEAD", URL(string: "/metrics", relativeTo: gateway.base)!.absoluteURL,
            headers: asOperator)
        #expect(head.status == 200 && head.body.isEmpty)
        let posted = try HTTPTest.post(
            gateway.base, "/v1/documents", headers: asClient.merging(["Content-Type": "text/plain"]) { $1 },
            body: Data("A note the uploader may send.".utf8))
        #expect(posted.status == 202, "\(posted.text)")
        #expect(try HTTPTest.get(gateway.base, "/healthz").status == 200)
        #expect(try HTTPTest.get(gateway.base, "/readyz").status == 200)

        // Revoke the uploader: the file is read again on the next request, no restart.
        Thread.sleep(forTimeInterval: 1.1) // a new modification time even on coarse file systems
        try "ops \(operatorToken) operator\n".write(to: tokens, atomically: true, encoding: .utf8)
        #expect(try HTTPTest.get(gateway.base, "/v1/search?q=note", headers: asClient).status == 401)
        #expect(try HTTPTest.get(gateway.base, "/v1/status", headers: asOperator).status == 200)
        // An operator without the client role may not submit.
        #expect(
            try HTTPTest.post(gateway.base, "/v1/documents", headers: asOperator, body: Data("x".utf8)).status == 403)
    }

    @Test func servingANetworkAddressWithoutTokensIsRefused() throws {
        let result = try runCommand(TestPaths.executable("docpipe"), ["gateway", "--listen", "0.0.0.0:0"], timeout: 30)
        #expect(result.status != 0)
        #expect(result.errors.contains("--tokens"), "\(result.errors)")
    }

    @Test func operatorRoutesAnswerWithTheBrokersView() throws {
        let (cluster, gateway) = try Self.cluster()
        defer { cluster.stop() }
        let status = try HTTPTest.get(gateway.base, "/v1/status")
        #expect(status.status == 200)
        let services = try #require(try status.json()["services"] as? [[String: Any]])
        #expect(Set(services.compactMap { $0["name"] as? String }).isSuperset(of: ["extractor", "storage-writer"]))
        let workers = try HTTPTest.get(gateway.base, "/v1/workers")
        #expect((try workers.json()["workers"] as? [Any])?.count == 2)
        #expect(try HTTPTest.get(gateway.base, "/v1/dead-letters").status == 200)
        #expect(try HTTPTest.get(gateway.base, "/v1/jobs?limit=5").status == 200)
        let retry = try HTTPTest.post(gateway.base, "/v1/dead-letters/job-unknown/retry", body: Data())
        #expect(retry.status == 404, "\(retry.text)")
        let page = try HTTPTest.get(gateway.base, "/")
        #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true)
    }
}

/// Bytes straight onto a TCP connection, for requests no HTTP client would send; the answer is ignored.
enum RawTCP {
    static func send(_ text: String, to base: URL) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(base.port ?? 80).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw TestFailure("connect to \(base): \(errno)") }
        _ = Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        shutdown(fd, Int32(SHUT_WR))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while recv(fd, &buffer, buffer.count, 0) > 0 {}
    }
}
