import ArgumentParser
import DocClient
import DocProtocol
import Foundation
import OperatorViews

extension Docpipe {
    /// `docpipe job ID`: one job's state and the history of every stage attempt.
    struct JobCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "job",
            abstract: "Show one job: state, current stage, and each stage attempt (worker, duration, result or error).",
            discussion: """
                EXAMPLES:
                  docpipe job job-4f1c2a9b0d3e5f67
                  docpipe job job-4f1c2a9b0d3e5f67 --json | jq .history
                  docpipe jobs --state failed      # find ids first
                """)

        @Argument(help: "Job id, as printed by `docpipe submit` or `docpipe jobs`.") var id: String
        @OptionGroup var broker: BrokerOptions
        @Flag(name: .long, help: "Print the raw JobStatus JSON.") var json = false

        func run() throws {
            let status = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs).job(id)
            if json { return try printJSON(status) }
            print(Self.render(status))
        }

        static func render(_ status: JobStatus, now: Double = Date().timeIntervalSince1970) -> String {
            var lines = [
                "job \(status.jobID): \(status.state.rawValue)  document \(status.documentID)  pipeline \(status.pipeline)",
                "created \(OperatorFormat.since(status.createdAt, now: now)) ago, updated "
                    + "\(OperatorFormat.since(status.updatedAt, now: now)) ago, \(status.attempts) attempt(s)",
                "stages done: " + (status.stagesDone.isEmpty ? "none" : status.stagesDone.joined(separator: " → ")),
            ]
            if let stage = status.stage { lines.append("current stage: \(stage)") }
            if let error = status.error { lines.append("error: \(error.code) \(error.reason): \(error.message)") }
            let history = status.history ?? []
            guard !history.isEmpty else { return lines.joined(separator: "\n") }
            var table = TextTable(
                "STAGE", "TRY", "RESULT", "WORKER", "DURATION", "AT", "ERROR",
                maxWidths: [18, 3, 7, 24, 8, 20, 60])
            for attempt in history {
                table.add(
                    attempt.stage, "\(attempt.attempt)", attempt.outcome.rawValue, attempt.worker ?? "-",
                    OperatorFormat.millis(attempt.durationMs),
                    Date(timeIntervalSince1970: attempt.at).formatted(.iso8601),
                    attempt.error.map { "\($0.reason): \($0.message)" } ?? "")
            }
            lines.append("")
            lines.append(table.render())
            return lines.joined(separator: "\n")
        }
    }
}
