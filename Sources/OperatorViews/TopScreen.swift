package import DocProtocol
package import Foundation

/// Rates measured by `docpipe top` itself, from counter deltas between refreshes: the broker's IN/s and
/// OUT/s are one-minute averages, too smooth to show a stage stalling *now*; the sparklines show this.
package struct TopHistory {
    /// Samples kept per series; wider than any terminal's sparkline column.
    package var capacity = 240

    package init() {}
    package private(set) var stageOut: [String: [Double]] = [:]
    package private(set) var totalOut: [Double] = []
    private var last: (at: Double, stages: [String: Int], finished: Int)?

    /// Adds one refresh: stage replies (done + failed) and finished jobs per second since the previous one.
    package mutating func record(_ status: BrokerStatus, at time: Double) {
        let stages = Dictionary(OperatorFormat.stageRows(status).map { ($0.service, $0.done + $0.failed) }) { a, _ in a
        }
        let finished = status.jobs.done + status.jobs.failed
        defer { last = (time, stages, finished) }
        guard let last, time > last.at else { return }
        let seconds = time - last.at
        for (service, replies) in stages {
            // A stage that appears mid-run starts from zero; a counter never goes backwards, but clamp anyway.
            let rate = Double(max(0, replies - (last.stages[service] ?? replies))) / seconds
            stageOut[service, default: []].append(rate)
            if stageOut[service]!.count > capacity { stageOut[service]!.removeFirst() }
        }
        totalOut.append(Double(max(0, finished - last.finished)) / seconds)
        if totalOut.count > capacity { totalOut.removeFirst() }
    }
}

