import ArgumentParser
import DocClient
import DocProtocol
import Foundation
import OperatorViews

extension Docpipe {
    /// `docpipe workers`: every connected worker, from the broker's own records.
    struct Workers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List connected workers: service, host, pid, state, heartbeat, requests held and credit, work done, P95, uptime.",
            discussion: """
                The broker answers from its own records; no worker is asked anything, so a busy worker never \
                makes this hang. STATE is idle, busy, or stale (no heartbeat for more than one interval). A \
                worker that misses its liveness window is dropped and leaves this list: there are no ghosts. \
                INFLIGHT is how many requests the worker holds now; CREDIT is how many the broker lets it hold \
                (what it advertised at READY, see --concurrency and --prefetch; 1 for plain MDP workers). DONE \
                and FAILED count this connection's replies; P95 is lease → reply.

                EXAMPLES:
                  docpipe workers
                  docpipe workers --service extractor
                  docpipe workers --json | jq '.workers[] | select(.state == "stale")'
                """)

        @Option(name: .long, help: "Only workers of this service.") var service: String?
        @Flag(name: .long, help: "Print the raw WorkerList JSON.") var json = false
        @OptionGroup var broker: BrokerOptions

        func run() throws {
            var list = try DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs).workers()
            if let service { list.workers = list.workers.filter { $0.service == service } }
            if json { return try printJSON(list) }
            print(Self.render(list.workers))
        }

        static func render(_ workers: [WorkerList.Worker]) -> String {
            guard !workers.isEmpty else { return "no workers connected" }
            // The KEY column appears only on CURVE brokers, where workers authenticate with named keys.
            let showKeys = workers.contains { $0.key != nil }
            var headers = [
                "ID", "SERVICE", "HOST", "PID", "VERSION", "STATE", "LAST_HEARTBEAT", "INFLIGHT", "CREDIT",
                "DONE", "FAILED", "P95", "UPTIME",
            ]
            if showKeys { headers.append("KEY") }
            var table = TextTable(headers: headers, maxWidths: [12, 20, 20, 8, 10])
            for worker in workers {
                let latency = worker.latencyMs.flatMap { $0.count > 0 ? $0 : nil }
                var row = [
                    worker.id, worker.service, worker.host ?? "-", worker.pid.map(String.init) ?? "-",
                    worker.version ?? "-", worker.state.rawValue, OperatorFormat.age(worker.lastHeartbeatS) + " ago",
                    "\(worker.inflight)", worker.credit.map(String.init) ?? "-", OperatorFormat.count(worker.done),
                    OperatorFormat.count(worker.failed),
                    OperatorFormat.millis(latency?.p95), OperatorFormat.age(worker.uptimeS),
                ]
                if showKeys { row.append(worker.key ?? "-") }
                table.add(row: row)
            }
            let states = Dictionary(grouping: workers, by: \.state)
            let summary =
                "\(workers.count) worker(s): "
                + WorkerList.Worker.State.allOrdered
                .map { "\(states[$0]?.count ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            return table.render() + "\n" + summary
        }
    }
}
