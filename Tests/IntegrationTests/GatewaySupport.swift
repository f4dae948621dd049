import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `docpipe gateway` process of a test cluster, on a port the kernel picked (read from its start line).
struct GatewayProcess {
    let child: Child
    let base: URL

    var url: String { base.absoluteString }
}

extension TestCluster {
    /// Starts `docpipe gateway --listen 127.0.0.1:0` against this cluster's broker and store, and waits
    /// (bounded) for its "gateway serving http://…" line.
    func startHTTPGateway(_ extra: [String] = [], timeout: Double = 30) throws -> GatewayProcess {
        let child = try start(
            TestPaths.executable("docpipe"),
            [
                "gateway", "--listen", "127.0.0.1:0", "--broker", endpoint, "--data", dataFolder,
                "--timeout-ms", "2000",
            ] + extra, label: "gateway")
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let base = Self.servingURL(in: child.log) { return GatewayProcess(child: child, base: base) }
            if !child.process.isRunning { throw TestFailure("the gateway exited:\n\(child.log)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestFailure("the gateway did not say where it serves within \(timeout) s:\n\(child.log)")
    }

    static func servingURL(in log: String) -> URL? {
        guard let range = log.range(of: "gateway serving ") else { return nil }
        let rest = log[range.upperBound...]
        guard let end = rest.firstIndex(where: { $0 == " " || $0 == "\n" }) else { return nil }
        return URL(string: String(rest[..<end]))
    }
}

/// One HTTP exchange, blocking with a timeout: tests call the gateway as any HTTP client would.
struct HTTPResponseSnapshot {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(text.prefix(300))")
        }
        return object
    }
}

enum HTTPTest {
    static func request(
        _ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil,
        timeout: Double = 30
    ) throws -> HTTPResponseSnapshot {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            box.set(data: data, response: response as? HTTPURLResponse, error: error)
            done.signal()
        }
        task.resume()
        guard done.wait(timeout: .now() + timeout + 5) == .success else {
            task.cancel()
            throw TestFailure("\(method) \(url) got no answer within \(timeout) s")
        }
        let (data, response, error) = box.get()
        if let error { throw TestFailure("\(method) \(url): \(error)") }
        guard let response else { throw TestFailure("\(method) \(url): no HTTP response") }
        var fields: [String: String] = [:]
        for (key, value) in response.allHeaderFields { fields["\(key)"] = "\(value)" }
        return HTTPResponseSnapshot(status: response.statusCode, headers: fields, body: data ?? Data())
    }

    static func get(_ base: URL, _ path: String, headers: [String: String] = [:], timeout: Double = 30) throws
        -> HTTPResponseSnapshot
    {
        try request("GET", URL(string: path, relativeTo: base)!.absoluteURL, headers: headers, timeout: timeout)
    }

    static func post(_ base: URL, _ path: String, headers: [String: String] = [:], body: Data) throws
        -> HTTPResponseSnapshot
    {
        try request("POST", URL(string: path, relativeTo: base)!.absoluteURL, headers: headers, body: body)
    }

    /// A multipart/form-data body with one part per (field name, filename, content type, bytes).
    static func multipart(_ parts: [(name: String, filename: String?, type: String?, bytes: Data)])
        -> (contentType: String, body: Data)
    {
        let boundary = "dpt-\(UUID().uuidString)"
        var body = Data()
        for part in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { head += "; filename=\"\(filename)\"" }
            head += "\r\n"
            if let type = part.type { head += "Content-Type: \(type)\r\n" }
            body.append(Data((head + "\r\n").utf8))
            body.append(part.bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return ("multipart/form-data; boundary=\(boundary)", body)
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data?, HTTPURLResponse?, (any Error)?) = (nil, nil, nil)
    func set(data: Data?, response: HTTPURLResponse?, error: (any Error)?) {
        lock.lock()
        value = (data, response, error)
        lock.unlock()
    }
    func get() -> (Data?, HTTPURLResponse?, (any Error)?) {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