/// One frame of `docpipe top` as plain lines no wider than the terminal and no more than its rows.
/// Pure, so tests check the 80 × 24 layout without a terminal.
package struct TopScreen {
    package var columns = 80
    package var rows = 24
    package var endpoint: String
    package var interval: Double
    package var clock = ""
    /// Reverse-video header bars; off when writing to a pipe or file.
    package var styled = true
    /// Unix time the failover ages are measured from.
    package var now = Date().timeIntervalSince1970

    package init(
        columns: Int = 80, rows: Int = 24, endpoint: String, interval: Double, clock: String = "", styled: Bool = true,
        now: Double = Date().timeIntervalSince1970
    ) {
        (self.columns, self.rows, self.endpoint, self.interval) = (columns, rows, endpoint, interval)
        (self.clock, self.styled, self.now) = (clock, styled, now)
    }

    package static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Eight levels scaled to the window's own maximum; a blank is exactly zero, so an idle stage reads as idle.
    package static func sparkline(_ values: [Double], width: Int) -> String {
        guard width > 0 else { return "" }
        let window = values.suffix(width)
        let peak = window.max() ?? 0
        let line = window.map { value -> Character in
            guard value > 0, peak > 0 else { return " " }
            return blocks[min(blocks.count - 1, Int((value / peak * Double(blocks.count)).rounded(.up)) - 1)]
        }
        return String(repeating: " ", count: width - window.count) + String(line)
    }

    package func render(status: BrokerStatus?, workers: WorkerList?, history: TopHistory, error: String?) -> [String] {
        var lines: [String] = []
        let quit = "q quits"
        let title =
            "docpipe top · \(endpoint)"
            + (status.map { " · broker \($0.version) · up \(OperatorFormat.age($0.uptimeSeconds))" } ?? "")
        lines.append(spread(title, "\(clock) · \(quit)"))
        guard let status else {
            lines.append("")
            lines.append(error.map { "broker did not answer: \($0)" } ?? "waiting for the broker…")
            return fit(lines)
        }
        // Brokers sharing a journal: which one serves, since when, and the last failover.
        if let active = FailoverView.activeLine(status, endpoint: endpoint, now: now) { lines.append(active) }
        let totals = status.totals
        lines.append(
            "in \(OperatorFormat.rate(totals?.inPerS ?? 0))/s  out \(OperatorFormat.rate(totals?.outPerS ?? 0))/s"
                + " (1 min)  queued \(OperatorFormat.count(totals?.queued ?? status.jobs.queued))"
                + "  oldest \(OperatorFormat.age(totals?.oldestQueuedS))  DLQ \(totals?.deadLetters ?? 0)"
                + "  workers \(status.workers)/\(totals?.workersKnown ?? status.workers)")
        let e2e = totals?.endToEndMs.flatMap { $0.count > 0 ? $0 : nil }
        lines.append(
            "end-to-end p50 \(OperatorFormat.millis(e2e?.p50)) p95 \(OperatorFormat.millis(e2e?.p95))"
                + " p99 \(OperatorFormat.millis(e2e?.p99))  jobs \(OperatorFormat.count(status.jobs.accepted)) in,"
                + " \(OperatorFormat.count(status.jobs.done)) done, \(OperatorFormat.count(status.jobs.failed)) failed")
        let label = "done/s "
        lines.append(
            label + Self.sparkline(history.totalOut, width: columns - label.count - 8)
                + " " + pad(OperatorFormat.rate(history.totalOut.last ?? 0), 7))
        lines.append("")
        lines += stageLines(OperatorFormat.stageRows(status), history: history, budget: rows - lines.count - 2)
        let footer =
            error.map { "! \($0)" }
            ?? "every \(OperatorFormat.age(interval).replacingOccurrences(of: ".0s", with: "s"))"
            + " · OUT/s now: replies per refresh, newest right · P95 lease→reply"
        let room = rows - lines.count - 2
        if let workers, room >= 3 {
            lines.append("")
            lines += workerLines(workers.workers, budget: room)
        }
        while lines.count < rows - 1 { lines.append("") }
        lines.append(footer)
        return fit(lines)
    }

    /// Right-aligned numeric columns after a 14-wide stage name; the sparkline takes what width is left.
    private static let stageColumns: [(String, Int)] = [
        ("QUEUED", 6), ("INFL", 4), ("OLDEST", 6), ("IN/s", 5),
        ("OUT/s", 5), ("FAIL", 5), ("DLQ", 4), ("WRK", 3), ("P95", 6),
    ]

    private func stageLines(_ stages: [StageStats], history: TopHistory, budget: Int) -> [String] {
        let head = left("STAGE", 14) + " " + Self.stageColumns.map { pad($0.0, $0.1) }.joined(separator: " ") + " "
        let sparkWidth = max(0, columns - head.count)
        var lines = [inverse(head + "OUT/s now")]
        for (index, stage) in stages.enumerated() {
            if lines.count == budget - 1, index < stages.count - 1 {
                lines.append("… \(stages.count - index) more stages (docpipe status)")
                break
            }
            let p95 = stage.latencyMs.flatMap { $0.count > 0 ? $0.p95 : nil }
            let values = [
                OperatorFormat.count(stage.queued), "\(stage.inflight)", OperatorFormat.age(stage.oldestQueuedS),
                OperatorFormat.rate(stage.inPerS), OperatorFormat.rate(stage.outPerS),
                OperatorFormat.count(stage.failed), OperatorFormat.count(stage.deadLettered),
                "\(stage.workers)", OperatorFormat.millis(p95),
            ]
            let cells = zip(values, Self.stageColumns).map { pad($0, $1.1) }
            lines.append(
                left(stage.service, 14) + " " + cells.joined(separator: " ") + " "
                    + Self.sparkline(history.stageOut[stage.service] ?? [], width: sparkWidth))
        }
        return lines
    }

    private static let workerColumns: [(String, Int)] = [
        ("WORKER", 10), ("SERVICE", 13), ("HOST", 12), ("PID", 7),
        ("STATE", 5), ("HB", 5), ("DONE", 7), ("FAIL", 5), ("P95", 6),
    ]

    private func workerLines(_ workers: [WorkerList.Worker], budget: Int) -> [String] {
        var lines = [inverse(Self.workerColumns.map { left($0.0, $0.1) }.joined(separator: " "))]
        // Stale and busy first: those are the ones an operator is looking for.
        let order: [WorkerList.Worker.State: Int] = [.stale: 0, .busy: 1, .idle: 2]
        let sorted = workers.sorted { (order[$0.state]!, $0.service, $0.id) < (order[$1.state]!, $1.service, $1.id) }
        if sorted.isEmpty { lines.append("no workers connected") }
        for (index, worker) in sorted.enumerated() {
            if lines.count == budget - 1, index < sorted.count - 1 {
                lines.append("… \(sorted.count - index) more workers (docpipe workers)")
                break
            }
            let p95 = worker.latencyMs.flatMap { $0.count > 0 ? $0.p95 : nil }
            let values = [
                worker.id, worker.service, worker.host ?? "-", worker.pid.map(String.init) ?? "-",
                worker.state.rawValue, OperatorFormat.age(worker.lastHeartbeatS),
                OperatorFormat.count(worker.done), OperatorFormat.count(worker.failed),
                OperatorFormat.millis(p95),
            ]
            lines.append(zip(values, Self.workerColumns).map { left($0, $1.1) }.joined(separator: " "))
        }
        return lines
    }

    /// A header row in reverse video, padded to the full width so the bar spans the screen.
    private func inverse(_ text: String) -> String {
        styled ? ANSI.inverse + left(text, columns) + ANSI.reset : left(text, columns)
    }

    private func spread(_ left: String, _ right: String) -> String {
        let gap = columns - left.count - right.count
        return gap >= 1 ? left + String(repeating: " ", count: gap) + right : left
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    private func left(_ text: String, _ width: Int) -> String {
        String(text.prefix(width)).padding(toLength: width, withPad: " ", startingAt: 0)
    }

    /// At most `rows` lines, each cut to `columns` visible characters (escape sequences do not count).
    private func fit(_ lines: [String]) -> [String] {
        lines.prefix(rows).map { line in
            guard Self.visibleWidth(line) > columns else { return line }
            return String(line.prefix(columns - 1)) + "…"
        }
    }

    package static func visibleWidth(_ line: String) -> Int {
        var width = 0
        var inEscape = false
        for character in line {
            if inEscape {
                if character.isLetter { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }
}
