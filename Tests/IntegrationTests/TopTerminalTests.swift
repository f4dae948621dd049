import DocClient
import DocProtocol
import Foundation
import Testing

/// A tmux server of the test's own (its own socket name), so nothing touches a user's tmux sessions.
final class TmuxSession {
    let socket = "dpt-\(UUID().uuidString.prefix(8))"
    let name = "top"
    static let tmux = URL(fileURLWithPath: "/usr/bin/env")

    /// Starts `command` in a detached 80×24 pane (or the given size) that stays on screen after it exits.
    init(_ command: String, columns: Int = 80, rows: Int = 24) throws {
        try run(["new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)", command])
        try run(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    /// Through a Python shim, because the tmux server daemonizes from the first command and inherits
    /// from this test process: (1) Foundation's child-exit socket — kept open, Process would never see the
    /// client exit — so descriptors are closed; (2) a signal mask with SIGCHLD and SIGTERM blocked — tmux
    /// would never reap its panes nor obey kill-server — so the mask is cleared and dispositions reset.
    static let shim = """
        import signal, subprocess, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        for number in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE, signal.SIGTSTP,
                       signal.SIGTTIN, signal.SIGTTOU):
            signal.signal(number, signal.SIG_DFL)
        sys.exit(subprocess.call(sys.argv[1:], close_fds=True))
        """

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let shim = Self.shim
        let result = try runCommand(Self.tmux, ["python3", "-c", shim, "tmux", "-L", socket] + arguments, timeout: 10)
        guard result.status == 0 else {
            throw TestFailure("tmux \(arguments.joined(separator: " ")): \(result.errors)")
        }
        return result.output
    }

    func capture() throws -> [String] {
        try run(["capture-pane", "-p", "-t", name]).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
    }

    func sendKeys(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }

    /// "1 …" once the pane's command has exited (tmux 3.3 leaves the status field empty; the shell records it).
    func paneState() throws -> String {
        try run(["display-message", "-p", "-t", name, "#{pane_dead} #{pane_dead_status}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func waitFor(_ what: String, timeout: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TestFailure(
            "timed out after \(timeout)s waiting for \(what); screen:\n"
                + ((try? capture())?.joined(separator: "\n") ?? "?"))
    }

    deinit { _ = try? run(["kill-server"]) }
}

/// `docpipe top` in a real terminal: tmux draws it, the test reads the pane and types keys.
@Suite(.serialized)
struct TopTerminalTests {
    /// Why these tests cannot run here, if they cannot: they then fail with it (see `SkipPolicy`).
    static let unavailable: String? =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") ? nil : "no /usr/bin/tmux (install tmux)"
    static let excused = SkipPolicy.excused("TopTerminalTests", because: unavailable)

    static func requireTmux() throws {
        if let reason = unavailable { throw TestFailure("this machine cannot run the test: \(reason)") }
    }

    /// A cluster with two stages and some finished work, so every part of the screen has something to show.
    static func busyCluster() throws -> TestCluster {
        let cluster = try TestCluster()
        try cluster.writeBrokerConfig(#"{"pipelines": {"ops": {"stages": ["extractor", "tail"]}}}"#)
        try cluster.startBroker()
        try cluster.startWorker("extractor")
        try cluster.startPythonWorker(service: "tail", ["--delay-ms", "20"])
        try cluster.waitUntil("two workers", timeout: 20) { try cluster.status().workers == 2 }
        let client = try cluster.client()
        for job in try cluster.submitDocuments(5, pipeline: "ops") { _ = try client.waitForJob(job, timeoutMs: 20_000) }
        return cluster
    }

    /// The pane runs top, then records the exit status and the terminal modes it left behind.
    static func command(_ cluster: TestCluster) -> (String, URL) {
        let after = cluster.folder.appendingPathComponent("after-top.txt")
        let top = TestPaths.executable("docpipe").path
        return (
            "\(top) top --broker \(cluster.endpoint) --interval 0.3; echo \"exit=$?\" > \(after.path); "
                + "stty -a | tr '\\n' ' ' >> \(after.path)", after
        )
    }

    @Test(.enabled(if: !excused), .timeLimit(.minutes(2)))
    func topDrawsAnEightyByTwentyFourScreenAndQQuitsRestoringTheTerminal() throws {
        try Self.requireTmux()
        let cluster = try Self.busyCluster()
        defer { cluster.stop() }
        let (command, after) = Self.command(cluster)
        let tmux = try TmuxSession(command)
        try tmux.waitFor("top's first frame", timeout: 15) {
            try tmux.capture().contains { $0.hasPrefix("extractor ") }
        }
        // A second frame, so the sparklines have a rate to draw.
        Thread.sleep(forTimeInterval: 0.8)
        let screen = try tmux.capture()
        #expect(screen.first?.hasPrefix("docpipe top · \(cluster.endpoint)") == true)
        #expect(screen.contains { $0.hasPrefix("STAGE ") && $0.contains("P95") })
        #expect(screen.contains { $0.hasPrefix("tail ") })
        #expect(screen.contains { $0.hasPrefix("WORKER ") })
        #expect(screen.contains { $0.contains("extractor") && $0.contains("idle") })
        #expect(screen.contains { $0.contains("jobs 5 in, 5 done, 0 failed") })
        #expect(screen.allSatisfy { $0.count <= 80 })
        #expect(screen.count <= 25)

        try tmux.sendKeys("q")
        try tmux.waitFor("top to quit on q", timeout: 5) { try tmux.paneState().hasPrefix("1") }
        let left = try String(contentsOf: after, encoding: .utf8)
        #expect(left.hasPrefix("exit=0"))
        // Raw mode undone: canonical input, echo and signals are back on.
        for mode in [" icanon", " echo ", " isig"] { #expect(left.contains(mode), "\(mode) not restored: \(left)") }
        // The alternate screen is gone: the pane shows the normal screen again, not the last frame.
        #expect(!(try tmux.capture()).contains { $0.hasPrefix("STAGE ") })
    }

    @Test(.enabled(if: !excused), .timeLimit(.minutes(2)))
    func ctrlCAndSIGTERMBothQuitCleanly() throws {
        try Self.requireTmux()
        let cluster = try Self.busyCluster()
        defer { cluster.stop() }
        let (command, after) = Self.command(cluster)
        let tmux = try TmuxSession(command)
        try tmux.waitFor("top's first frame", timeout: 15) { try tmux.capture().contains { $0.hasPrefix("STAGE ") } }
        try tmux.sendKeys("C-c")
        try tmux.waitFor("top to quit on Ctrl-C", timeout: 5) { try tmux.paneState().hasPrefix("1") }
        #expect(try String(contentsOf: after, encoding: .utf8).contains(" icanon"))

        try FileManager.default.removeItem(at: after)
        try tmux.run(["respawn-pane", "-k", "-t", tmux.name, command])
        try tmux.waitFor("top again", timeout: 15) { try tmux.capture().contains { $0.hasPrefix("STAGE ") } }
        let pid = try tmux.run(["display-message", "-p", "-t", tmux.name, "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // The pane's process is the shell; top is its child.
        let children = try runCommand(
            URL(fileURLWithPath: "/usr/bin/pgrep"), ["-P", pid, "-f", "docpipe top"], timeout: 5)
        let topPID = try #require(Int32(children.output.split(separator: "\n").first ?? ""))
        kill(topPID, SIGTERM)
        try tmux.waitFor("top to quit on SIGTERM", timeout: 5) { try tmux.paneState().hasPrefix("1") }
        let left = try String(contentsOf: after, encoding: .utf8)
        #expect(left.hasPrefix("exit=0"))
        #expect(left.contains(" icanon") && left.contains(" isig"))
    }

    @Test(.enabled(if: !excused), .timeLimit(.minutes(1)), arguments: ["q", "C-c"])
    func topQuitsOnAKeyWhileTheBrokerIsUnreachable(_ key: String) throws {
        try Self.requireTmux()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let nobody = "ipc://\(folder.path)/nobody.sock"
        let after = folder.appendingPathComponent("after-top.txt")
        let top = TestPaths.executable("docpipe").path
        // Each status request waits the whole 2 s interval for an answer that never comes.
        let tmux = try TmuxSession("\(top) top --broker \(nobody) --interval 2; echo \"exit=$?\" > \(after.path)")
        try tmux.waitFor("top's first frame", timeout: 15) { try tmux.capture().contains { $0.contains("no reply") } }
        try tmux.sendKeys(key)
        try tmux.waitFor("top to quit on \(key) while the broker is unreachable", timeout: 1.5) {
            try tmux.paneState().hasPrefix("1")
        }
        #expect(try String(contentsOf: after, encoding: .utf8).hasPrefix("exit=0"))
    }
}
