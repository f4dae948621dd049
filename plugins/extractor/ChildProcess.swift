import Foundation

/// Runs a helper program (pdftotext, pdfinfo) to completion or until a deadline, with its output
/// in files rather than pipes: a pipe that nobody drains blocks a chatty child, a file never does.
enum ChildProcess {
    /// How a run ended.
    enum Outcome: Equatable {
        case exited(Int32)
        case timedOut
    }

    /// The first executable of that name on PATH (then /usr/bin, where Debian puts poppler-utils and
    /// tesseract-ocr). The `override` variable (`DOCPIPE_POPPLER_DIR`, `DOCPIPE_TESSERACT_DIR`), when
    /// set, is the only place looked in: hosts with the tools elsewhere use it, and so do tests of
    /// the "not installed" error.
    static func locate(_ name: String, override: String = "DOCPIPE_POPPLER_DIR") -> URL? {
        let environment = ProcessInfo.processInfo.environment
        let directories =
            environment[override].map { [$0] }
            ?? (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for directory in directories {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Starts the program and waits for it; past `timeout` it gets SIGTERM, then SIGKILL a second
    /// later, so a hostile input cannot hold the worker.
    /// `environment` entries are added to the worker's own.
    static func run(
        _ executable: URL, _ arguments: [String], stdout: URL, stderr: URL, timeout: Duration,
        environment: [String: String] = [:]
    ) async throws -> Outcome {
        FileManager.default.createFile(atPath: stdout.path, contents: nil)
        FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let out = try FileHandle(forWritingTo: stdout)
        let err = try FileHandle(forWritingTo: stderr)
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        let state = RunState(process)
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                state.finish(continuation, .exited(finished.terminationStatus))
            }
            do {
                try process.run()
            } catch {
                state.fail(continuation, error)
                return
            }
            let pid = process.processIdentifier
            Task.detached {
                try? await Task.sleep(for: timeout)
                guard state.markTimedOut() else { return }
                kill(pid, SIGTERM)
                try? await Task.sleep(for: .seconds(1))
                if state.isRunning { kill(pid, SIGKILL) }
            }
        }
    }
}

/// Shared between the termination handler and the timeout task; resumes the caller exactly once.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var resumed = false
    private var timedOut = false
    private let process: Process

    init(_ process: Process) { self.process = process }

    var isRunning: Bool { lock.withLock { !resumed } }

    /// True if the process was still running and is now marked as timed out.
    func markTimedOut() -> Bool {
        lock.withLock {
            guard !resumed else { return false }
            timedOut = true
            return true
        }
    }

    func finish(_ continuation: CheckedContinuation<ChildProcess.Outcome, any Error>, _ outcome: ChildProcess.Outcome) {
        let result: ChildProcess.Outcome? = lock.withLock {
            guard !resumed else { return nil }
            resumed = true
            return timedOut ? .timedOut : outcome
        }
        if let result { continuation.resume(returning: result) }
    }

    func fail(_ continuation: CheckedContinuation<ChildProcess.Outcome, any Error>, _ error: any Error) {
        let first = lock.withLock { () -> Bool in
            guard !resumed else { return false }
            resumed = true
            return true
        }
        if first { continuation.resume(throwing: error) }
    }
}
