import ArgumentParser
public import DocProtocol
import Foundation
import ZeroMQ

/// Command-line flags every docpipe worker understands, parsed, plus the values of the plugin's own
/// flags (`PluginFlag`).
///
/// A plain struct of WorkerKit's own: the parsing is done by swift-argument-parser inside WorkerKit
/// (`WorkerFlags`), but neither its types nor ZeroMQ's appear in WorkerKit's public API, so a plugin
/// imports WorkerKit and DocProtocol and nothing else to be a worker.
public struct WorkerOptions: Sendable {
    /// `--broker`: a broker endpoint, or a comma-separated list of brokers sharing a journal.
    public var broker: String = ProcessInfo.processInfo.environment["DOCPIPE_BROKER"] ?? "tcp://127.0.0.1:5555"
    /// `--data`: the data folder as given; `dataFolder` applies the defaults.
    public var data: String?
    /// `--heartbeat-ms`: heartbeat interval in milliseconds.
    public var heartbeatMs: Int = 2500
    /// `--liveness`: missed heartbeats before the broker is considered gone.
    public var liveness: Int = 3
    /// `--log-level`: trace, debug, info, notice, warning, error or critical.
    public var logLevel: String = "info"
    /// `--log-format`: text or json.
    public var logFormat: String = "text"
    /// `--shutdown-grace-ms`: on SIGTERM, how long the documents in progress may take.
    public var shutdownGraceMs: Int = 10_000
    /// `--concurrency`: documents processed at once, when given; `concurrency(default:)` applies the defaults.
    public var concurrency: Int?
    /// `--prefetch`: requests held waiting beyond those in progress, when given; `prefetchCount(default:)`
    /// applies the defaults.
    public var prefetch: Int?
    /// `--server-key`: the broker's CURVE public key (file or Z85 text).
    public var serverKey: String?
    /// `--key`: this worker's CURVE secret key file.
    public var key: String?
    /// The plugin's own flags as given on the command line, by name (without dashes); see `value(of:)`.
    public var pluginValues: [String: String] = [:]

    public init() {}

    /// Parses a worker's command line: the shared flags strictly (an unknown flag is an error) after the
    /// plugin's own `flags` are taken out. Throws `WorkerOptionsError` with a message for people.
    public static func parse(_ arguments: [String], flags: [PluginFlag] = []) throws(WorkerOptionsError)
        -> WorkerOptions
    {
        var rest = arguments
        var values: [String: String] = [:]
        for flag in flags {
            let (value, remaining) = PluginArguments.take("--" + flag.name, from: rest)
            // `take` leaves a trailing `--model` without its value in place; say what it needs rather than
            // letting the strict parse call it unknown.
            if remaining.contains("--" + flag.name) {
                throw WorkerOptionsError("--\(flag.name) needs a value (<\(flag.valueName)>)")
            }
            rest = remaining
            if let value { values[flag.name] = value }
        }
        var options: WorkerOptions
        do {
            options = try WorkerFlags.parse(rest).options
        } catch {
            throw WorkerOptionsError(WorkerFlags.message(for: error))
        }
        options.pluginValues = values
        return options
    }

    /// The value of one of the plugin's flags: from the command line, else its environment variable
    /// (an empty variable counts as unset), else nil.
    public func value(of flag: PluginFlag) -> String? {
        if let given = pluginValues[flag.name] { return given }
        guard let variable = flag.environment, let value = ProcessInfo.processInfo.environment[variable],
            !value.isEmpty
        else { return nil }
        return value
    }

    /// How many documents this worker processes at once: --concurrency, then $DOCPIPE_CONCURRENCY, then
    /// the plugin's `defaultConcurrency`, then the machine's core count (right for CPU-bound stages).
    public func concurrency(default defaultConcurrency: Int? = nil) -> Int {
        let chosen =
            concurrency
            ?? ProcessInfo.processInfo.environment["DOCPIPE_CONCURRENCY"].flatMap { Int($0) }
            ?? defaultConcurrency
            ?? ProcessInfo.processInfo.activeProcessorCount
        return min(max(1, chosen), WorkerIdentity.maxCredit)
    }

