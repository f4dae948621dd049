import ArgumentParser
import Foundation
import Logging

/// `--data`: the one folder holding journal, store and config.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data folder. Default: $DOCPIPE_HOME, else ./docpipe-data.")
    var data: String?

    var folder: String { data ?? ProcessInfo.processInfo.environment["DOCPIPE_HOME"] ?? "docpipe-data" }
    var journalPath: String { path("journal.sqlite") }
    var storePath: String { path("store.sqlite") }
    var configPath: String { path("config.json") }

    func path(_ name: String) -> String { URL(fileURLWithPath: folder).appendingPathComponent(name).path }
}

/// `--broker`: where a running broker listens.
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: "Broker endpoint. Default: $DOCPIPE_BROKER, else tcp://127.0.0.1:5555.")
    var broker: String = ProcessInfo.processInfo.environment["DOCPIPE_BROKER"] ?? "tcp://127.0.0.1:5555"

    @Option(name: .customLong("timeout-ms"), help: "How long to wait for each broker reply.")
    var timeoutMs: Int = 5000
}

/// `--log-level`: how chatty the process is on stderr.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func bootstrap() { Self.bootstrap(level: logLevel) }

    static func bootstrap(level name: String) {
        let level = Logger.Level(rawValue: name) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Errors the CLI prints as one line and exits non-zero on.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("docpipe: \(message)\n".utf8))
}
