import DocClient
import DocProtocol
import Foundation
import Testing

/// `docpipe new-plugin`, `docpipe plugins` and `docpipe up`, run as the real executable.
@Suite(.serialized)
struct PluginToolingTests {
    static let docpipe = TestPaths.executable("docpipe")

    @Test(.timeLimit(.minutes(1)))
    func pythonScaffoldPassesItsOwnTest() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try runCommand(
            Self.docpipe,
            [
                "new-plugin", "word-count", "--language", "python",
                "--dir", folder.path, "--sdk", TestPaths.repoRoot.path,
            ], timeout: 30)
        #expect(made.status == 0, "\(made.errors)")
        let plugin = folder.appendingPathComponent("word-count")
        for file in ["plugin.json", "word_count.py", "test_word_count.py", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: plugin.appendingPathComponent(file).path), "\(file)")
        }
        // It imports docpipe_mdp as an installed package (no path of its own into the checkout): here the
        // package's folder stands in for `pip install`, which protocol/python/tests/test_installed_package.py does
        // for real in a fresh venv.
        let module = try String(contentsOf: plugin.appendingPathComponent("word_count.py"), encoding: .utf8)
        #expect(!module.contains("sys.path"))
        let readme = try String(contentsOf: plugin.appendingPathComponent("README.md"), encoding: .utf8)
        let package = TestPaths.repoRoot.appendingPathComponent("protocol/python").standardizedFileURL.path
        #expect(readme.contains("pip install \(package)"))
        #expect(made.output.contains("pip install \(package)"))
        let pytest = try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "PYTHONPATH=\(package)", "python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                plugin.path,
            ], timeout: 60)
        #expect(pytest.status == 0, "\(pytest.output)\(pytest.errors)")
        #expect(pytest.output.contains("2 passed"))
        let bare = try runCommand(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "-u", "PYTHONPATH", "python3", "-S", "-c",
                "import sys; sys.path.insert(0, '\(plugin.path)'); import word_count",
            ], timeout: 30)
        #expect(bare.status != 0)
        #expect(bare.errors.contains("install the docpipe SDK first: pip install \(package)"), "\(bare.errors)")
        // Its manifest is one `docpipe plugins` accepts.
        let listed = try runCommand(
            Self.docpipe,
            [
                "plugins", "--plugins", folder.path, "--json", "--broker",
                "ipc://\(folder.path)/none.sock", "--timeout-ms", "200",
                "--data", folder.path,
            ], timeout: 30)
        let listing = try JSONDecoder().decode(JSONValue.self, from: Data(listed.output.utf8))
        #expect(listing["plugins"]?.arrayValue?.first?["service"] == "word-count")
        #expect(listing["problems"]?.arrayValue?.isEmpty == true)
    }

    /// Building a fresh SwiftPM package (and all of docpipe's dependencies again) takes minutes on two
    /// cores, so `make test` checks the files and that SwiftPM reads the manifest; building and testing
    /// a scaffold for real is documented in docs/WRITING_A_PLUGIN.md.
    @Test(.timeLimit(.minutes(1)))
    func swiftScaffoldIsACompletePackage() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try runCommand(
            Self.docpipe,
            [
                "new-plugin", "word-count", "--dir", folder.path,
                "--sdk", TestPaths.repoRoot.path,
            ], timeout: 30)
        #expect(made.status == 0, "\(made.errors)")
        let plugin = folder.appendingPathComponent("word-count")
        for file in [
            "plugin.json", "Package.swift", "README.md", "Sources/WordCountWorker/WordCount.swift",
            "Sources/docpipe-word-count/main.swift", "Tests/WordCountWorkerTests/WordCountTests.swift",
        ] {
            #expect(FileManager.default.fileExists(atPath: plugin.appendingPathComponent(file).path), "\(file)")
        }
        let swift = ProcessInfo.processInfo.environment["PATH"].flatMap { path in
            path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("swift") }
                .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        }
        let dump = try runCommand(
            try #require(swift), ["package", "--package-path", plugin.path, "dump-package"],
            timeout: 60)
        #expect(dump.status == 0, "\(dump.errors)")
        let package = try JSONDecoder().decode(JSONValue.self, from: Data(dump.output.utf8))
        let targets = package["targets"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(Set(targets) == ["WordCountWorker", "docpipe-word-count", "WordCountWorkerTests"])
        #expect(dump.output.contains(TestPaths.repoRoot.path))

        let again = try runCommand(Self.docpipe, ["new-plugin", "word-count", "--dir", folder.path], timeout: 30)
        #expect(again.status != 0)
        #expect(again.errors.contains("already exists"))
        let badName = try runCommand(Self.docpipe, ["new-plugin", "Bad_Name", "--dir", folder.path], timeout: 30)
        #expect(badName.status != 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func pluginsListsManifestsConnectionsAndPipelineGaps() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writePipelinesConfig(#"{"pipelines": {"odd": {"stages": ["extractor", "nobody-provides-this"]}}}"#)
        try cluster.startBroker()
        try cluster.startWorker("extractor")
        let client = try cluster.client()
        try cluster.waitUntil("extractor registered", timeout: 20) {
            try client.serviceAvailability("extractor") == "200"
        }

        let listed = try runCommand(
            Self.docpipe,
            [
                "plugins", "--json", "--plugins", TestPaths.repoRoot.appendingPathComponent("plugins").path,
                "--broker", cluster.endpoint, "--data", cluster.dataFolder,
            ], timeout: 30)
        #expect(listed.status == 0, "\(listed.errors)")
        let listing = try JSONDecoder().decode(JSONValue.self, from: Data(listed.output.utf8))
        let plugins = listing["plugins"]?.arrayValue ?? []
        let connected = Dictionary(
            uniqueKeysWithValues: plugins.compactMap { plugin in
                plugin["service"]?.stringValue.map { ($0, plugin["connected"]?.boolValue) }
            })
        #expect(connected.keys.sorted() == ["classifier", "extractor", "readability", "storage-writer", "summarizer"])
        #expect(connected["extractor"] == true)
        #expect(connected["summarizer"] == false)
        let warnings = listing["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains("'odd'") && $0.contains("nobody-provides-this") })
        #expect(!warnings.contains { $0.contains("'default'") }, "the built-ins provide the default pipeline")
    }

    @Test(.timeLimit(.minutes(2)))
    func upSupervisesWorkersRestartsCrashesAndStopsEverything() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let up = try cluster.start(
            Self.docpipe,
            [
                "up", "--bind", cluster.endpoint, "--data", cluster.dataFolder, "--only", "extractor=2,readability",
                "--plugins", TestPaths.repoRoot.appendingPathComponent("plugins").path, "--heartbeat-ms", "300",
                "--stop-grace", "5", "--status-every", "1", "--log-dir",
                cluster.folder.appendingPathComponent("logs").path,
            ], label: "up")
        let client = try cluster.client()
        func workers(_ service: String) throws -> Int {
            try client.status().services.first { $0.name == service }?.workers ?? 0
        }
        try cluster.waitUntil("2 extractors and a readability worker registered", timeout: 30) {
            try workers("extractor") == 2 && workers("readability") == 1
        }
        let started = Self.startedPids(up.log)
        #expect(started.count == 3, "\(up.log)")
        let victim = try #require(started["extractor#1"])

        kill(victim, SIGKILL)
        try cluster.waitUntil("extractor#1 restarted with a new pid", timeout: 20) {
            Self.startedPids(up.log)["extractor#1"].map { $0 != victim } ?? false
        }
        #expect(up.log.contains("extractor#1 exited (signal 9)"))
        // The broker counts the killed worker until its heartbeats are missed (3 × 300 ms); past that,
        // two extractors means the restarted one registered.
        Thread.sleep(forTimeInterval: 1.5)
        try cluster.waitUntil("2 extractors registered again", timeout: 20) { try workers("extractor") == 2 }
        try cluster.waitUntil("a status table", timeout: 10) { up.log.contains("BROKER SEES") }

        let children = Array(Self.startedPids(up.log).values)
        up.signal(SIGTERM)
        #expect(up.waitForExit(timeout: 20), "up did not stop\n\(up.log)")
        #expect(up.process.terminationStatus == 0, "\(up.log)")
        #expect(up.log.contains("all workers stopped"))
        for pid in children { #expect(kill(pid, 0) != 0, "worker pid \(pid) still running") }
    }

    /// `docpipe up | tee log`, then Ctrl-C: tee may die first, and up's next line goes into a closed pipe.
    @Test(.timeLimit(.minutes(2)))
    func upWhoseOutputPipeClosesStillStopsEveryWorker() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let process = Process()
        process.executableURL = Self.docpipe
        process.arguments = [
            "up", "--bind", cluster.endpoint, "--data", cluster.dataFolder, "--only", "extractor=2",
            "--heartbeat-ms", "300", "--stop-grace", "5", "--status-every", "1",
            "--log-dir", cluster.folder.appendingPathComponent("logs").path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        let errors = cluster.folder.appendingPathComponent("up-errors.log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        var pids: [Int32] = []
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            for pid in pids where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        }
        var output = ""
        while Self.startedPids(output).count < 2 {
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            output += String(decoding: chunk, as: UTF8.self)
        }
        pids = Array(Self.startedPids(output).values)
        #expect(pids.count == 2, "\(output)")
        // The reader goes away; up prints a status table every second, into the closed pipe.
        try pipe.fileHandleForReading.close()
        Thread.sleep(forTimeInterval: 2.5)
        #expect(process.isRunning, "up died when its output pipe closed")

        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!process.isRunning, "up did not stop on SIGINT")
        for pid in pids {
            let gone = Date().addingTimeInterval(5)
            while kill(pid, 0) == 0, Date() < gone { Thread.sleep(forTimeInterval: 0.05) }
            #expect(kill(pid, 0) != 0, "worker pid \(pid) was left running")
        }
    }

    @Test func helpShowsExamples() throws {
        for command in ["up", "plugins", "new-plugin", "call"] {
            let help = try runCommand(Self.docpipe, [command, "--help"], timeout: 30)
            #expect(help.status == 0)
            #expect(help.output.contains("EXAMPLES:"), "\(command)")
        }
    }

    /// A help text's prose is wrapped by the parser, never cut by a backslash: `\\` at the end of a line
    /// in a Swift string is a backslash and a line break, where `\` joins the lines (five commands showed
    /// "never \" and a break mid-sentence). Examples may end a line with `\`: that is the shell's.
    @Test func helpProseHasNoStrayBackslashes() throws {
        let overview = try runCommand(Self.docpipe, ["--help"], timeout: 30)
        let commands =
            overview.output.components(separatedBy: "SUBCOMMANDS:").last?
            .split(separator: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) } ?? []
        #expect(commands.count >= 20, "\(overview.output)")
        for command in commands {
            let help = try runCommand(Self.docpipe, [command, "--help"], timeout: 30)
            #expect(help.status == 0, "\(command)")
            let prose = help.output.components(separatedBy: "EXAMPLES:").first ?? ""
            let cut = prose.split(separator: "\n").filter { $0.hasSuffix("\\") }
            #expect(cut.isEmpty, "docpipe \(command) --help: \(cut)")
        }
    }

    /// The latest pid `up` reported for each worker slot ("extractor#1 started (pid 123)").
    static func startedPids(_ log: String) -> [String: Int32] {
        var pids: [String: Int32] = [:]
        for line in log.split(separator: "\n") where line.contains(" started (pid ") {
            let words = line.split(separator: " ")
            guard words.count >= 5, let pid = Int32(words[4].dropLast()) else { continue }
            pids[String(words[1])] = pid
        }
        return pids
    }
}