    /// How many requests this worker holds waiting beyond the ones in progress: --prefetch, then
    /// $DOCPIPE_PREFETCH, then the plugin's `defaultPrefetch`, then 0.
    ///
    /// A worker that holds only what it processes waits one broker round trip for its next document each
    /// time it finishes one; requests already waiting here start at once. That round trip is about a
    /// millisecond on a loaded broker, so it matters for stages that take milliseconds a document (the
    /// storage writer, light plugins) and not for minutes-long ones. The price: a waiting request's stage
    /// timeout is running, and it is not free for another worker meanwhile (`make bench`'s no-op stages,
    /// which answer one request at a time, went 1.4× faster at credit 64 than at 16).
    public func prefetchCount(default defaultPrefetch: Int = 0) -> Int {
        let chosen =
            prefetch ?? ProcessInfo.processInfo.environment["DOCPIPE_PREFETCH"].flatMap { Int($0) } ?? defaultPrefetch
        return min(max(0, chosen), WorkerIdentity.maxCredit - 1)
    }

    /// The credit advertised to the broker: the documents processed at once plus those held waiting, at
    /// most `WorkerIdentity.maxCredit`.
    public func credit(defaultConcurrency: Int? = nil, defaultPrefetch: Int = 0) -> Int {
        min(
            concurrency(default: defaultConcurrency) + prefetchCount(default: defaultPrefetch),
            WorkerIdentity.maxCredit)
    }

    /// The endpoints of --broker (or $DOCPIPE_BROKER): one, or a comma-separated list.
    public func brokerEndpoints() throws(WorkerOptionsError) -> BrokerEndpoints {
        guard let endpoints = BrokerEndpoints(broker) else {
            throw WorkerOptionsError("--broker needs an endpoint (or a comma-separated list), not '\(broker)'")
        }
        return endpoints
    }

    /// The CURVE keys from --server-key/--key (or their environment variables); nil for plaintext.
    func curveKeys() throws -> CurveClientKeys? {
        try CurveClientKeys.resolve(serverKey: serverKey, key: key)
    }

    /// The data folder after applying the defaults: --data, then $DOCPIPE_HOME, then ./docpipe-data.
    public var dataFolder: String {
        data ?? ProcessInfo.processInfo.environment["DOCPIPE_HOME"] ?? "docpipe-data"
    }
}

/// A bad worker command line (or plugin setting), in words for the person who typed it.
public struct WorkerOptionsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A flag only one plugin has (`--model FILE`, `--store URL`), declared to `WorkerRunner.main(flags:)`:
/// WorkerKit takes it out of the command line before parsing the shared flags strictly, lists it under
/// `--help`, and hands its value to the plugin as `options.value(of: flag)`.
public struct PluginFlag: Sendable, Hashable {
    /// The long name without dashes: `model` for `--model`.
    public var name: String
    /// What the value is, for `--help`: `--model <file>`.
    public var valueName: String
    /// One or two sentences for `--help`.
    public var help: String
    /// An environment variable read when the flag is not given (`DOCPIPE_CLASSIFIER_MODEL`).
    public var environment: String?

    public init(_ name: String, valueName: String = "value", help: String, environment: String? = nil) {
        self.name = name
        self.valueName = valueName
        self.help = help
        self.environment = environment
    }

