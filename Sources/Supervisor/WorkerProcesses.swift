package import Foundation
package import PluginTooling

/// Worker executables started as child processes (for `docpipe run` and `docpipe up`), stopped by pid on the
/// way out.
///
/// Sendable because the Ctrl-C handler stops the same children from another thread; a lock guards the list.
package final class WorkerProcesses: @unchecked Sendable {
    package static let builtIn = ["extractor", "classifier", "summarizer", "storage-writer"]
    private let lock = NSLock()
    private var processes: [Process] = []

    package init() {}

    package func start(_ name: String, broker: String, data: String, logLevel: String) throws {
        guard let url = WorkerExecutables.find(name) else {
            throw SupervisorError("cannot find docpipe-\(name) next to docpipe or on PATH; build it with `swift build`")
        }
        // `docpipe run` embeds a plaintext loopback broker: CURVE keys meant for a remote broker in the
        // environment would only make these children fail their handshake.
        var environment = ProcessInfo.processInfo.environment
        environment["DOCPIPE_SERVER_KEY"] = nil
        environment["DOCPIPE_KEY"] = nil
        try launch(
            url, arguments: ["--broker", broker, "--data", data, "--log-level", logLevel],
            environment: environment)
    }

    /// Starts any worker program as a child that `stopAll` will stop; `log` (appended to) takes its
    /// stdout and stderr, else it shares ours. `docpipe up` supervises what this returns.
    @discardableResult
    package func launch(
        _ executable: URL, arguments: [String], workingDirectory: URL? = nil, log: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = workingDirectory
        process.standardInput = FileHandle.nullDevice
        if let log {
            if !FileManager.default.fileExists(atPath: log.path) {
                FileManager.default.createFile(atPath: log.path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            process.standardOutput = handle
            process.standardError = handle
        }
        try lock.withLock {
            try process.run()
            processes.append(process)
        }
        return process
    }

    /// Drops a child that has exited, so the list does not grow with every restart.
    package func forget(_ process: Process) {
        lock.withLock { processes.removeAll { $0 === process } }
    }

    /// SIGTERM everyone, wait up to `graceSeconds`, then SIGKILL whoever is left.
    package func stopAll(graceSeconds: Double = 5) {
        let processes = lock.withLock {
            defer { self.processes.removeAll() }
            return self.processes
        }
        for process in processes where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(graceSeconds)
        while processes.contains(where: \.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for process in processes { process.waitUntilExit() }
    }

    deinit { stopAll(graceSeconds: 1) }
}
