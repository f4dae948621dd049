import DocClient
import DocProtocol
import Foundation
import Testing
import ZeroMQ

/// Locations the integration tests need: the repo (seeds, Python examples) and the built executables.
enum TestPaths {
    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("cannot find the package root above \(#filePath)")
    }()

    /// The executables sit next to the test bundle (`swift build --build-tests` builds them);
    /// DOCPIPE_BIN_DIR overrides.
    static let binDir: URL = {
        if let dir = ProcessInfo.processInfo.environment["DOCPIPE_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }()

    static func executable(_ name: String) -> URL { binDir.appendingPathComponent(name) }
    static let seed = repoRoot.appendingPathComponent("seeds/nato-russia-strategy.txt")
    static let specWorker = repoRoot.appendingPathComponent("protocol/python/examples/spec_worker.py")
    static let specClient = repoRoot.appendingPathComponent("protocol/python/examples/spec_client.py")
}

/// A child process the test owns: killed by pid (SIGKILL) when the test ends, whatever happened.
final class Child {
    let process = Process()
    let logURL: URL

    init(_ executable: URL, _ arguments: [String], log: URL, environment: [String: String] = [:]) throws {
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardError = handle
        process.standardOutput = handle
        logURL = log
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { if process.isRunning { kill(pid, number) } }

    /// Waits for exit up to `timeout` seconds; true if it exited.
    func waitForExit(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return !process.isRunning
    }

    func stop() {
        signal(SIGKILL)
        _ = waitForExit(timeout: 5)
    }
}

/// A broker and workers as real processes on a private ipc:// endpoint in a temp folder.
final class TestCluster {
    let folder: URL
    let endpoint: String
    private(set) var children: [Child] = []
    private var logCount = 0

    init() throws {
        folder = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("dpt-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        endpoint = "ipc://\(folder.path)/broker.sock"
    }

    var dataFolder: String { folder.appendingPathComponent("data").path }

    @discardableResult
    func start(_ executable: URL, _ arguments: [String], label: String, environment: [String: String] = [:]) throws
        -> Child
    {
        logCount += 1
        let child = try Child(
            executable, arguments, log: folder.appendingPathComponent("\(logCount)-\(label).log"),
            environment: environment)
        children.append(child)
        return child
    }

    @discardableResult
    func startBroker(_ extra: [String] = [], environment: [String: String] = [:]) throws -> Child {
        try start(
            TestPaths.executable("docpipe"),
            ["broker", "--bind", endpoint, "--data", dataFolder, "--log-level", "info"] + extra, label: "broker",
            environment: environment)
    }

    @discardableResult
    func startWorker(_ name: String, _ extra: [String] = []) throws -> Child {
        try start(
            TestPaths.executable("docpipe-\(name)"), ["--broker", endpoint, "--data", dataFolder] + extra,
            label: name)
    }

    @discardableResult
    func startPythonWorker(service: String, _ extra: [String] = []) throws -> Child {
        try start(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", TestPaths.specWorker.path, "--broker", endpoint, "--service", service] + extra,
            label: "py-\(service)")
    }

    /// A bare DEALER on the broker's endpoint, for tests that speak MDP (or garbage) by hand.
    func rawDealer(_ context: Context, receiveTimeoutMs: Int) throws -> Socket {
        let socket = try Socket(context, .dealer)
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveTimeout(milliseconds: receiveTimeoutMs)
        try socket.connect(endpoint)
        return socket
    }

    /// A bare ROUTER bound to the broker's endpoint instead of a broker, for tests that play the broker to
    /// real worker processes.
    func rawRouter(_ context: Context, receiveTimeoutMs: Int) throws -> Socket {
        let socket = try Socket(context, .router)
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveTimeout(milliseconds: receiveTimeoutMs)
        try socket.bind(endpoint)
        return socket
    }

    func client(timeoutMs: Int = 3000) throws -> DocpipeClient {
        try DocpipeClient(broker: endpoint, timeoutMs: timeoutMs)
    }

    /// Polls `condition` until true or `timeout` seconds pass (then records an issue and throws).
    func waitUntil(_ what: String, timeout: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestFailure("timed out after \(timeout)s waiting for: \(what)\n" + logs())
    }

    func status() throws -> BrokerStatus { try client().status() }

    func logs() -> String {
        children.map { "--- \($0.logURL.lastPathComponent)\n\($0.log.suffix(3000))" }.joined(separator: "\n")
    }

    /// Kills every child by pid and removes the folder (kept, with its logs and data, when
    /// `DOCPIPE_KEEP_TEST_FOLDERS` is set: for reading what a failed run left behind).
    func stop() {
        for child in children { child.stop() }
        children.removeAll()
        guard ProcessInfo.processInfo.environment["DOCPIPE_KEEP_TEST_FOLDERS"] == nil else { return }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stop() }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A new empty folder under the temporary directory; the caller removes it.
func temporaryFolder() throws -> URL {
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
        "dpt-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Runs a command to completion (bounded) and returns its exit status, stdout and stderr.
/// Output goes through temp files, so a chatty child can never block on a full pipe.
func runCommand(_ executable: URL, _ arguments: [String], timeout: Double) throws
    -> (status: Int32, output: String, errors: String)
{
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("dpt-cmd-\(UUID().uuidString)")
    let outURL = base.appendingPathExtension("out")
    let errURL = base.appendingPathExtension("err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw TestFailure("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) ran over \(timeout)s")
    }
    process.waitUntilExit()
    let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let errors = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return (process.terminationStatus, output, errors)
}
