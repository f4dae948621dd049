import DocLogging
public import DocProtocol
import Foundation
public import Logging
public import ServiceLifecycle

/// Runs a `DocpipeWorker` as a process: parses flags, sets up logging, serves MDP until SIGINT/SIGTERM.
///
/// A plugin's whole `main.swift` is typically:
/// ```swift
/// import WorkerKit
/// await WorkerRunner.main(summary: "Summarizes documents.") { _ in MyWorker() }
/// ```
///
/// WorkerKit's public API is its own types and DocProtocol's, plus swift-log's `Logger` and
/// swift-service-lifecycle's `Service` (the vocabulary a program embedding a worker in its own
/// `ServiceGroup` already speaks). ZeroMQ and swift-argument-parser are implementation details.
public enum WorkerRunner {
    /// Parses `CommandLine.arguments`, builds the worker with the parsed options, and runs it.
    /// Exits the process with a message on bad flags or a fatal error (including any error
    /// `makeWorker` throws, such as a `WorkerOptionsError` for a bad value of a plugin flag).
    ///
    /// A plugin with flags of its own declares them in `flags`; their values reach `makeWorker` as
    /// `options.value(of: flag)`, and `--help` lists them. (`extraHelp`, help text lines already indented,
    /// is appended as it is, for anything else to say.)
    ///
    /// `defaultConcurrency` is how many documents the worker processes at once unless `--concurrency` or
    /// `$DOCPIPE_CONCURRENCY` says otherwise; nil means the machine's core count (right for CPU-bound
    /// stages). A stage behind a single writer (one SQLite database, say) passes 1. `defaultPrefetch` is how
    /// many requests it holds waiting beyond those unless `--prefetch` or `$DOCPIPE_PREFETCH` says otherwise
    /// (0: none); a stage of milliseconds a document passes a few, so it does not idle between documents.
    public static func main<Worker: DocpipeWorker>(
        summary: String, examples: [String] = [],
        arguments: [String] = Array(CommandLine.arguments.dropFirst()), flags: [PluginFlag] = [],
        extraHelp: String = "", defaultConcurrency: Int? = nil, defaultPrefetch: Int = 0,
        _ makeWorker: (WorkerOptions) async throws -> Worker
    ) async {
        let name = URL(fileURLWithPath: CommandLine.arguments.first ?? "docpipe-worker").lastPathComponent
        if arguments.contains("--help") || arguments.contains("-h") {
            print(helpText(name: name, summary: summary, examples: examples, flags: flags, extraHelp: extraHelp))
            return
        }
        let options: WorkerOptions
        do {
            options = try WorkerOptions.parse(arguments, flags: flags)
        } catch {
            exit(name, "\(error) (\(name) --help lists the flags)", code: 64)
        }
        guard let format = LogFormat(rawValue: options.logFormat) else {
            exit(name, "--log-format must be text or json, not '\(options.logFormat)'", code: 64)
        }
        LogFormat.bootstrap(level: options.logLevel, format: format)
        do {
            let worker = try await makeWorker(options)
            try await run(
                worker, options: options, defaultConcurrency: defaultConcurrency, defaultPrefetch: defaultPrefetch)
        } catch {
            exit(name, "\(error)", code: 1)
        }
    }

    /// Prints `NAME: error: MESSAGE` and exits; 64 (EX_USAGE) for a bad command line, as
    /// swift-argument-parser's validation errors did.
    private static func exit(_ name: String, _ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("\(name): error: \(message)\n".utf8))
        Foundation.exit(code)
    }

    /// Runs a worker until SIGINT/SIGTERM (or until the task is cancelled); see `main` for `defaultConcurrency`
    /// and `defaultPrefetch`.
    public static func run(
        _ worker: some DocpipeWorker, options: WorkerOptions, defaultConcurrency: Int? = nil, defaultPrefetch: Int = 0
    ) async throws {
        var logger = Logger(label: "docpipe.\(worker.service)")
        logger[metadataKey: "service"] = "\(worker.service)"
        guard !ServiceName.isReserved(worker.service) else {
            throw StageFailure(
                .badRequest, reason: "reserved_service",
                message: "'\(worker.service)' is reserved for the broker; pick another service name")
        }
        let service = WorkerService(
            worker: worker, options: options, logger: logger,
            defaultConcurrency: defaultConcurrency, defaultPrefetch: defaultPrefetch)
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    static func helpText(
        name: String, summary: String, examples: [String], flags: [PluginFlag] = [], extraHelp: String = ""
    ) -> String {
        var text = "OVERVIEW: \(summary)\n\n"
        text += "A docpipe worker: it connects to the broker over MDP/0.1 and processes documents for its stage.\n\n"
        text += WorkerFlags.helpMessage(columns: 100)
            .replacingOccurrences(of: "USAGE: worker-flags", with: "USAGE: \(name)")
        if !flags.isEmpty {
            text += "\nPLUGIN OPTIONS:\n" + flags.map { $0.helpLines() }.joined(separator: "\n")
        }
        if !extraHelp.isEmpty { text += "\n" + extraHelp }
        let shown =
            examples.isEmpty
            ? [
                "\(name)", "\(name) --broker tcp://broker-host:5555", "\(name) --log-level debug",
                "\(name) --broker tcp://broker-a:5555,tcp://broker-b:5555   # brokers sharing a journal",
            ]
            : examples
        text += "\n\nEXAMPLES:\n" + shown.map { "  \($0)" }.joined(separator: "\n")
        return text
    }
}

