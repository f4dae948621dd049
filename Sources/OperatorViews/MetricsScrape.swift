package import DocClient
package import DocProtocol
import Foundation

/// One look at the broker for `docpipe metrics` and the gateway's `/metrics`: its status and workers, or
/// with several endpoints what each said, rendered as Prometheus text.
package enum MetricsScrape {
    /// What one scrape saw.
    package struct Snapshot: Encodable {
        package var status: BrokerStatus?
        package var workers: WorkerList?
        package var error: String?
        /// With several endpoints: what each said; `status` and `workers` are then the active one's.
        package var brokers: [BrokerProbe]?
    }

    package static func fetch(broker: String, timeoutMs: Int) -> Snapshot {
        let endpoints = BrokerEndpoints.parse(broker)
        if endpoints.count > 1 {
            let probes = BrokerProbe.probeAll(endpoints, timeoutMs: BrokerProbe.timeout(timeoutMs))
            guard let active = BrokerProbe.active(probes) else {
                return Snapshot(
                    error: "no broker is active: "
                        + probes.map { "\($0.endpoint) \($0.role)" }.joined(separator: ", "),
                    brokers: probes)
            }
            let workers = try? DocpipeClient(broker: active.endpoint, timeoutMs: timeoutMs).workers()
            return Snapshot(status: active.status, workers: workers, brokers: probes)
        }
        do {
            let client = try DocpipeClient(broker: broker, timeoutMs: timeoutMs)
            let status = try client.status()
            // An old broker without docpipe.workers still yields every other metric.
            return Snapshot(status: status, workers: try? client.workers())
        } catch {
            return Snapshot(error: "\(error)")
        }
    }

    package static func scrape(broker: String, timeoutMs: Int) -> String {
        let snapshot = fetch(broker: broker, timeoutMs: timeoutMs)
        return PrometheusText.render(status: snapshot.status, workers: snapshot.workers, brokers: snapshot.brokers)
    }

}
