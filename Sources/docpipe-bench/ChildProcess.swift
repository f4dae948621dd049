import Foundation
import Synchronization

/// A process the bench started (broker, worker, proxy, majortomo): stderr goes to a log file kept for
/// error messages, and it is always stopped by pid — by `stop()`, or by `ChildRegistry` on Ctrl-C.
final class ChildProcess {
    let name: String
    private let process = Process()
    private let logURL: URL
    let pid: Int32

    init(name: String, executable: URL, arguments: [String], logFolder: URL) throws {
        self.name = name
        logURL = logFolder.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: logURL)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw BenchError(message: "could not start \(name) (\(executable.path)): \(error)")
        }
        pid = process.processIdentifier
        ChildRegistry.add(pid)
    }

    var isRunning: Bool { process.isRunning }

    /// The exit status once it has exited; nil while it runs.
    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// SIGTERM, then SIGKILL if it has not exited within `graceSeconds`; waits (bounded) for the exit.
    func stop(graceSeconds: Double = 3) {
        defer { ChildRegistry.remove(pid) }
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        if waitForExit(seconds: graceSeconds) { return }
        kill(pid, SIGKILL)
        _ = waitForExit(seconds: 2)
    }

    /// True once the process has exited; false if it is still running after `seconds`.
    func waitForExit(seconds: Double) -> Bool {
        let deadline = monotonicNanos() + UInt64(seconds * 1e9)
        while process.isRunning {
            guard monotonicNanos() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return true
    }

    /// The end of what the child wrote, for error messages.
    func logTail(_ characters: Int = 1_500) -> String {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return text.isEmpty ? "(\(name) wrote nothing)" : String(text.suffix(characters))
    }

    /// Throws, with the child's last words, if it has already exited.
    func checkRunning() throws {
        guard !process.isRunning else { return }
        throw BenchError(message: "\(name) exited (status \(process.terminationStatus)):\n\(logTail())")
    }
}

/// The pids of every running child, so an interrupt or a fatal error kills them all, by pid.
enum ChildRegistry {
    private static let pids = Mutex<Set<Int32>>([])

    /// What to run besides killing pids: a server the bench did not start as a plain child (the store
    /// phase's PostgreSQL, stopped by its own pid and its folder removed).
    private static let cleanups = Mutex<(next: Int, actions: [Int: @Sendable () -> Void])>((0, [:]))

    static func add(_ pid: Int32) { _ = pids.withLock { $0.insert(pid) } }
    static func remove(_ pid: Int32) { _ = pids.withLock { $0.remove(pid) } }

    /// Registers `action` to run on an interrupt or a fatal error; returns its key for ``removeCleanup(_:)``.
    static func addCleanup(_ action: @escaping @Sendable () -> Void) -> Int {
        cleanups.withLock {
            $0.next += 1
            $0.actions[$0.next] = action
            return $0.next
        }
    }

    static func removeCleanup(_ key: Int) { _ = cleanups.withLock { $0.actions.removeValue(forKey: key) } }

    /// Held while cleanups run, so a second caller (an error path racing an interrupt) waits for them to
    /// finish before it exits, instead of exiting halfway through a server's shutdown.
    private static let cleaning = Mutex<Void>(())

    /// SIGKILL to every child still registered, then every registered cleanup (each runs once).
    static func killAll() {
        for pid in pids.withLock({ $0 }) { kill(pid, SIGKILL) }
        cleaning.withLock { _ in
            let actions = cleanups.withLock {
                let actions = $0.actions
                $0.actions = [:]
                return actions
            }
            for action in actions.sorted(by: { $0.key < $1.key }) { action.value() }
        }
    }

    /// Ctrl-C or SIGTERM: kill the children, say so on stderr, exit 130. Kept alive for the process's life.
    static func installInterruptHandler() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                killAll()
                FileHandle.standardError.write(Data("\ndocpipe-bench: interrupted; children stopped\n".utf8))
                exit(130)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// Set once, on the main thread, before any child starts; only kept so the sources stay alive.
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []
}

/// The signal mask this process was started with.
enum SignalMask {
    /// Unblocks every signal. A parent may start the bench with signals blocked (a test runner does:
    /// Foundation's Process passes its mask on), and every child would inherit that — SIGTERM would
    /// never reach a worker or the broker, and Ctrl-C would never reach the bench. Call first thing.
    static func unblockAll() {
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
    }
}

/// A child of the bench (a worker or the proxy) ends when the bench does, even if the bench was killed
/// with SIGKILL and could not clean up: it notices it has been re-parented.
struct ParentWatch {
    private let parent = getppid()
    private var checkedAt: UInt64 = 0

    /// Exits the process if the parent is gone; cheap enough to call in every loop turn.
    mutating func exitIfOrphaned() {
        let now = monotonicNanos()
        guard now - checkedAt > 200_000_000 else { return }
        checkedAt = now
        if getppid() != parent { exit(0) }
    }
}

/// Where the executables are: next to this one (`.build/release` or `.build/debug`).
enum BenchPaths {
    static let binDir: URL =
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    static let bench = binDir.appendingPathComponent("docpipe-bench")

    static func executable(_ name: String) throws -> URL {
        let url = binDir.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BenchError(
                message: "\(url.path) not found: build it first (swift build -c release --product \(name))")
        }
        return url
    }

    /// `python3` from PATH.
    static func python() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("python3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw BenchError(message: "python3 not found on PATH")
    }

    /// A fresh folder in the temp directory (broker data, child logs).
    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("docpipe-bench-\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
