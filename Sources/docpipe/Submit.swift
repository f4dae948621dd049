import ArgumentParser
import DocClient
import DocProtocol
import Foundation

extension Docpipe {
    /// `docpipe submit`: send files to a running broker.
    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Submit documents (files, folders, or - for stdin) to a running broker.",
            discussion: """
                Each document is journalled by the broker before it answers (202), so once submitted it will \
                not be lost. Documents travel up to 100 (or 8 MiB) to a request; those the broker is too busy \
                for are sent again when it says. Prints one job id per document.

                EXAMPLES:
                  docpipe submit report.html
                  docpipe submit inbox/ --wait
                  curl -s https://example.org/a.html | docpipe submit - --pipeline default
                  docpipe submit seeds/ --json
                """)

        @Argument(help: "Files or folders to submit; - reads one document from stdin.") var paths: [String]
        @Option(name: .long, help: "Pipeline to run the documents through.") var pipeline = "default"
        @Flag(name: .long, help: "Wait until every job is done or failed.") var wait = false
        @Option(name: .customLong("wait-timeout"), help: "Seconds to wait with --wait.") var waitTimeout = 300
        @Flag(name: .long, help: "Print results as JSON.") var json = false
        @OptionGroup var broker: BrokerOptions

        func run() throws {
            let inputs = try DocumentFiles.collect(paths)
            guard !inputs.isEmpty else { throw CLIError("no files found in \(paths.joined(separator: " "))") }
            let client = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs)
            let submitted = try Self.submitAll(inputs, pipeline: pipeline, client: client)
            var results: [SubmitOutcome] = submitted
            if wait {
                var progress = ProgressBar(total: results.count, label: "processing")
                for index in results.indices {
                    guard let jobID = results[index].jobID else { continue }
                    let status = try client.waitForJob(jobID, timeoutMs: waitTimeout * 1000)
                    results[index].state = status.state.rawValue
                    results[index].error = status.error.map { "\($0.reason): \($0.message)" }
                    progress.update(index + 1)
                }
            }
            if json { return try printJSON(results) }
            var table = TextTable("FILE", "JOB", "DOCUMENT", "STATE", "ERROR", maxWidths: [40, 20, 20, 10, 60])
            for outcome in results {
                table.add(outcome.file, outcome.jobID ?? "-", outcome.documentID ?? "-", outcome.state,
                          outcome.error ?? "")
            }
            print(table.render())
            if results.contains(where: { $0.state == "refused" || $0.state == "failed" }) { throw ExitCode(1) }
        }

        struct SubmitOutcome: Encodable {
            var file: String
            var jobID: String?
            var documentID: String?
            var state: String
            var error: String?

            enum CodingKeys: String, CodingKey {
                case file, state, error
                case jobID = "job_id"
                case documentID = "document_id"
            }
        }

        /// Submits every input, many to a request (see `SubmitBatches`); a refused document is reported, not
        /// fatal to the others.
        static func submitAll(_ inputs: [DocumentFiles.Input], pipeline: String, client: DocpipeClient) throws
            -> [SubmitOutcome]
        {
            var progress = ProgressBar(total: inputs.count, label: "submitting")
            var outcomes: [SubmitOutcome] = []
            var settled = 0
            for range in SubmitBatches.ranges(inputs.map(\.document)) {
                let batch = SubmitBatchRequest(pipeline: pipeline, documents: inputs[range].map(\.document))
                let entries = try client.submitBatch(batch) { _, _ in
                    settled += 1
                    progress.update(settled)
                }
                for (input, entry) in zip(inputs[range], entries) {
                    switch entry {
                    case .accepted(let jobID, let documentID):
                        outcomes.append(SubmitOutcome(file: input.displayName, jobID: jobID, documentID: documentID,
                                                      state: "accepted"))
                    case .refused(let error):
                        outcomes.append(SubmitOutcome(file: input.displayName, state: "refused",
                                                      error: "\(error.status) \(error.reason): \(error.message)"))
                    }
                }
            }
            return outcomes
        }
    }
}
