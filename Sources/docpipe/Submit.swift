import ArgumentParser
import DocClient
import DocProtocol
import Foundation
import OperatorViews

extension Docpipe {
    /// `docpipe submit`: send files to a running broker.
    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Submit documents (files, folders, or - for stdin) to a running broker.",
            discussion: """
                Each document is journalled by the broker before it answers (202), so once submitted it will \
                not be lost. Documents travel up to 100 (or 8 MiB) to a request; those the broker is too busy \
                for are sent again when it says. A broker that stops answering (restarting, or moving to \
                another machine) is tried again with back-off until --retry-for seconds pass without progress; \
                sending a document twice is harmless, since its id comes from its content.

                Prints one line per document as soon as the broker accepted it (accepted JOB DOCUMENT FILE), \
                then, with --wait, a table of final states. Exits 0 only when every document was accepted (and, \
                with --wait, done); 1, saying how many, when any was refused or (with --wait) failed, also with \
                --json, whose `error` is an object like `docpipe job --json`'s (code, reason, message, retryable).

                EXAMPLES:
                  docpipe submit report.html
                  docpipe submit inbox/ --wait
                  curl -s https://example.org/a.html | docpipe submit - --pipeline default
                  docpipe submit seeds/ --json
                  docpipe submit scans/ --language de --meta source=archive   # OCR in German; a pair stored with each
                  docpipe submit archive/ --retry-for 600     # ride out a broker restart or failover
                """)

        @Argument(help: "Files or folders to submit; - reads one document from stdin.") var paths: [String]
        @Option(name: .long, help: "Pipeline to run the documents through.") var pipeline = "default"
        @Flag(name: .long, help: "Wait until every job is done or failed.") var wait = false
        @Option(name: .customLong("wait-timeout"), help: "Seconds to wait with --wait.") var waitTimeout = 300
        @Option(
            name: .customLong("retry-for"),
            help:
                "Seconds to keep retrying while the broker does not answer or is busy, counted from the last document it accepted."
        )
        var retryFor = 60
        @Option(name: .customLong("batch-documents"), help: "Most documents sent in one request (1-100).")
        var batchDocuments = SubmitBatches.maxDocuments
        @Flag(name: .long, help: "Print results as JSON (one array, at the end).") var json = false
        @OptionGroup var documentMetadata: DocumentMetadataOptions
        @OptionGroup var broker: BrokerOptions

        func validate() throws {
            guard (1...SubmitBatches.maxDocuments).contains(batchDocuments) else {
                throw ValidationError("--batch-documents must be between 1 and \(SubmitBatches.maxDocuments)")
            }
            guard retryFor >= 0 else { throw ValidationError("--retry-for must be 0 or more seconds") }
        }

        func run() throws {
            let inputs = DocumentFiles.tagged(try DocumentFiles.collect(paths), with: documentMetadata.metadata)
            guard !inputs.isEmpty else { throw CLIError("no files found in \(paths.joined(separator: " "))") }
            let client = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs)
            let submitted = try Self.submitAll(
                inputs, pipeline: pipeline, client: client, retryForMs: retryFor * 1000, batchDocuments: batchDocuments
            ) { outcome in
                guard !json else { return }
                if let jobID = outcome.jobID {
                    print("accepted \(jobID) \(outcome.documentID ?? "-") \(outcome.file)")
                } else {
                    print("refused - - \(outcome.file): \(outcome.errorLine ?? "")")
                }
                fflush(nil) // one line per document as it happens, also into a pipe
            }
            var results: [SubmitOutcome] = submitted
            if wait {
                var progress = ProgressBar(total: results.count, label: "processing")
                for index in results.indices {
                    guard let jobID = results[index].jobID else { continue }
                    let status = try client.waitForJob(jobID, timeoutMs: waitTimeout * 1000)
                    results[index].state = status.state.rawValue
                    results[index].error = status.error
                    progress.update(index + 1)
                }
            }
            if json {
                try printJSON(results)
            } else if wait {
                var table = TextTable("FILE", "JOB", "DOCUMENT", "STATE", "ERROR", maxWidths: [40, 20, 20, 10, 60])
                for outcome in results {
                    table.add(
                        outcome.file, outcome.jobID ?? "-", outcome.documentID ?? "-", outcome.state,
                        outcome.errorLine ?? "")
                }
                print(table.render())
            }
            let refused = results.filter { $0.state == "refused" }.count
            let failed = results.filter { $0.state == "failed" }.count
            if refused + failed > 0 {
                let what = [refused > 0 ? "\(refused) refused" : nil, failed > 0 ? "\(failed) failed" : nil]
                    .compactMap { $0 }.joined(separator: ", ")
                FileHandle.standardError.write(Data("docpipe submit: \(what) of \(results.count) documents\n".utf8))
                throw ExitCode(1)
            }
        }

        struct SubmitOutcome: Encodable {
            var file: String
            var jobID: String?
            var documentID: String?
            var state: String
            /// Why it was refused (the broker's status code, reason and message) or, with --wait, why it failed:
            /// the same object as `error` in `docpipe job --json`.
            var error: ErrorBody?

            /// The error on one line for the text output, or nil.
            var errorLine: String? {
                guard let error else { return nil }
                return state == "refused"
                    ? "\(error.code) \(error.reason): \(error.message)"
                    : "\(error.reason): \(error.message)"
            }

            enum CodingKeys: String, CodingKey {
                case file, state, error
                case jobID = "job_id"
                case documentID = "document_id"
            }
        }

        /// Submits every input, many to a request (see `SubmitBatches`); a refused document is reported, not
        /// fatal to the others. `settled` sees each document's outcome as soon as it is final.
        static func submitAll(
            _ inputs: [DocumentFiles.Input], pipeline: String, client: DocpipeClient, retryForMs: Int = 120_000,
            batchDocuments: Int = SubmitBatches.maxDocuments, settled: (SubmitOutcome) -> Void = { _ in }
        ) throws -> [SubmitOutcome] {
            var progress = ProgressBar(total: inputs.count, label: "submitting")
            var outcomes = [SubmitOutcome?](repeating: nil, count: inputs.count)
            var done = 0
            for range in SubmitBatches.ranges(inputs.map(\.document), maxDocuments: batchDocuments) {
                let batch = SubmitBatchRequest(pipeline: pipeline, documents: inputs[range].map(\.document))
                _ = try client.submitBatch(
                    batch, retryForMs: retryForMs,
                    settled: { index, entry in
                        let input = inputs[range.lowerBound + index]
                        let outcome: SubmitOutcome
                        switch entry {
                        case .accepted(let jobID, let documentID):
                            outcome = SubmitOutcome(
                                file: input.displayName, jobID: jobID, documentID: documentID,
                                state: "accepted")
                        case .refused(let error):
                            outcome = SubmitOutcome(
                                file: input.displayName, state: "refused",
                                error: ErrorBody(
                                    code: error.status, reason: error.reason,
                                    message: error.message,
                                    retryable: !error.status.isCallerFault))
                        }
                        outcomes[range.lowerBound + index] = outcome
                        settled(outcome)
                        done += 1
                        progress.update(done)
                    },
                    retrying: { error, waitMs in
                        FileHandle.standardError.write(
                            Data(
                                "docpipe submit: \(error); trying again in \(waitMs) ms (--retry-for \(retryForMs / 1000) s)\n"
                                    .utf8))
                    })
            }
            return outcomes.map { $0! }
        }
    }
}
