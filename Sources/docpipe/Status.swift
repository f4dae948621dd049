import ArgumentParser
import DocClient
import DocProtocol
import Foundation

extension Docpipe {
    /// `docpipe status`: one snapshot of the broker.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the broker's queues, workers and job counts.",
            discussion: """
                EXAMPLES:
                  docpipe status
                  docpipe status --json | jq .jobs
                  docpipe status --broker tcp://broker-host:5555
                """)

        @OptionGroup var broker: BrokerOptions
        @Flag(name: .long, help: "Print the raw BrokerStatus JSON.") var json = false

        func run() throws {
            let client = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs)
            let status = try client.status()
            if json { return try printJSON(status) }
            print(Self.render(status))
        }

        static func render(_ status: BrokerStatus) -> String {
            var lines = [
                "docpipe broker \(status.version) at \(status.endpoint), up \(Int(status.uptimeSeconds))s, "
                    + "\(status.workers) worker(s)",
                "jobs: \(status.jobs.accepted) accepted, \(status.jobs.queued) queued, \(status.jobs.running) running, "
                    + "\(status.jobs.done) done, \(status.jobs.failed) failed",
                "",
            ]
            var table = TextTable("SERVICE", "QUEUED", "INFLIGHT", "WORKERS", "IDLE")
            for service in status.services {
                table.add(service.name, "\(service.queued)", "\(service.inflight)", "\(service.workers)", "\(service.idle)")
            }
            lines.append(status.services.isEmpty ? "(no services yet: start workers)" : table.render())
            lines.append("")
            for (name, stages) in status.pipelines.sorted(by: { $0.key < $1.key }) {
                lines.append("pipeline \(name): " + stages.joined(separator: " → "))
            }
            let counters = status.counters.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            if !counters.isEmpty {
                lines.append("counters: " + counters.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
            return lines.joined(separator: "\n")
        }
    }

    /// `docpipe job ID`: one job's state and results.
    struct JobCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "job",
            abstract: "Show one job's state, stage and results.",
            discussion: """
                EXAMPLES:
                  docpipe job job-4f1c2a9b0d3e5f67
                  docpipe job job-4f1c2a9b0d3e5f67 --json
                """)

        @Argument(help: "Job id, as printed by `docpipe submit`.") var id: String
        @OptionGroup var broker: BrokerOptions
        @Flag(name: .long, help: "Print the raw JobStatus JSON.") var json = false

        func run() throws {
            let status = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs).job(id)
            if json { return try printJSON(status) }
            print("job \(status.jobID): \(status.state.rawValue)  document \(status.documentID)  pipeline \(status.pipeline)")
            print("stages done: " + (status.stagesDone.isEmpty ? "none" : status.stagesDone.joined(separator: ", ")))
            if let stage = status.stage { print("current stage: \(stage)") }
            if let error = status.error { print("error: \(error.code) \(error.reason): \(error.message)") }
        }
    }
}

extension Docpipe {
    /// `docpipe reload`: the broker re-reads its pipelines without a restart.
    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the broker re-read the pipelines in its config file (like SIGHUP).",
            discussion: """
                Running jobs keep the stages they started with; new submits use the new pipelines. A config \
                file with an error changes nothing and the error is printed.

                EXAMPLES:
                  docpipe reload
                  docpipe reload --broker tcp://broker-host:5555 --json
                """)

        @OptionGroup var broker: BrokerOptions
        @Flag(name: .long, help: "Print the broker status after the reload as JSON.") var json = false

        func run() throws {
            let client = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs)
            let reply = try client.mdp.request(service: ServiceName.reload, body: [Data("{}".utf8)],
                                               timeoutMs: broker.timeoutMs)
            let status = try DocpipeClient.decodeReply(reply, as: BrokerStatus.self)
            if json { return try printJSON(status) }
            print("reloaded; pipelines now:")
            for (name, stages) in status.pipelines.sorted(by: { $0.key < $1.key }) {
                print("  \(name): " + stages.joined(separator: " → "))
            }
        }
    }
}
