package import DocProtocol

/// Who may call a route of the gateway.
package enum GatewayRole: String, Sendable {
    /// Anyone: liveness, readiness and the dashboard's page (its data needs a token).
    case open
    /// Submits documents and reads jobs, documents and search.
    case client
    /// Reads and steers the broker: status, workers, jobs list, dead letters, metrics.
    case `operator`
}

/// One route of the HTTP API: the list below is what the server registers and what the test compares
/// with `protocol/openapi.yaml`, so neither can grow a route the other lacks.
package struct GatewayRoute: Sendable, Equatable {
    package enum Method: String, Sendable { case get = "GET", head = "HEAD", post = "POST" }
    package var method: Method
    /// Hummingbird's pattern: `{name}` is a path parameter, as in OpenAPI.
    package var path: String
    package var role: GatewayRole

    package static let all: [GatewayRoute] = [
        GatewayRoute(method: .post, path: "/v1/documents", role: .client),
        GatewayRoute(method: .get, path: "/v1/documents/{id}", role: .client),
        GatewayRoute(method: .get, path: "/v1/jobs/{id}", role: .client),
        GatewayRoute(method: .get, path: "/v1/jobs", role: .operator),
        GatewayRoute(method: .get, path: "/v1/search", role: .client),
        GatewayRoute(method: .get, path: "/v1/status", role: .operator),
        GatewayRoute(method: .get, path: "/v1/workers", role: .operator),
        GatewayRoute(method: .get, path: "/v1/dead-letters", role: .operator),
        GatewayRoute(method: .post, path: "/v1/dead-letters/{id}/retry", role: .operator),
        GatewayRoute(method: .get, path: "/metrics", role: .operator),
        GatewayRoute(method: .head, path: "/metrics", role: .operator),
        GatewayRoute(method: .get, path: "/healthz", role: .open),
        GatewayRoute(method: .get, path: "/readyz", role: .open),
        GatewayRoute(method: .get, path: "/", role: .open),
    ]

    /// `docpipe metrics --listen`: the Prometheus endpoint and liveness, nothing else.
    package static let metricsOnly = all.filter { $0.path == "/metrics" || $0.path == "/healthz" }
}

/// Whether a request may go on: pure, from the route's role, the tokens (nil: none configured, the
/// gateway is on loopback and open to whoever can reach it) and the `Authorization` header.
package enum GatewayAccess {
    package enum Decision: Equatable {
        case allowed(who: String?)
        /// 401: no token, or one nobody holds.
        case unauthenticated
        /// 403: a known token without the role.
        case forbidden(String)
    }

    package static func decide(_ role: GatewayRole, tokens: APITokens?, authorization: String?) -> Decision {
        guard let tokens, role != .open else { return .allowed(who: nil) }
        guard let holder = tokens.holder(ofBearer: authorization) else { return .unauthenticated }
        switch role {
        case .open: return .allowed(who: holder.name)
        case .client where holder.client, .operator where holder.operator: return .allowed(who: holder.name)
        case .client, .operator:
            return .forbidden("'\(holder.name)' does not have the \(role.rawValue) role this needs")
        }
    }
}

/// `GET /readyz`: the broker answers, is active, and every pipeline stage has at least one worker.
package enum Readiness {
    package static func problems(_ status: BrokerStatus) -> [String] {
        var problems: [String] = []
        if !status.isActive { problems.append("the broker at \(status.endpoint) is a standby") }
        let serving = Dictionary(status.services.map { ($0.name, $0.workers) }, uniquingKeysWith: +)
        for stage in Set(status.pipelines.values.flatMap { $0 }).sorted() where serving[stage, default: 0] == 0 {
            let pipelines = status.pipelines.filter { $0.value.contains(stage) }.keys.sorted()
            problems.append(
                "stage '\(stage)' has no worker (pipeline " + pipelines.map { "'\($0)'" }.joined(separator: ", ") + ")")
        }
        return problems
    }
}