/// A worker as a swift-service-lifecycle `Service`: the socket thread plus up to `concurrency` documents
/// processed at once in a task group.
///
/// `WorkerRunner` runs one of these per process; put it in your own `ServiceGroup` to embed a worker
/// in a larger program (or a test: `WorkerKitTesting` does). Graceful shutdown stops taking work, lets
/// the documents in progress finish (or hands them back after `options.shutdownGraceMs`) and sends DISCONNECT.
public struct WorkerService: Service {
    let worker: any DocpipeWorker
    let options: WorkerOptions
    let logger: Logger
    /// Documents processed at once.
    public let concurrency: Int
    /// Requests held waiting beyond those in progress (`--prefetch`); the credit advertised to the broker is
    /// `concurrency + prefetch`.
    public let prefetch: Int

    /// `defaultConcurrency` applies when neither `--concurrency` nor `$DOCPIPE_CONCURRENCY` is set;
    /// nil means the machine's core count. `defaultPrefetch` likewise for `--prefetch`.
    public init(
        worker: any DocpipeWorker, options: WorkerOptions, logger: Logger, defaultConcurrency: Int? = nil,
        defaultPrefetch: Int = 0
    ) {
        self.worker = worker
        self.options = options
        self.logger = logger
        concurrency = options.concurrency(default: defaultConcurrency)
        prefetch =
            options.credit(defaultConcurrency: defaultConcurrency, defaultPrefetch: defaultPrefetch) - concurrency
    }

    public func run() async throws {
        let connection = WorkerConnection(
            settings: .init(
                endpoints: try options.brokerEndpoints(), service: worker.service,
                heartbeatMs: options.heartbeatMs,
                liveness: options.liveness, shutdownGraceMs: options.shutdownGraceMs,
                credit: concurrency + prefetch, curve: try options.curveKeys()),
            logger: logger)
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                        let thread = Thread {
                            do {
                                try connection.run()
                                done.resume()
                            } catch { done.resume(throwing: error) }
                        }
                        thread.name = "docpipe-worker-socket"
                        thread.start()
                    }
                }
                await process(connection.requests, connection: connection)
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            connection.beginShutdown()
        }
    }

    /// Runs up to `concurrency` requests at once until the connection ends; the rest of the credit
    /// (`prefetch`) waits here for a free slot. The connection never delivers more than the credit per
    /// connection; the cap here also holds across a reconnect, when requests from the old connection may
    /// still be running. Once shutdown has begun, a request not yet started is declined: it is handed back
    /// by the DISCONNECT, so the shutdown waits only for the documents in progress.
    private func process(_ requests: AsyncStream<WorkerConnection.Request>, connection: WorkerConnection) async {
        let identity = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await request in requests {
                if connection.isShuttingDown {
                    connection.decline(request)
                    continue
                }
                if running >= concurrency {
                    await group.next()
                    running -= 1
                }
                running += 1
                group.addTask {
                    // Delivered before a reconnect: the broker has re-queued it, so do not spend time on it.
                    guard connection.isCurrent(request) else { return }
                    // Shutdown began while it waited for a slot.
                    guard !connection.isShuttingDown else { return connection.decline(request) }
                    let reply = await StageHandler.handle(
                        request.body, worker: worker, identity: identity,
                        logger: logger)
                    connection.complete(request, reply: reply)
                }
            }
            // The connection is gone: nobody can receive these replies any more.
            group.cancelAll()
        }
    }
}

/// ServiceLifecycle describes every service it is given (`String(describing:)`, for its logs) when the
/// group is made. Without a description of its own that walks the whole worker by reflection — for the
/// extractor its language model, hundreds of thousands of n-grams: 85 % of a 5.7 s start in a debug build
/// (perf), long enough under load for a worker's first READY to miss a test's 10 s. It says what it is instead.
extension WorkerService: CustomStringConvertible {
    public var description: String {
        "WorkerService(\(worker.service), concurrency \(concurrency)\(prefetch > 0 ? ", prefetch \(prefetch)" : ""))"
    }
}
