import ArgumentParser
import DocBroker
import DocClient
import DocProtocol
import DocStore
import Foundation
import Logging
import ServiceLifecycle
import Supervisor

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
                  docpipe run scans/ --language de        # OCR reads the scans in German
                """)

        @Argument(help: "Files or folders to process; - reads one document from stdin.") var paths: [String]
        @Option(name: .long, help: "Pipeline to run.") var pipeline = "default"
        @Option(name: .long, help: "Seconds to wait for all documents.") var timeout = 300
        @Flag(name: .long, help: "Print the stored documents as JSON.") var json = false
        @Flag(name: .long, help: "Print just the results table: no progress bar, no per-document sections.")
        var quiet = false
        @OptionGroup var data: DataOptions
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var documentMetadata: DocumentMetadataOptions
        @Option(name: .customLong("log-level"), help: "Log level for the broker and workers.") var logLevel = "warning"

        func run() async throws {
            LogOptions.bootstrap(level: logLevel)
            // A bad --store fails here, before anything starts, rather than in the storage writer's log.
            _ = try storeOptions.location(data: data)
            storeOptions.passToWorkers()
            let inputs = DocumentFiles.tagged(try DocumentFiles.collect(paths), with: documentMetadata.metadata)
            guard !inputs.isEmpty else { throw CLIError("no files found in \(paths.joined(separator: " "))") }

            let configuration = try BrokerCommand.configuration(bind: "tcp://127.0.0.1:*", data: data, configFile: nil)
            let logger = Logger(label: "docpipe.broker")
            let brokerService = BrokerService(broker: Broker(configuration: configuration, logger: logger))
            let workers = WorkerProcesses()
            let (pipeline, timeout, quiet, json, data, storeOptions, logLevel) =
                (pipeline, timeout, quiet, json, data, storeOptions, logLevel)
            // The session is a service beside the broker's, in one group: its end (or Ctrl-C/SIGTERM) shuts
            // the group down in reverse order — the workers are stopped first, then the broker.
            let session = ClosureService {
                defer { workers.stopAll() }
                let endpoint = try await brokerService.boundEndpoint(timeout: .seconds(10))
                let finished = try await BlockingWork.run(name: "docpipe-run") {
                    for name in WorkerProcesses.builtIn {
                        try workers.start(name, broker: endpoint, data: data.folder, logLevel: logLevel)
                    }
                    return try Self.process(
                        inputs, pipeline: pipeline, endpoint: endpoint, timeout: timeout, quiet: quiet)
                } interrupt: {
                    FileHandle.standardError.write(Data("\ndocpipe: interrupted; stopping workers\n".utf8))
                    workers.stopAll(graceSeconds: 2)
                }
                let store = try? await storeOptions.openForReading(data: data)
                try await RunReport.print(finished, store: store, json: json, quiet: quiet)
                await store?.close()
                if finished.contains(where: { $0.1?.state != .done }) { throw ExitCode(1) }
            }
            let group = ServiceGroup(
                configuration: .init(
                    services: [
                        .init(service: brokerService),
                        .init(
                            service: session, successTerminationBehavior: .gracefullyShutdownGroup,
                            failureTerminationBehavior: .gracefullyShutdownGroup),
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch is BlockingWork.Interrupted {
                throw ExitCode(130)
            }
        }

        /// Submits the files and waits for each job: blocking client calls, run off the cooperative pool.
        private static func process(
            _ inputs: [DocumentFiles.Input], pipeline: String, endpoint: String, timeout: Int, quiet: Bool
        ) throws -> [(Submit.SubmitOutcome, JobStatus?)] {
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
            return finished
        }
    }
}
