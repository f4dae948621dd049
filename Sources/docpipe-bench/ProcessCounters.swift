import Foundation

/// What Linux counts for one process in /proc: its own CPU time and the bytes it wrote.
struct ProcessCounters {
    /// User + system CPU time, microseconds.
    var cpuMicros: UInt64
    /// Bytes the process caused to reach the block layer (0 where the kernel does not account it,
    /// e.g. tmpfs or some containers).
    var writeBytes: UInt64
    /// Bytes passed to write(2) and friends, whatever happened to them next.
    var writeCalls: UInt64

    /// Reads /proc/<pid>/stat and /proc/<pid>/io; throws if the process is gone or they are unreadable.
    static func read(pid: Int32) throws -> ProcessCounters {
        let stat = try procFile(pid, "stat")
        // The command name (field 2) may hold spaces; every field after its closing parenthesis is numeric.
        guard let close = stat.lastIndex(of: ")") else { throw BenchError(message: "/proc/\(pid)/stat unreadable") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks.
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else {
            throw BenchError(message: "/proc/\(pid)/stat has no utime/stime")
        }
        let ticks = UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1))
        let io = keyed(try procFile(pid, "io"))
        return ProcessCounters(
            cpuMicros: (user + system) * 1_000_000 / ticks, writeBytes: io["write_bytes"] ?? 0,
            writeCalls: io["wchar"] ?? 0)
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
    var journalBytesPerDocument: Double
    /// "write_bytes" (reached the disk) or "wchar" (handed to write(2); used when write_bytes stays 0).
    var journalBytesSource: String

    enum CodingKeys: String, CodingKey {
        case cpuMicrosPerDocument = "cpu_us_per_document"
        case journalBytesPerDocument = "journal_bytes_per_document"
        case journalBytesSource = "journal_bytes_source"
    }

    init(before: ProcessCounters, after: ProcessCounters, documents: Int) {
        let count = Double(max(documents, 1))
        cpuMicrosPerDocument = Double(after.cpuMicros - before.cpuMicros) / count
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
