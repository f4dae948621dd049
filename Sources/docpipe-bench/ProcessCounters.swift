import Foundation

/// What Linux counts for one process in /proc: its own CPU time and the bytes it wrote.
struct ProcessCounters {
    /// User + system CPU time, microseconds.
    var cpuMicros: UInt64
    /// The part of it spent in the kernel (system calls, and for sockets on loopback the receiving side's
    /// network processing too, which runs in the sender's context).
    var kernelMicros: UInt64 = 0
    /// CPU time by thread name (/proc/<pid>/task/<tid>/stat), microseconds; threads of one name are summed.
    var threadMicros: [String: UInt64] = [:]
    /// Bytes the process caused to reach the block layer (0 where the kernel does not account it,
    /// e.g. tmpfs or some containers).
    var writeBytes: UInt64
    /// Bytes passed to write(2) and friends, whatever happened to them next.
    var writeCalls: UInt64

    /// Reads /proc/<pid>/stat and /proc/<pid>/io; throws if the process is gone or they are unreadable.
    static func read(pid: Int32) throws -> ProcessCounters {
        let (_, user, system) = try cpuTicks(try procFile(pid, "stat"), of: "/proc/\(pid)/stat")
        let ticks = UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1))
        let io = keyed(try procFile(pid, "io"))
        var threads: [String: UInt64] = [:]
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
            // A thread may end between listing and reading: it is left out.
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
                let (name, threadUser, threadSystem) = try? cpuTicks(stat, of: task)
            else { continue }
            threads[name, default: 0] += (threadUser + threadSystem) * 1_000_000 / ticks
        }
        return ProcessCounters(
            cpuMicros: (user + system) * 1_000_000 / ticks, kernelMicros: system * 1_000_000 / ticks,
            threadMicros: threads, writeBytes: io["write_bytes"] ?? 0, writeCalls: io["wchar"] ?? 0)
    }

    /// The command name, utime and stime (clock ticks) of a /proc stat line.
    private static func cpuTicks(_ stat: String, of source: String) throws -> (String, UInt64, UInt64) {
        // The command name (field 2) may hold spaces; every field after its closing parenthesis is numeric.
        guard let nameStart = stat.firstIndex(of: "("), let nameEnd = stat.lastIndex(of: ")"), nameStart < nameEnd
        else {
            throw BenchError(message: "\(source) unreadable")
        }
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks.
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else {
            throw BenchError(message: "\(source) has no utime/stime")
        }
        return (String(stat[stat.index(after: nameStart)..<nameEnd]), user, system)
    }

    /// VmHWM: the most resident memory the process ever had, bytes.
    static func peakResidentBytes(pid: Int32) throws -> UInt64 {
        guard let kilobytes = keyed(try procFile(pid, "status"))["VmHWM"] else {
            throw BenchError(message: "/proc/\(pid)/status has no VmHWM")
        }
        return kilobytes * 1024
    }

    private static func procFile(_ pid: Int32, _ name: String) throws -> String {
        do {
            return try String(contentsOfFile: "/proc/\(pid)/\(name)", encoding: .utf8)
        } catch {
            throw BenchError(message: "cannot read /proc/\(pid)/\(name): \(error.localizedDescription)")
        }
    }

    /// "key: 123 kB" lines → [key: 123].
    private static func keyed(_ text: String) -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2,
                let number = parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap({ UInt64($0) })
            else { continue }
            values[String(parts[0])] = number
        }
        return values
    }
}

/// The broker's CPU and journal writes over one measured run.
struct BrokerCost: Codable, Equatable {
    var cpuMicrosPerDocument: Double
    /// Of `cpuMicrosPerDocument`, the kernel's part.
    var kernelMicrosPerDocument: Double
    /// Of `cpuMicrosPerDocument`, each thread's: `loop` (the broker's own), `journal` (the log's writer),
    /// `zeromq_io` (libzmq's I/O threads: the TCP sends and receives) and `other`.
    var threadMicrosPerDocument: [String: Double]
    var journalBytesPerDocument: Double
    /// "write_bytes" (reached the disk) or "wchar" (handed to write(2); used when write_bytes stays 0).
    var journalBytesSource: String

    enum CodingKeys: String, CodingKey {
        case cpuMicrosPerDocument = "cpu_us_per_document"
        case kernelMicrosPerDocument = "kernel_cpu_us_per_document"
        case threadMicrosPerDocument = "cpu_us_per_document_by_thread"
        case journalBytesPerDocument = "journal_bytes_per_document"
        case journalBytesSource = "journal_bytes_source"
    }

    /// The broker's threads by the names it gives them (and libzmq's I/O threads by theirs).
    static func threadGroup(_ name: String) -> String {
        switch name {
        case "docpipe-broker": "loop"
        case "docpipe-journal": "journal"
        case _ where name.hasPrefix("ZMQbg/IO"): "zeromq_io"
        default: "other"
        }
    }

    init(before: ProcessCounters, after: ProcessCounters, documents: Int) {
        let count = Double(max(documents, 1))
        cpuMicrosPerDocument = Double(after.cpuMicros - before.cpuMicros) / count
        kernelMicrosPerDocument = Double(after.kernelMicros &- before.kernelMicros) / count
        var byThread: [String: Double] = ["loop": 0, "journal": 0, "zeromq_io": 0]
        for (name, micros) in after.threadMicros where Self.threadGroup(name) != "other" {
            // A thread that started during the run counts from zero.
            let spent = micros &- min(micros, before.threadMicros[name] ?? 0)
            byThread[Self.threadGroup(name), default: 0] += Double(spent) / count
        }
        // The rest, by difference: it includes threads that ended during the run, whose time /proc no longer
        // lists by thread but still counts in the process's.
        byThread["other"] = max(0, cpuMicrosPerDocument - byThread.values.reduce(0, +))
        threadMicrosPerDocument = byThread
        let disk = after.writeBytes - before.writeBytes
        if disk > 0 {
            journalBytesPerDocument = Double(disk) / count
            journalBytesSource = "write_bytes"
        } else {
            journalBytesPerDocument = Double(after.writeCalls - before.writeCalls) / count
            journalBytesSource = "wchar"
        }
    }
}
