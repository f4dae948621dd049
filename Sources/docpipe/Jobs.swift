import ArgumentParser
import DocClient
import DocProtocol
import Foundation
import OperatorViews

extension Docpipe {
    /// `docpipe jobs`: recent and in-flight jobs, newest first.
    struct Jobs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List recent and in-flight jobs with state, stage, attempts and age; filter by state/pipeline.",
            discussion: """
                Newest first. AGE is since submit, UPDATED since the last state change; STAGE is the stage the \
                job is at (or failed at). `docpipe job ID` shows one job's full history.

                EXAMPLES:
                  docpipe jobs
                  docpipe jobs --state running
                  docpipe jobs --state failed --pipeline default --limit 20
                  docpipe jobs --json | jq -r '.jobs[].job_id'
                """)

        @Option(name: .long, help: "queued, running, done or failed.") var state: String?
        @Option(name: .long, help: "Only jobs of this pipeline.") var pipeline: String?
        @Option(name: .long, help: "At most this many jobs.") var limit = 50
        @Flag(name: .long, help: "Print the raw JobList JSON.") var json = false
        @OptionGroup var broker: BrokerOptions

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
            if let state, JobStatus.State(rawValue: state) == nil {
                throw ValidationError("--state must be queued, running, done or failed, not '\(state)'")
            }
        }

        func run() throws {
            let list = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs)
                .jobs(
                    JobListRequest(
                        state: state.flatMap(JobStatus.State.init(rawValue:)), pipeline: pipeline, limit: limit))
            if json { return try printJSON(list) }
            print(Self.render(list.jobs))
        }

        static func render(_ jobs: [JobList.Entry], now: Double = Date().timeIntervalSince1970) -> String {
            guard !jobs.isEmpty else { return "no jobs" }
            var table = TextTable(
                "JOB", "DOCUMENT", "PIPELINE", "STATE", "STAGE", "ATTEMPTS", "AGE", "UPDATED",
                maxWidths: [22, 32, 14, 8, 18])
            for job in jobs {
                table.add(
                    job.jobID, job.name ?? job.documentID, job.pipeline, job.state.rawValue, job.stage ?? "-",
                    "\(job.attempts)", OperatorFormat.since(job.createdAt, now: now),
                    OperatorFormat.since(job.updatedAt, now: now) + " ago")
            }
            return table.render()
        }
    }
}
