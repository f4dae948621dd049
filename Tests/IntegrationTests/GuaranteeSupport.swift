import DocClient
import DocProtocol
import Foundation

extension TestCluster {
    /// Writes the broker's config.json into the data folder (before the broker starts).
    func writeBrokerConfig(_ json: String) throws {
        try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
        try json.write(toFile: dataFolder + "/config.json", atomically: true, encoding: .utf8)
    }

    var storePath: String { dataFolder + "/store.sqlite" }
}

/// Resident memory of a process in MiB, from /proc (nil if it is gone).
func residentMiB(of pid: Int32) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kb / 1024
}

extension DocpipeClient {
    func deadLetterList() throws -> DeadLetterList {
        try Self.decodeReply(try deadLetters(DeadLetterRequest(op: .list, limit: 10_000)), as: DeadLetterList.self)
    }
}
