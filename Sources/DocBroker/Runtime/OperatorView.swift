import BrokerCore
import DocProtocol
import Foundation

/// Assembles the operator views (status totals, per-stage rows, worker rows) from state the broker
/// already holds — router, engine, metrics — without asking any worker anything, so the answer is
/// immediate however busy the workers are.
struct OperatorView {
    let router: RouterStateMachine
    let engine: PipelineEngine
    let metrics: BrokerMetrics
    let now: Millis
    let wallClock: Double
    /// CURVE key names of connected peers (empty without CURVE).
    var keyNames: [PeerID: String] = [:]

    func stages() -> [StageStats] {
        let snapshots = Dictionary(uniqueKeysWithValues: router.serviceSnapshots().map { ($0.name, $0) })
        let names = Set(snapshots.keys).union(metrics.stages.keys)
            .union(engine.pipelines.values.flatMap { $0.stages.map(\.service) })
        return names.sorted().map { name in
            let snapshot = snapshots[name]
            let stage = metrics.stages[name] ?? BrokerMetrics.Stage()
            return StageStats(
                service: name, queued: snapshot?.queued ?? 0, inflight: snapshot?.inflight ?? 0,
                oldestQueuedS: router.oldestQueuedAt(service: name).map { Double(now - $0) / 1000 },
                inPerS: stage.inRate.perSecond(at: wallClock), outPerS: stage.outRate.perSecond(at: wallClock),
                done: stage.done, failed: stage.failed, retried: stage.retried, deadLettered: stage.deadLettered,
                workers: snapshot?.workers ?? 0, latencyMs: stage.latency.summary())
        }
    }

    func totals(deadLetters: Int) -> BrokerTotals {
        let oldest = router.servicesWithQueues.compactMap { router.oldestQueuedAt(service: $0) }.min()
        return BrokerTotals(
            inPerS: metrics.accepted.perSecond(at: wallClock), outPerS: metrics.finished.perSecond(at: wallClock),
            queued: router.totalQueued, deadLetters: deadLetters, oldestQueuedS: oldest.map { Double(now - $0) / 1000 },
            workersKnown: router.counters["workers_registered"] ?? 0, endToEndMs: metrics.endToEnd.summary())
    }

    func workers() -> WorkerList {
        let rows = router.workers.values.sorted { ($0.service, $0.registeredAt) < ($1.service, $1.registeredAt) }
            .map { record -> WorkerList.Worker in
                let id = record.peer.description
                let stats = metrics.workers[record.peer]
                let state: WorkerList.Worker.State =
                    router.isStale(record, now: now)
                    ? .stale
                    : (record.isIdle ? .idle : .busy)
                return WorkerList.Worker(
                    id: id, service: record.service, host: record.identity?.host, pid: record.identity?.pid,
                    version: record.identity?.version, protocolVersion: record.version == .v01 ? "MDP/0.1" : "MDP/0.2",
                    state: state, lastHeartbeatS: Double(now - record.lastSeenAt) / 1000,
                    inflight: record.outstanding, credit: record.credit, done: stats?.done ?? record.completed,
                    failed: stats?.failed ?? 0,
                    latencyMs: stats?.latency.summary(), uptimeS: Double(now - record.registeredAt) / 1000,
                    key: keyNames[record.peer])
            }
        return WorkerList(workers: rows)
    }
}
