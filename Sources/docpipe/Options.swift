import ArgumentParser
import DocClient
import DocLogging
import DocProtocol
import Foundation
import Logging
import ZeroMQ

/// `--data`: the one folder holding journal, store and config.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data folder. Default: $DOCPIPE_HOME, else ./docpipe-data.")
    var data: String?

    var folder: String { data ?? ProcessInfo.processInfo.environment["DOCPIPE_HOME"] ?? "docpipe-data" }
    var journalPath: String { path("journal.log") }
    var storePath: String { path("store.sqlite") }
    var configPath: String { path("config.json") }

    func path(_ name: String) -> String { URL(fileURLWithPath: folder).appendingPathComponent(name).path }
}

/// `--broker`: where a running broker listens.
struct BrokerOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Broker endpoint, or a comma-separated list of brokers sharing a journal (requests go to the active one). Default: $DOCPIPE_BROKER, else tcp://127.0.0.1:5555."
    )
    var broker: String = ProcessInfo.processInfo.environment["DOCPIPE_BROKER"] ?? "tcp://127.0.0.1:5555"

    @Option(name: .customLong("timeout-ms"), help: "How long to wait for each broker reply.")
    var timeoutMs: Int = 5000

    @Option(
        name: .customLong("server-key"),
        help: "A CURVE broker's public key: its server.key file or the Z85 text. Default: $DOCPIPE_SERVER_KEY.")
    var serverKey: String?

    @Option(
        name: .long, help: "Your CURVE secret key file (NAME.key_secret from `docpipe keygen`). Default: $DOCPIPE_KEY.")
    var key: String?

    /// The endpoints of --broker: one, or several for brokers sharing a journal.
    var endpoints: [String] { BrokerEndpoints.parse(broker) }

    /// Resolves the CURVE keys once and makes them every client's default (`ClientIdentity`), so each
    /// subcommand talks CURVE without passing keys around.
    func validate() throws {
        if endpoints.isEmpty { throw ValidationError("--broker needs an endpoint (or a comma-separated list)") }
        do {
            ClientIdentity.curve = try CurveClientKeys.resolve(serverKey: serverKey, key: key)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// `--log-level`, `--log-format`: how chatty the process is on stderr, and whether for people or machines.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(
        name: .customLong("log-format"),
        help: "text, or json: one JSON object per line (ts, level, label, message, metadata).")
    var logFormat: String = "text"

    func validate() throws {
        if LogFormat(rawValue: logFormat) == nil { throw ValidationError("--log-format must be text or json") }
    }

    func bootstrap() { Self.bootstrap(level: logLevel, format: LogFormat(rawValue: logFormat) ?? .text) }

    static func bootstrap(level name: String, format: LogFormat = .text) {
        LogFormat.bootstrap(level: name, format: format)
    }
}

/// Errors the CLI prints as one line and exits non-zero on.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("docpipe: \(message)\n".utf8))
}
