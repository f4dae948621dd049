import ArgumentParser
import DocClient
import DocProtocol
import Foundation
import OperatorViews

extension Docpipe {
    /// `docpipe dlq`: the dead-letter queue — jobs that failed for good, and why.
    struct DeadLetters: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dlq",
            abstract: "Inspect, retry or drop jobs that failed (the dead-letter queue).",
            discussion: """
                A job lands here when a stage fails with a non-retryable error, or keeps failing (or timing \
                out) for the stage's max_attempts. Fix the cause (a worker, a config), then retry.

                EXAMPLES:
                  docpipe dlq list
                  docpipe dlq show job-4f1c2a9b0d3e5f67
                  docpipe dlq retry job-4f1c2a9b0d3e5f67
                  docpipe dlq retry --all
                  docpipe dlq drop job-4f1c2a9b0d3e5f67 --json
                """,
            subcommands: [List.self, ShowOne.self, Retry.self, Drop.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list", abstract: "List dead letters with their reasons.")
            @Option(name: .long, help: "At most this many.") var limit = 100
            @Flag(name: .long, help: "Print JSON.") var json = false
            @OptionGroup var broker: BrokerOptions

            func run() throws {
                let reply = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs)
                    .deadLetters(DeadLetterRequest(op: .list, limit: limit))
                let list = try DocpipeClient.decodeReply(reply, as: DeadLetterList.self)
                if json { return try printJSON(list) }
                guard !list.jobs.isEmpty else { return print("the dead-letter queue is empty") }
                var table = TextTable(
                    "JOB", "DOCUMENT", "STAGE", "TRIES", "FAILED", "REASON",
                    maxWidths: [22, 22, 16, 5, 20, 70])
                for entry in list.jobs {
                    let when = Date(timeIntervalSince1970: entry.failedAt).formatted(.iso8601)
                    let reason = entry.error.map { "\($0.reason): \($0.message)" } ?? "-"
                    table.add(
                        entry.jobID, entry.name ?? entry.documentID, entry.stage, "\(entry.attempts)", when, reason)
                }
                print(table.render())
                if list.total > list.jobs.count { print("(\(list.total - list.jobs.count) more; use --limit)") }
            }
        }

        struct ShowOne: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "show", abstract: "Show one dead letter and its attempt history.")
            @Argument(help: "Job id.") var id: String
            @Flag(name: .long, help: "Print JSON.") var json = false
            @OptionGroup var broker: BrokerOptions

            func run() throws {
                let reply = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs)
                    .deadLetters(DeadLetterRequest(op: .show, jobID: id))
                let status = try DocpipeClient.decodeReply(reply, as: JobStatus.self)
                if json { return try printJSON(status) }
                print("job \(status.jobID)  document \(status.documentID)  pipeline \(status.pipeline)")
                print(
                    "stages done: " + (status.stagesDone.isEmpty ? "none" : status.stagesDone.joined(separator: ", ")))
                if let error = status.error { print("failed: \(error.code) \(error.reason): \(error.message)") }
                var table = TextTable("STAGE", "TRY", "OUTCOME", "AT", "ERROR", maxWidths: [16, 3, 8, 20, 70])
                for attempt in status.history ?? [] {
                    table.add(
                        attempt.stage, "\(attempt.attempt)", attempt.outcome.rawValue,
                        Date(timeIntervalSince1970: attempt.at).formatted(.iso8601),
                        attempt.error.map { "\($0.reason): \($0.message)" } ?? "")
                }
                print(table.render())
            }
        }

        struct Retry: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Send dead letters back through their pipeline at the stage that failed.")
            @Argument(help: "Job id (or --all).") var id: String?
            @Flag(name: .long, help: "Retry every dead letter.") var all = false
            @Flag(name: .long, help: "Print JSON.") var json = false
            @OptionGroup var broker: BrokerOptions

            func validate() throws {
                if (id == nil) == !all { throw ValidationError("give a job id or --all") }
            }

            func run() throws {
                try act(.retry, id: id, all: all, json: json, broker: broker)
            }
        }

        struct Drop: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete dead letters for good.")
            @Argument(help: "Job id (or --all).") var id: String?
            @Flag(name: .long, help: "Drop every dead letter.") var all = false
            @Flag(name: .long, help: "Print JSON.") var json = false
            @OptionGroup var broker: BrokerOptions

            func validate() throws {
                if (id == nil) == !all { throw ValidationError("give a job id or --all") }
            }

            func run() throws {
                try act(.drop, id: id, all: all, json: json, broker: broker)
            }
        }
    }
}

private func act(_ op: DeadLetterRequest.Operation, id: String?, all: Bool, json: Bool, broker: BrokerOptions) throws {
    let reply = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs)
        .deadLetters(DeadLetterRequest(op: op, jobID: id, all: all ? true : nil))
    let done = try DocpipeClient.decodeReply(reply, as: DeadLetterActionReply.self)
    if json { return try printJSON(done) }
    let verb = op == .retry ? "retrying" : "dropped"
    print(
        "\(verb) \(done.jobIDs.count) job(s)" + (done.jobIDs.isEmpty ? "" : ": " + done.jobIDs.joined(separator: ", ")))
}
