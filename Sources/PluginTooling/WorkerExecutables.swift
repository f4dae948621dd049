package import Foundation

/// docpipe's own worker programs (`docpipe-NAME`), found the way `run`, `up` and the plugins folder expect.
package enum WorkerExecutables {
    /// Where the worker executables are: next to this `docpipe` binary, else on PATH.
    package static func find(_ name: String) -> URL? {
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates =
            [own.appendingPathComponent("docpipe-\(name)")]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map {
                URL(fileURLWithPath: String($0)).appendingPathComponent("docpipe-\(name)")
            }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
