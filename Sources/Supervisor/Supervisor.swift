package import Foundation
package import OperatorViews

/// Keeps `docpipe up`'s worker processes running: starts each slot, notices exits, restarts them with
/// backoff, and stops them all by pid (SIGTERM, then SIGKILL after a grace period).
///
/// Driven by `tick()` from one thread (the command's loop); `WorkerProcesses` owns the children so that
/// whatever happens, `stopAll` reaches every one of them.
package final class Supervisor {
    package let workers: [SupervisedWorker]
    private let processes = WorkerProcesses()
    private let logFolder: URL?
    private let say: (String) -> Void

    package init(workers: [SupervisedWorker], logFolder: URL?, say: @escaping (String) -> Void) {
        self.workers = workers
        self.logFolder = logFolder
        self.say = say
    }

    package func startAll() {
        for worker in workers { start(worker, now: Date()) }
    }

    /// Checks every slot once: reaps exits, schedules restarts, starts what is due. Returns true when
    /// something changed (so the caller can redraw its status table).
    @discardableResult
    package func tick(now: Date = Date()) -> Bool {
        var changed = false
        for worker in workers {
            switch worker.state {
            case .running(_, let since):
                guard let process = worker.process, !process.isRunning else { continue }
                processes.forget(process)
                let exit = SupervisedWorker.describeExit(process)
                let ran = now.timeIntervalSince(since)
                let delay = worker.backoff.delay(afterRunOf: ran)
                worker.lastExit = exit
                worker.process = nil
                worker.state = .waiting(until: now.addingTimeInterval(delay))
                say("\(worker.label) exited (\(exit)) after \(Self.seconds(ran)); restarting in \(Self.seconds(delay))")
                changed = true
            case .waiting(let until) where now >= until:
                worker.restarts += 1
                start(worker, now: now)
                changed = true
            default:
                continue
            }
        }
        return changed
    }

    /// SIGTERM to every child, SIGKILL to those still running after `graceSeconds`; waits for all.
    package func stopAll(graceSeconds: Double) {
        processes.stopAll(graceSeconds: graceSeconds)
        for worker in workers {
            worker.process = nil
            worker.state = .stopped
        }
    }

    private func start(_ worker: SupervisedWorker, now: Date) {
        let log = logFolder?.appendingPathComponent("\(worker.name)-\(worker.instance).log")
        do {
            let process = try processes.launch(
                worker.executable, arguments: worker.arguments,
                workingDirectory: worker.workingDirectory, log: log)
            worker.process = process
            worker.state = .running(pid: process.processIdentifier, since: now)
            say("\(worker.label) started (pid \(process.processIdentifier))")
        } catch {
            // Cannot even start (missing executable, permissions): retry with backoff like a crash.
            let delay = worker.backoff.delay(afterRunOf: 0)
            worker.lastExit = "could not start: \(error)"
            worker.state = .waiting(until: now.addingTimeInterval(delay))
            say("\(worker.label) could not start: \(error); retrying in \(Self.seconds(delay))")
        }
    }

    /// The status table: one row per worker slot, with how many workers the broker sees per service.
    package func table(now: Date = Date(), registered: [String: Int]? = nil, services: [String: String] = [:]) -> String
    {
        var table = TextTable(
            "WORKER", "PID", "STATE", "UPTIME", "RESTARTS", "BROKER SEES", "LAST EXIT",
            maxWidths: [30, 8, 22, 8, 8, 11, 50])
        for worker in workers {
            var pid = "-"
            var state = "stopped"
            var uptime = "-"
            switch worker.state {
            case .running(let id, let since):
                (pid, state, uptime) = ("\(id)", "running", Self.seconds(now.timeIntervalSince(since)))
            case .waiting(let until): state = "restarting in \(Self.seconds(max(0, until.timeIntervalSince(now))))"
            case .stopped: break
            }
            let service = services[worker.name] ?? worker.name
            let seen = registered.map { "\($0[service] ?? 0)" } ?? "?"
            table.add(worker.label, pid, state, uptime, "\(worker.restarts)", seen, worker.lastExit ?? "")
        }
        return table.render()
    }

    package static func seconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1fs", value) : "\(Int(value))s"
    }
}
