import ArgumentParser
import DocBroker
import DocClient
import DocProtocol
import DocStore
import Foundation
import Synchronization
import Logging

extension Docpipe {
    /// `docpipe run`: the embedded all-in-one — broker, one worker of each kind, process, print, stop.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Process files end to end on this machine and print what was found.",
            discussion: """
                Starts a broker on a free loopback port and one of each worker (extractor, classifier, \
                summarizer, storage-writer) as child processes, submits the files, waits, prints a results \
                table and stops everything. Results stay in the data folder for `docpipe search` and `show`.

                EXAMPLES:
                  docpipe run seeds/
                  docpipe run report.html notes.md --json
                  docpipe run inbox/ --data /tmp/docpipe-demo
                  docpipe run inbox/ --store postgres://docpipe@localhost/docpipe
                  docpipe run inbox/ --quiet              # just the table
                """)

        @Argument(help: "Files or folders to process; - reads one document from stdin.") var paths: [String]
        @Option(name: .long, help: "Pipeline to run.") var pipeline = "default"
        @Option(name: .long, help: "Seconds to wait for all documents.") var timeout = 300
        @Flag(name: .long, help: "Print the stored documents as JSON.") var json = false
        @Flag(name: .long, help: "Print just the results table: no progress bar, no per-document sections.")
        var quiet = false
        @OptionGroup var data: DataOptions
        @OptionGroup var storeOptions: StoreOptions
        @Option(name: .customLong("log-level"), help: "Log level for the broker and workers.") var logLevel = "warning"

        func run() async throws {
            LogOptions.bootstrap(level: logLevel)
            // A bad --store fails here, before anything starts, rather than in the storage writer's log.
            _ = try storeOptions.location(data: data)
            storeOptions.passToWorkers()
            let inputs = try DocumentFiles.collect(paths)
            guard !inputs.isEmpty else { throw CLIError("no files found in \(paths.joined(separator: " "))") }

            let configuration = try BrokerCommand.configuration(bind: "tcp://127.0.0.1:*", data: data, configFile: nil)
            let broker = Broker(configuration: configuration, logger: Logger(label: "docpipe.broker"))
            let brokerThread = BrokerThread(broker: broker)
            let workers = WorkerProcesses()
            let interrupt = InterruptGuard { workers.stopAll(graceSeconds: 2); broker.stop() }
            defer {
                interrupt.disarm()
                workers.stopAll()
                brokerThread.stopAndWait()
            }
            let endpoint = try brokerThread.start(timeoutSeconds: 10)
            for name in WorkerProcesses.builtIn {
                try workers.start(name, broker: endpoint, data: data.folder, logLevel: logLevel)
            }
            let client = try DocpipeClient(broker: endpoint, timeoutMs: 10_000)
            let outcomes = try Submit.submitAll(inputs, pipeline: pipeline, client: client)
            var progress = ProgressBar(total: outcomes.count, label: "processing", quiet: quiet)
            var finished: [(Submit.SubmitOutcome, JobStatus?)] = []
            let deadline = Date().addingTimeInterval(Double(timeout))
            for (index, outcome) in outcomes.enumerated() {
                guard let jobID = outcome.jobID else {
                    finished.append((outcome, nil))
                    continue
                }
                let remaining = Int(deadline.timeIntervalSinceNow * 1000)
                finished.append((outcome, try client.waitForJob(jobID, timeoutMs: max(remaining, 1))))
                progress.update(index + 1)
            }
            let store = try? await storeOptions.openForReading(data: data)
            try await RunReport.print(finished, store: store, json: json, quiet: quiet)
            await store?.close()
            if finished.contains(where: { $0.1?.state != .done }) { throw ExitCode(1) }
        }
    }
}

/// Runs a `Broker` on a dedicated thread for commands that embed one.
///
/// Unchecked Sendable for `thread`, which only the starting thread touches; the failure the broker thread
/// leaves is behind a lock (it is written there and read here).
final class BrokerThread: @unchecked Sendable {
    let broker: Broker
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    private let failureBox = Mutex<(any Error)?>(nil)
    var failure: (any Error)? { failureBox.withLock { $0 } }

    init(broker: Broker) { self.broker = broker }

    /// Starts the loop and waits until the socket is bound; returns the bound endpoint.
    func start(timeoutSeconds: Double) throws -> String {
        let thread = Thread { [self] in
            do { try broker.run() } catch { failureBox.withLock { $0 = error } }
            finished.signal()
        }
        self.thread = thread
        thread.start()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while broker.boundEndpoint == nil {
            if let failure { throw failure }
            guard Date() < deadline else { throw CLIError("the embedded broker did not start within \(timeoutSeconds)s") }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return broker.boundEndpoint!
    }

    func stopAndWait() {
        guard thread != nil else { return }
        broker.stop()
        _ = finished.wait(timeout: .now() + 10)
        thread = nil
    }
}

/// On Ctrl-C or SIGTERM, runs a cleanup (stop children) and exits 130, instead of orphaning workers.
final class InterruptGuard {
    private var sources: [any DispatchSourceSignal] = []

    init(_ cleanup: @escaping @Sendable () -> Void) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("\ndocpipe: interrupted; stopping workers\n".utf8))
                cleanup()
                Foundation.exit(130)
            }
            source.resume()
            sources.append(source)
        }
    }

    func disarm() {
        sources.forEach { $0.cancel() }
        sources.removeAll()
    }
}
