package import DocClient
package import DocProtocol
package import DocStore
package import DocStorePostgres
package import Foundation
package import HTTPTypes
package import Hummingbird
package import Logging
package import NIOCore
package import OperatorViews

/// What `docpipe gateway` was told, resolved.
package struct GatewaySettings: Sendable {
    package var host: String
    package var port: Int
    package var broker: String
    package var brokerTimeoutMs: Int
    package var lanes: Int
    package var maxBodyBytes: Int
    package var pipeline: String
    package var idleTimeoutS: Int
    /// The longest `?wait=` a job request may ask for.
    package static let maxWaitS = 60.0

    package init(
        host: String, port: Int, broker: String, brokerTimeoutMs: Int, lanes: Int, maxBodyBytes: Int, pipeline: String,
        idleTimeoutS: Int
    ) {
        self.host = host
        self.port = port
        self.broker = broker
        self.brokerTimeoutMs = brokerTimeoutMs
        self.lanes = lanes
        self.maxBodyBytes = maxBodyBytes
        self.pipeline = pipeline
        self.idleTimeoutS = idleTimeoutS
    }
}

/// The HTTP front door: Hummingbird routes onto broker calls (`BrokerLanes`) and store reads.
///
/// Every route answers JSON (errors too: the broker's `ErrorReply` shape, `{status, reason, message,
/// retry_after_ms}`), except `/metrics` (Prometheus text) and `/` (the dashboard). Whatever a request
/// carries, the answer is an HTTP status with a reason; nothing a client sends ends the process.
package final class GatewayServer: Sendable {
    package let settings: GatewaySettings
    package let lanes: BrokerLanes
    package let store: StoreHandle
    package let tokens: APITokenFile?
    package let logger: Logger
    /// What this server answers: every route for `docpipe gateway`, the metrics ones for `docpipe metrics --listen`.
    package let routes: [GatewayRoute]

    package init(
        settings: GatewaySettings, store: StoreLocation?, tokens: APITokenFile?, logger: Logger,
        routes: [GatewayRoute] = GatewayRoute.all
    ) throws {
        self.settings = settings
        self.routes = routes
        self.lanes = try BrokerLanes(
            endpoint: settings.broker, lanes: settings.lanes,
            timeoutMs: settings.brokerTimeoutMs)
        self.store = StoreHandle(location: store)
        self.tokens = tokens
        self.logger = logger
    }

    /// Serves until SIGINT/SIGTERM; `running` gets the bound port (the one asked for, or the kernel's pick for 0).
    package func run(running: @escaping @Sendable (Int) -> Void) async throws {
        let app = Application(
            router: makeRouter(),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(settings.idleTimeoutS)))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "docpipe-gateway"),
            onServerRunning: { channel in running(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.runService()
        await lanes.shutdown()
        await store.close()
    }

    package func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        for route in routes {
            let handler = self.handler(for: route)
            let guarded: @Sendable (Request, BasicRequestContext) async throws -> Response = {
                [self] request, context in
                switch GatewayAccess.decide(
                    route.role, tokens: tokens?.current(),
                    authorization: request.headers[.authorization])
                {
                case .unauthenticated:
                    return try Self.problem(
                        .init(code: 401), "unauthorized",
                        "send `Authorization: Bearer TOKEN` with a token from the gateway's --tokens file",
                        headers: [.wwwAuthenticate: "Bearer realm=\"docpipe\""])
                case .forbidden(let why):
                    return try Self.problem(.forbidden, "forbidden", why)
                case .allowed:
                    do {
                        return try await handler(request, context)
                    } catch {
                        return try self.response(for: error)
                    }
                }
            }
            let path = RouterPath(route.path)
            switch route.method {
            case .get: router.get(path, use: guarded)
            case .head: router.head(path, use: guarded)
            case .post: router.post(path, use: guarded)
            }
        }
        return router
    }

    private typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    private func handler(for route: GatewayRoute) -> Handler {
        switch (route.method, route.path) {
        case (.post, "/v1/documents"): return { [self] request, _ in try await submit(request) }
        case (.get, "/v1/documents/{id}"): return { [self] _, context in try await document(context) }
        case (.get, "/v1/jobs/{id}"): return { [self] request, context in try await job(request, context) }
        case (.get, "/v1/jobs"): return { [self] request, _ in try await jobs(request) }
        case (.get, "/v1/search"): return { [self] request, _ in try await search(request) }
        case (.get, "/v1/status"):
            return { [self] _, _ in try Self.json(.ok, try await lanes.call { try $0.status() }) }
        case (.get, "/v1/workers"):
            return { [self] _, _ in try Self.json(.ok, try await lanes.call { try $0.workers() }) }
        case (.get, "/v1/dead-letters"): return { [self] request, _ in try await deadLetters(request) }
        case (.post, "/v1/dead-letters/{id}/retry"): return { [self] _, context in try await retry(context) }
        case (.get, "/metrics"): return { [self] _, _ in try await metrics(withBody: true) }
        case (.head, "/metrics"): return { [self] _, _ in try await metrics(withBody: false) }
        case (.get, "/healthz"): return { _, _ in try Self.json(.ok, ["status": "ok"]) }
        case (.get, "/readyz"): return { [self] _, _ in try await ready() }
        case (.get, "/"): return { _, _ in DashboardPage.response() }
        default: fatalError("GatewayRoute.all names \(route.method.rawValue) \(route.path), which has no handler")
        }
    }

    // MARK: - Documents in

    private func submit(_ request: Request) async throws -> Response {
        // A declared length over the limit is refused before a byte of the body is read.
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > settings.maxBodyBytes {
            throw NIOTooManyBytesError(maxBytes: settings.maxBodyBytes)
        }
        let body = try await request.body.collect(upTo: settings.maxBodyBytes)
        let files = try UploadParser.files(
            contentType: request.headers[.contentType],
            filename: request.headers[GatewayHeaders.filename], body: body)
        let pipeline = request.uri.queryParameters["pipeline"].map(String.init) ?? settings.pipeline
        // ?language=de: the documents' language, which the extractor OCRs scans and images in.
        let language = request.uri.queryParameters["language"].map(String.init)
        if let language, !LanguageHint.isValid(language) {
            throw ClientError.refused(
                ErrorReply(
                    status: .badRequest, reason: "bad_request",
                    message: "language is an ISO 639-1 code such as de, or several: de,en (got '\(language)')"))
        }
        let documents = files.map { file in
            var document = Document(bytes: file.bytes, name: file.filename, contentType: file.contentType)
            if let language { document.metadata[LanguageHint.key] = language }
            return document
        }
        let batch = SubmitBatchRequest(pipeline: pipeline, documents: documents)
        let entries = try await lanes.call { try $0.submitBatch(batch, retryForMs: 0) }
        let outcome = SubmitOutcome(files: files, entries: entries)
        // No timestamps in this answer: the plain encoder (same keys and order as CLIJSON's) spares the
        // decode-and-reencode CLIJSON does to turn wire timestamps into ISO-8601, on the busiest route.
        var headers: HTTPFields = [:]
        if let retryAfter = outcome.retryAfter { headers[.retryAfter] = retryAfter }
        return Self.rawJSON(outcome.status, try GatewayJSON.plain.encode(outcome.body), headers: headers)
    }

    // MARK: - Jobs

    private func job(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let wait = min(
            max(request.uri.queryParameters["wait"].flatMap { Double(String($0)) } ?? 0, 0),
            GatewaySettings.maxWaitS)
        let deadline = Date().addingTimeInterval(wait)
        while true {
            let status = try await lanes.call { try $0.job(id) }
            if status.state == .done || status.state == .failed || Date() >= deadline {
                return try Self.json(.ok, status)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func jobs(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let state = try query["state"].map { raw in
            guard let state = JobStatus.State(rawValue: String(raw)) else {
                throw ClientError.refused(
                    ErrorReply(
                        status: .badRequest, reason: "bad_state",
                        message: "state is one of queued, running, done, failed"))
            }
            return state
        }
        let list = JobListRequest(
            state: state, pipeline: query["pipeline"].map(String.init),
            limit: query["limit"].flatMap { Int(String($0)) })
        return try Self.json(.ok, try await lanes.call { try $0.jobs(list) })
    }

    // MARK: - Dead letters

    private func deadLetters(_ request: Request) async throws -> Response {
        let limit = request.uri.queryParameters["limit"].flatMap { Int(String($0)) }
        let reply = try await lanes.call { try $0.deadLetters(DeadLetterRequest(op: .list, limit: limit)) }
        return try Self.brokerJSON(.ok, reply.first ?? Data("{}".utf8))
    }

    private func retry(_ context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let reply = try await lanes.call { try $0.deadLetters(DeadLetterRequest(op: .retry, jobID: id)) }
        return try Self.brokerJSON(.ok, reply.first ?? Data("{}".utf8))
    }

    // MARK: - Store

    private func document(_ context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let found = try await store.open().document(id: id) else {
            return try Self.problem(.notFound, "unknown_document", "no document '\(id)' in the store")
        }
        return try Self.json(.ok, DocumentJSON(found))
    }

    private func search(_ request: Request) async throws -> Response {
        guard let query = request.uri.queryParameters["q"].map(String.init), !query.isEmpty else {
            return try Self.problem(.badRequest, "missing_query", "add ?q=words to search for")
        }
        let limit = min(max(request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? 20, 1), 500)
        return try Self.json(.ok, try await store.open().search(query, limit: limit).map(SearchHitJSON.init))
    }

    // MARK: - Operations

    private func metrics(withBody: Bool) async throws -> Response {
        let (endpoint, timeoutMs) = (settings.broker, settings.brokerTimeoutMs)
        let text = try await lanes.call { _ in MetricsScrape.scrape(broker: endpoint, timeoutMs: timeoutMs) }
        let headers: HTTPFields = [
            .contentType: "text/plain; version=0.0.4; charset=utf-8",
            .contentLength: String(text.utf8.count),
        ]
        return Response(
            status: .ok, headers: headers,
            body: withBody ? ResponseBody(byteBuffer: ByteBuffer(string: text)) : ResponseBody())
    }

    private func ready() async throws -> Response {
        let status: BrokerStatus
        do {
            status = try await lanes.call { try $0.status() }
        } catch {
            return try Self.json(.serviceUnavailable, ReadyAnswer(ready: false, problems: ["\(error)"]))
        }
        let problems = Readiness.problems(status)
        return try Self.json(
            problems.isEmpty ? .ok : .serviceUnavailable,
            ReadyAnswer(ready: problems.isEmpty, problems: problems))
    }

    package struct ReadyAnswer: Encodable {
        package var ready: Bool
        package var problems: [String]
    }
}

package enum GatewayHeaders {
    package static let filename = HTTPField.Name("X-Docpipe-Filename")!
}
