public import ArgumentParser
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
public enum WorkerRunner {
    /// Parses `CommandLine.arguments`, builds the worker with the parsed options, and runs it.
    /// Exits the process with a message on bad flags or a fatal error.
    ///
    /// A plugin with flags of its own takes them out of the command line first and passes the rest as
    /// `arguments`, describing its flags in `extraHelp` (help text lines, already indented).
    public static func main<Worker: DocpipeWorker>(
        summary: String, examples: [String] = [],
        arguments: [String] = Array(CommandLine.arguments.dropFirst()), extraHelp: String = "",
        _ makeWorker: (WorkerOptions) throws -> Worker
    ) async {
        let name = URL(fileURLWithPath: CommandLine.arguments.first ?? "docpipe-worker").lastPathComponent
        if arguments.contains("--help") || arguments.contains("-h") {
            print(helpText(name: name, summary: summary, examples: examples, extraHelp: extraHelp))
            return
        }
        let options: WorkerOptions
        do {
            options = try WorkerOptions.parse(arguments)
        } catch {
            WorkerOptions.exit(withError: error)
        }
        guard let format = LogFormat(rawValue: options.logFormat) else {
            WorkerOptions.exit(withError: ValidationError("--log-format must be text or json, not '\(options.logFormat)'"))
        }
        LogFormat.bootstrap(level: options.logLevel, format: format)
        do {
            let worker = try makeWorker(options)
            try await run(worker, options: options)
        } catch {
            FileHandle.standardError.write(Data("\(name): error: \(error)\n".utf8))
            Foundation.exit(1)
        }
    }

    /// Runs a worker until SIGINT/SIGTERM (or until the task is cancelled).
    public static func run(_ worker: some DocpipeWorker, options: WorkerOptions) async throws {
        var logger = Logger(label: "docpipe.\(worker.service)")
        logger[metadataKey: "service"] = "\(worker.service)"
        guard !ServiceName.isReserved(worker.service) else {
            throw StageFailure(.badRequest, reason: "reserved_service",
                               message: "'\(worker.service)' is reserved for the broker; pick another service name")
        }
        let service = WorkerService(worker: worker, options: options, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    static func helpText(name: String, summary: String, examples: [String], extraHelp: String = "") -> String {
        var text = "OVERVIEW: \(summary)\n\n"
        text += "A docpipe worker: it connects to the broker over MDP/0.1 and processes documents for its stage.\n\n"
        text += WorkerOptions.helpMessage(columns: 100)
            .replacingOccurrences(of: "USAGE: worker-options", with: "USAGE: \(name)")
        if !extraHelp.isEmpty { text += "\n" + extraHelp }
        let shown = examples.isEmpty
            ? ["\(name)", "\(name) --broker tcp://broker-host:5555", "\(name) --log-level debug"] : examples
        text += "\n\nEXAMPLES:\n" + shown.map { "  \($0)" }.joined(separator: "\n")
        return text
    }
}

/// A worker as a swift-service-lifecycle `Service`: socket thread plus a sequential processing loop.
///
/// `WorkerRunner` runs one of these per process; put it in your own `ServiceGroup` to embed a worker
/// in a larger program (or a test: `WorkerKitTesting` does). Graceful shutdown finishes the current
/// document (or hands it back after `options.shutdownGraceMs`) and sends DISCONNECT.
public struct WorkerService: Service {
    let worker: any DocpipeWorker
    let options: WorkerOptions
    let logger: Logger

    public init(worker: any DocpipeWorker, options: WorkerOptions, logger: Logger) {
        self.worker = worker
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        let connection = WorkerConnection(
            settings: .init(endpoint: options.broker, service: worker.service, heartbeatMs: options.heartbeatMs,
                            liveness: options.liveness, shutdownGraceMs: options.shutdownGraceMs,
                            curve: try options.curveKeys()),
            logger: logger)
        let identity = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                        let thread = Thread {
                            do { try connection.run(); done.resume() } catch { done.resume(throwing: error) }
                        }
                        thread.name = "docpipe-worker-socket"
                        thread.start()
                    }
                }
                for await incoming in connection.requests {
                    let reply = await StageHandler.handle(incoming.body, worker: worker, identity: identity,
                                                          logger: logger)
                    connection.complete(incoming, reply: reply)
                }
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            connection.beginShutdown()
        }
    }
}