    /// The flag's lines under `--help`, laid out like swift-argument-parser's: name in a 26-column
    /// gutter, help wrapped at `columns`.
    func helpLines(columns: Int = 100) -> String {
        let head = "  --\(name) <\(valueName)>"
        let gutter = 26
        var lines: [String] = []
        var line = head.count < gutter ? head.padding(toLength: gutter, withPad: " ", startingAt: 0) : head
        if head.count >= gutter {
            lines.append(line)
            line = String(repeating: " ", count: gutter)
        }
        var lineHasWords = false
        let text = help + (environment.map { " Environment: $\($0)." } ?? "")
        for word in text.split(separator: " ") {
            if lineHasWords, line.count + 1 + word.count > columns {
                lines.append(line)
                line = String(repeating: " ", count: gutter)
                lineHasWords = false
            }
            line += (lineHasWords ? " " : "") + word
            lineHasWords = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

/// The shared flags as swift-argument-parser sees them; internal, so its types stay out of WorkerKit's API.
struct WorkerFlags: ParsableArguments {
    static let defaults = WorkerOptions()

    @Option(
        name: .long,
        help:
            "Broker endpoint to connect to, or a comma-separated list of brokers sharing a journal (failover: the worker moves to the next one whenever it reconnects)."
    )
    var broker: String = ProcessInfo.processInfo.environment["DOCPIPE_BROKER"] ?? "tcp://127.0.0.1:5555"

    @Option(
        name: .long,
        help: "Data folder (the storage writer keeps its store here). Default: $DOCPIPE_HOME or ./docpipe-data.")
    var data: String?

    @Option(name: .customLong("heartbeat-ms"), help: "Heartbeat interval in milliseconds (MDP default 2500).")
    var heartbeatMs: Int = defaults.heartbeatMs

    @Option(name: .long, help: "Missed heartbeats before the broker is considered gone.")
    var liveness: Int = defaults.liveness

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = defaults.logLevel

    @Option(
        name: .customLong("log-format"),
        help: "text, or json: one JSON object per line (ts, level, label, message, metadata).")
    var logFormat: String = defaults.logFormat

    @Option(
        name: .customLong("shutdown-grace-ms"),
        help: "On SIGTERM, how long to let the current document finish before handing it back.")
    var shutdownGraceMs: Int = defaults.shutdownGraceMs

    @Option(
        name: .long,
        help:
            "Documents processed at once; the broker is told it may send this many (the credit). Default: $DOCPIPE_CONCURRENCY, else the plugin's default, else the number of cores."
    )
    var concurrency: Int?

    @Option(
        name: .long,
        help:
            "Requests held waiting beyond --concurrency, so the next document is here when one is done (the broker's round trip is not spent idle; worth it for stages of milliseconds a document). Waiting ones are handed back on shutdown. Default: $DOCPIPE_PREFETCH, else the plugin's default (the storage writer 4), else 0."
    )
    var prefetch: Int?

    @Option(
        name: .customLong("server-key"),
        help:
            "The broker's CURVE public key: its server.key file or the 40-character Z85 text. Default: $DOCPIPE_SERVER_KEY."
    )
    var serverKey: String?

    @Option(
        name: .long,
        help: "This worker's CURVE secret key file (NAME.key_secret from `docpipe keygen`). Default: $DOCPIPE_KEY.")
    var key: String?

    init() {}

    var options: WorkerOptions {
        var options = WorkerOptions()
        options.broker = broker
        options.data = data
        options.heartbeatMs = heartbeatMs
        options.liveness = liveness
        options.logLevel = logLevel
        options.logFormat = logFormat
        options.shutdownGraceMs = shutdownGraceMs
        options.concurrency = concurrency
        options.prefetch = prefetch
        options.serverKey = serverKey
        options.key = key
        return options
    }

    /// Rejects a broker list that names no endpoint, a concurrency (flag or environment) outside
    /// 1…`WorkerIdentity.maxCredit` and a prefetch outside 0…`WorkerIdentity.maxCredit` - 1.
    func validate() throws {
        do {
            _ = try options.brokerEndpoints()
        } catch {
            throw ValidationError(error.message)
        }
        if let concurrency { try Self.checkConcurrency(concurrency, from: "--concurrency") }
        if let text = ProcessInfo.processInfo.environment["DOCPIPE_CONCURRENCY"] {
            guard let value = Int(text) else {
                throw ValidationError("DOCPIPE_CONCURRENCY must be a whole number, not '\(text)'")
            }
            try Self.checkConcurrency(value, from: "DOCPIPE_CONCURRENCY")
        }
        if let prefetch { try Self.checkPrefetch(prefetch, from: "--prefetch") }
        if let text = ProcessInfo.processInfo.environment["DOCPIPE_PREFETCH"] {
            guard let value = Int(text) else {
                throw ValidationError("DOCPIPE_PREFETCH must be a whole number, not '\(text)'")
            }
            try Self.checkPrefetch(value, from: "DOCPIPE_PREFETCH")
        }
    }

    private static func checkPrefetch(_ value: Int, from source: String) throws {
        guard (0..<WorkerIdentity.maxCredit).contains(value) else {
            throw ValidationError("\(source) must be between 0 and \(WorkerIdentity.maxCredit - 1), not \(value)")
        }
    }

    private static func checkConcurrency(_ value: Int, from source: String) throws {
        guard (1...WorkerIdentity.maxCredit).contains(value) else {
            throw ValidationError("\(source) must be between 1 and \(WorkerIdentity.maxCredit), not \(value)")
        }
    }
}
