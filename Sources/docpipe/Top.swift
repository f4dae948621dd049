import ArgumentParser
import DocClient
import DocProtocol
import Foundation
import OperatorViews

extension Docpipe {
    /// `docpipe top`: `docpipe status`, live.
    struct Top: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Watch the broker live: rates, queues, stages with sparklines, workers; q or Ctrl-C quits.",
            discussion: """
                Redraws in place every --interval on the terminal's alternate screen, like top, and fits an \
                80×24 terminal (over SSH too); the terminal is restored on q, Ctrl-C, SIGTERM or a dropped \
                session. Each refresh is one docpipe.status and one docpipe.workers request, which the broker \
                answers from its own state, so watching never slows the pipeline.

                "OUT/s now" sparklines are replies per second between refreshes (newest on the right); the \
                IN/s and OUT/s columns are the broker's one-minute averages. When stdout is not a terminal, \
                frames are printed one after another (like top -b); --json prints one JSON object per refresh \
                (NDJSON: at, status, workers).

                EXAMPLES:
                  docpipe top
                  docpipe top --interval 5 --broker tcp://broker-host:5555
                  docpipe top --count 1 > snapshot.txt
                  docpipe top --json --count 60 | jq -c '.status.totals'
                """)

        @Option(name: .long, help: "Seconds between refreshes (at least 0.1).") var interval: Double = 1
        @Option(name: .long, help: "Stop after this many refreshes.") var count: Int?
        @Flag(name: .long, help: "Print one JSON object per refresh (NDJSON) instead of a screen.") var json = false
        @OptionGroup var broker: BrokerOptions

        func validate() throws {
            if !(interval >= 0.1) { throw ValidationError("--interval must be at least 0.1 seconds") }
            if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        }

        func run() throws {
            let terminal = Terminal()
            let fullScreen = !json && Terminal.isInteractive
            if fullScreen { try terminal.enterFullScreen() }
            defer { terminal.restore() }
            // A reply slower than one refresh is late news; the client gives up and the next refresh asks again.
            let timeoutMs = min(broker.timeoutMs, max(250, Int(interval * 1000)))
            let client = try DocpipeClient(broker: broker.broker, timeoutMs: timeoutMs)
            var history = TopHistory()
            var frames = 0
            var last: (status: BrokerStatus?, workers: WorkerList?) = (nil, nil)
            while !terminal.shouldStop {
                let started = Date()
                var problem: String?
                // The keyboard is read while waiting for the broker too, so q and Ctrl-C work while it is
                // slow or unreachable (a request then takes the whole refresh interval).
                let giveUp = { () -> Bool in
                    if fullScreen { Self.handle(terminal.readKeys(waitingUpTo: 0), terminal: terminal) }
                    return terminal.shouldStop
                }
                do {
                    // With a list, this also moves the client past standbys to the active broker.
                    let status = try client.status(giveUpWhen: giveUp)
                    let workers = try? DocpipeClient.decodeReply(
                        try client.mdp.request(
                            service: ServiceName.workers, body: [Data("{}".utf8)],
                            timeoutMs: timeoutMs, giveUpWhen: giveUp), as: WorkerList.self)
                    last = (status, workers)
                    history.record(status, at: started.timeIntervalSince1970)
                } catch {
                    if terminal.shouldStop { break }
                    problem = "\(error)"
                }
                if json {
                    try emitJSON(at: started, last.status, last.workers, error: problem, terminal: terminal)
                } else {
                    let size = fullScreen ? Terminal.size() : (columns: 80, rows: 24)
                    // With a list, the header names the broker answering now (the active one when there is one).
                    let endpoint = client.mdp.endpoints.count > 1 ? client.mdp.endpoint : broker.broker
                    var screen = TopScreen(
                        columns: size.columns, rows: size.rows, endpoint: endpoint,
                        interval: interval, clock: Self.clock(started), styled: fullScreen)
                    if !fullScreen { screen.rows = 200 }
                    let lines = screen.render(
                        status: last.status, workers: last.workers, history: history, error: problem)
                    terminal.write(
                        fullScreen
                            ? ANSI.frame(lines, rows: size.rows)
                            : Self.trimmed(lines).joined(separator: "\n") + "\n\n")
                }
                frames += 1
                if let count, frames >= count { break }
                waitForNextRefresh(after: started, terminal: terminal, keys: fullScreen)
            }
        }

        /// Sleeps until the next refresh in slices, so q, Ctrl-C and SIGTERM act within 100 ms.
        private func waitForNextRefresh(after started: Date, terminal: Terminal, keys: Bool) {
            let due = started.addingTimeInterval(interval)
            while !terminal.shouldStop {
                let remaining = Int(due.timeIntervalSinceNow * 1000)
                guard remaining > 0 else { return }
                if keys {
                    if Self.handle(terminal.readKeys(waitingUpTo: min(remaining, 100)), terminal: terminal) { return }
                } else {
                    Thread.sleep(forTimeInterval: Double(min(remaining, 100)) / 1000)
                }
            }
        }

        /// Acts on typed keys: q, Q, Ctrl-C (ISIG is off, so it arrives as a byte), Ctrl-D and Esc quit.
        /// Returns true for Ctrl-L or space: refresh now.
        @discardableResult
        static func handle(_ typed: [UInt8], terminal: Terminal) -> Bool {
            if typed.contains(where: { [0x71, 0x51, 0x03, 0x04, 0x1B].contains($0) }) { terminal.requestStop() }
            return typed.contains(0x0C) || typed.contains(0x20)
        }

        private func emitJSON(
            at time: Date, _ status: BrokerStatus?, _ workers: WorkerList?, error: String?,
            terminal: Terminal
        ) throws {
            let sample = Sample(
                at: time, status: error == nil ? status : nil,
                workers: error == nil ? workers : nil, error: error)
            terminal.write(try jsonLine(sample) + "\n")
        }

        /// One NDJSON line of `top --json`.
        struct Sample: Encodable {
            var at: Date
            var status: BrokerStatus?
            var workers: WorkerList?
            var error: String?
        }

        /// A frame for a pipe drops the padding blank lines the full screen needs to put the footer at the bottom.
        static func trimmed(_ lines: [String]) -> [String] {
            var kept = lines
            while let blank = kept.dropLast().lastIndex(of: ""), blank == kept.count - 2 { kept.remove(at: blank) }
            return kept
        }

        static func clock(_ date: Date) -> String {
            var seconds = time_t(date.timeIntervalSince1970)
            var parts = tm()
            localtime_r(&seconds, &parts)
            return String(format: "%02d:%02d:%02d", Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        }
    }
}
