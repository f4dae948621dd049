import ArgumentParser
import DocBroker
import DocStore
import DocpipeGateway
import Foundation
import Logging

extension Docpipe {
    /// `docpipe gateway`: the HTTP front door.
    struct Gateway: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve docpipe over HTTP: submit documents, follow jobs, search, operate, and a live dashboard.",
            discussion: """
                The gateway is a client of the broker like the CLI (same --broker list and CURVE keys) and reads \
                the store for search and documents (same --store). The API is versioned under /v1 and answers \
                JSON; protocol/HTTP.md and protocol/openapi.yaml describe every route. GET /metrics serves the \
                Prometheus text, GET /healthz says the gateway is up, GET /readyz that the broker answers and \
                every pipeline stage has a worker, and / is the dashboard.

                Authentication: --tokens FILE, one `NAME TOKEN ROLES` a line (roles client and/or operator), \
                sent as `Authorization: Bearer TOKEN`; the file is re-read when it changes. Without --tokens the \
                gateway serves only loopback: binding another address without tokens is refused.

                EXAMPLES:
                  docpipe gateway                                   # http://127.0.0.1:8080, open to this machine
                  curl -X POST --data-binary @report.pdf -H 'Content-Type: application/pdf' \\
                       -H 'X-Docpipe-Filename: report.pdf' http://127.0.0.1:8080/v1/documents
                  curl -F file=@a.html -F file=@b.txt http://127.0.0.1:8080/v1/documents
                  curl 'http://127.0.0.1:8080/v1/jobs/JOB_ID?wait=30'
                  docpipe gateway --listen 0.0.0.0:8080 --tokens /etc/docpipe/tokens --broker tcp://broker:5555
                """)

        @Option(name: .long, help: "HOST:PORT to serve on (port 0: any free port, printed at start).")
        var listen = "127.0.0.1:8080"
        @Option(name: .long, help: "API tokens file: `NAME TOKEN ROLES` a line. Required unless --listen is loopback.")
        var tokens: String?
        @Option(name: .customLong("max-body-mb"), help: "Largest request body accepted, in MiB (413 above).")
        var maxBodyMB = 64
        @Option(name: .long, help: "Pipeline for documents posted without ?pipeline=.")
        var pipeline = "default"
        @Option(name: .long, help: "Broker calls in flight at once (each has its own connection).")
        var lanes = 4
        @Option(name: .customLong("idle-timeout-s"), help: "Close a connection that sends nothing for this long.")
        var idleTimeoutS = 30
        @OptionGroup var broker: BrokerOptions
        @OptionGroup var data: DataOptions
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var log: LogOptions

        func validate() throws {
            guard let (host, _) = GatewayListen.parse(listen) else {
                throw ValidationError("--listen wants HOST:PORT, e.g. 127.0.0.1:8080, not '\(listen)'")
            }
            if tokens == nil, !EndpointScope.isLoopback("tcp://\(host):1") {
                throw ValidationError(
                    """
                    refusing to serve \(listen) without --tokens: anyone who can reach it could submit documents \
                    and read the store. Give --tokens FILE (one `NAME TOKEN ROLES` a line; `openssl rand -hex 24` \
                    makes a token), or listen on 127.0.0.1 and put a proxy in front.
                    """)
            }
            guard maxBodyMB >= 1, lanes >= 1, idleTimeoutS >= 1 else {
                throw ValidationError("--max-body-mb, --lanes and --idle-timeout-s must be at least 1")
            }
        }

        func run() async throws {
            log.bootstrap()
            let logger = Logger(label: "docpipe.gateway")
            let (host, port) = GatewayListen.parse(listen)!
            let tokenFile = try tokens.map { path in
                try APITokenFile(path: path) { message in logger.warning("\(message)") }
            }
            let settings = GatewaySettings(
                host: host, port: port, broker: broker.broker, brokerTimeoutMs: broker.timeoutMs, lanes: lanes,
                maxBodyBytes: maxBodyMB << 20, pipeline: pipeline, idleTimeoutS: idleTimeoutS)
            let server = try GatewayServer(
                settings: settings, store: try storeOptions.location(data: data),
                tokens: tokenFile, logger: logger)
            let shown = host.contains(":") ? "[\(host)]" : host
            try await server.run { bound in
                printError(
                    "gateway serving http://\(shown):\(bound)/ (broker \(settings.broker)"
                        + (tokenFile.map { ", \($0.current().count) API token(s) from \($0.path)" }
                            ?? ", no tokens: loopback only")
                        + "); Ctrl-C stops")
            }
        }
    }
}
