import BrokerCore
import DocBroker
import DocClient
import DocProtocol
import Foundation
import ZeroMQ

/// The real `docpipe broker` executable as a child process on a free loopback port, with a throw-away
/// data folder holding its config.json and journal.
final class BrokerProcess {
    let endpoint: String
    let child: ChildProcess
    let folder: URL
    var pid: Int32 { child.pid }

    /// Starts the broker and waits (up to `timeoutSeconds`) until it answers `docpipe.status`.
    ///
    /// `journal` is passed as `--journal` (a `postgres://` URL: the broker is one of a failover group, and
    /// a standby answers status too); nil keeps the embedded journal in the data folder.
    init(config: BrokerConfigFile, label: String, timeoutSeconds: Int, journal: String? = nil) throws {
        folder = try BenchPaths.temporaryFolder(label)
        let encoder = JSONEncoder()
        try encoder.encode(config).write(to: folder.appendingPathComponent("config.json"))
        endpoint = "tcp://127.0.0.1:\(try freeLoopbackPort())"
        // warning: the broker logs each finished job at info, and stderr would become what is measured.
        child = try ChildProcess(
            name: "broker-\(label)", executable: try BenchPaths.executable("docpipe"),
            arguments: ["broker", "--bind", endpoint, "--data", folder.path, "--log-level", "warning"]
                + (journal.map { ["--journal", $0] } ?? []),
            logFolder: folder)
        do {
            try waitUntilAnswering(timeoutSeconds: timeoutSeconds)
        } catch {
            stop()
            throw error
        }
    }

    /// A config with the limits raised so the bench, not the policy, decides how much is in flight.
    static func config(stages: [String]?, maxJobs: Int = 250_000) -> BrokerConfigFile {
        var config = BrokerConfigFile(
            pipelines: stages.map { ["default": PipelineDefinition(stages: $0.map { StageDefinition(service: $0) })] })
        config.maxJobs = maxJobs
        config.maxQueue = maxJobs
        config.maxJobBytes = 4 << 30
        // The per-client submit limit is a policy (500/s by default); the bench measures the broker.
        config.submitRate = 0
        // Stopping a bench broker must not wait on documents its workers hold: nothing here is kept.
        config.shutdownGraceMs = 1_000
        return config
    }

    private func waitUntilAnswering(timeoutSeconds: Int) throws {
        let deadline = monotonicNanos() + UInt64(timeoutSeconds) * 1_000_000_000
        let client = try DocpipeClient(broker: endpoint, timeoutMs: 500)
        while true {
            try child.checkRunning()
            if (try? client.status()) != nil { return }
            guard monotonicNanos() < deadline else {
                throw BenchError(
                    message: "\(child.name) did not answer docpipe.status within \(timeoutSeconds) s:\n"
                        + child.logTail())
            }
        }
    }

    /// Polls `docpipe.status` until `condition` holds; throws after `timeoutSeconds`, or if any job failed.
    func waitForStatus(_ what: String, timeoutSeconds: Int, _ condition: (BrokerStatus) -> Bool) throws {
        let client = try DocpipeClient(broker: endpoint, timeoutMs: 2_000)
        let deadline = monotonicNanos() + UInt64(timeoutSeconds) * 1_000_000_000
        while true {
            try child.checkRunning()
            let status = try client.status()
            if status.jobs.failed > 0 { throw BenchError(message: "\(status.jobs.failed) jobs failed in the broker") }
            if condition(status) { return }
            guard monotonicNanos() < deadline else {
                throw BenchError(
                    message: "\(what): not reached within \(timeoutSeconds) s (jobs: "
                        + "\(status.jobs.done) done, \(status.jobs.queued) queued, "
                        + "\(status.jobs.running) running)")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Waits until the broker reports at least `count` workers for each service.
    func waitForWorkers(_ services: [String], count: Int, timeoutSeconds: Int) throws {
        try waitForStatus(
            "\(count) workers for each of \(services.joined(separator: ", "))",
            timeoutSeconds: timeoutSeconds
        ) { status in
            let serving = Dictionary(status.services.map { ($0.name, $0.workers) }, uniquingKeysWith: +)
            return services.allSatisfy { serving[$0, default: 0] >= count }
        }
    }

    func counters() throws -> ProcessCounters { try ProcessCounters.read(pid: pid) }

    /// SIGKILL, as a crash would: no drain, no flush, no lease release. Waits (bounded) for the exit.
    func killHard() {
        kill(pid, SIGKILL)
        _ = child.waitForExit(seconds: 5)
    }

    /// SIGTERM (the broker drains and flushes), SIGKILL after 10 s; then the data folder goes.
    func stop() {
        child.stop(graceSeconds: 10)
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A loopback TCP port nobody is listening on right now: bound with libzmq's `*`, then released.
func freeLoopbackPort() throws -> Int {
    let context = Context()
    let socket = try Socket(context, .router)
    try socket.setLinger(milliseconds: 0)
    try socket.bind("tcp://127.0.0.1:*")
    let endpoint = socket.lastEndpoint ?? ""
    socket.close()
    // Terminating the context waits for its I/O thread to close the listener, so the port is free on return.
    context.shutdown()
    guard let port = endpoint.split(separator: ":").last.flatMap({ Int($0) }) else {
        throw BenchError(message: "could not read the port libzmq bound (\(endpoint))")
    }
    return port
}
