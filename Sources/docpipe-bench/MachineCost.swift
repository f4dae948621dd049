import Foundation

/// What the whole machine spent over one measured run, from /proc/stat, and who spent it.
///
/// The pipeline's broker, its no-op workers and the bench's clients share this machine's cores, so the
/// documents per second a cell reaches is bounded by all of their CPU, not the broker's alone: a cell whose
/// machine is busy all the time cannot go faster than `cores × 1 s ÷ cpu_us_per_document`, whatever the
/// broker does. The idle share tells the other case apart: CPU left over means the cell waited (on round
/// trips with too little credit outstanding, or on the disk), not that it ran out of cores.
struct MachineCost: Codable, Equatable {
    var cores: Int
    /// Every CPU's busy time (user, nice, system, interrupts, steal) per document.
    var cpuMicrosPerDocument: Double
    /// Of it: the no-op worker processes together, and this bench process (the clients feeding the broker and
    /// reading the last stage's reports). The broker's own is the cell's `broker` figure.
    var workersMicrosPerDocument: Double
    var benchMicrosPerDocument: Double
    /// The share of the cores' time nobody used, 0…1.
    var idleShare: Double
    /// `cores × 1 s ÷ cpuMicrosPerDocument`: the rate at which this machine's CPU would run out.
    var ceilingDocumentsPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case cores
        case cpuMicrosPerDocument = "cpu_us_per_document"
        case workersMicrosPerDocument = "workers_cpu_us_per_document"
        case benchMicrosPerDocument = "bench_cpu_us_per_document"
        case idleShare = "idle_share"
        case ceilingDocumentsPerSecond = "ceiling_documents_per_second"
    }

    /// The machine's counters at one moment.
    struct Sample {
        /// Clock ticks summed over all CPUs.
        var busyTicks: UInt64
        var idleTicks: UInt64
        /// The workers' and this process's CPU time, microseconds.
        var workersMicros: UInt64
        var benchMicros: UInt64

        /// Reads /proc/stat and each worker's /proc/<pid>/stat; a worker that is gone counts as nothing.
        static func take(workers: [Int32]) throws -> Sample {
            let stat: String
            do {
                stat = try String(contentsOfFile: "/proc/stat", encoding: .utf8)
            } catch {
                throw BenchError(message: "cannot read /proc/stat: \(error.localizedDescription)")
            }
            guard let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else {
                throw BenchError(message: "/proc/stat does not start with the all-CPU line")
            }
            // user nice system idle iowait irq softirq steal (guest time is already inside user and nice).
            let ticks = line.split(separator: " ").dropFirst().prefix(8).map { UInt64($0) ?? 0 }
            guard ticks.count == 8 else { throw BenchError(message: "/proc/stat's cpu line is short: \(line)") }
            let idle = ticks[3] + ticks[4]
            let workers = workers.reduce(UInt64(0)) { $0 + ((try? ProcessCounters.read(pid: $1).cpuMicros) ?? 0) }
            let bench = try ProcessCounters.read(pid: getpid()).cpuMicros
            return Sample(
                busyTicks: ticks.reduce(0, +) - idle, idleTicks: idle, workersMicros: workers, benchMicros: bench)
        }
    }

    init(before: Sample, after: Sample, documents: Int) {
        let count = Double(max(documents, 1))
        let tickMicros = 1_000_000 / Double(max(sysconf(Int32(_SC_CLK_TCK)), 1))
        let busy = Double(after.busyTicks &- before.busyTicks)
        let idle = Double(after.idleTicks &- before.idleTicks)
        cores = ProcessInfo.processInfo.activeProcessorCount
        cpuMicrosPerDocument = busy * tickMicros / count
        workersMicrosPerDocument = Double(after.workersMicros &- min(after.workersMicros, before.workersMicros)) / count
        benchMicrosPerDocument = Double(after.benchMicros &- min(after.benchMicros, before.benchMicros)) / count
        idleShare = busy + idle > 0 ? idle / (busy + idle) : 0
        ceilingDocumentsPerSecond = cpuMicrosPerDocument > 0 ? Double(cores) * 1e6 / cpuMicrosPerDocument : 0
    }
}
