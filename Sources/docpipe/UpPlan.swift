import Foundation

/// `up.json`: what `docpipe up` runs. Every field is optional; command-line flags win.
///
/// ```json
/// { "workers": { "extractor": 2, "classifier": 1, "summarizer": 1, "storage-writer": 1, "readability": 1 },
///   "broker": "tcp://broker-host:5555", "plugins": "plugins", "heartbeat_ms": 2500, "log_dir": "logs" }
/// ```
/// Without `broker`, `up` runs its own broker (on `bind`, default tcp://127.0.0.1:5555).
struct UpConfig: Decodable, Equatable {
    var workers: [String: Int]?
    var broker: String?
    var bind: String?
    var plugins: String?
    var heartbeatMs: Int?
    var logDir: String?

    enum CodingKeys: String, CodingKey {
        case workers, broker, bind, plugins
        case heartbeatMs = "heartbeat_ms"
        case logDir = "log_dir"
    }

    static func load(_ path: String) throws -> UpConfig {
        do {
            return try JSONDecoder().decode(UpConfig.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as DecodingError {
            throw CLIError("\(path) is not a valid up config: \(error)")
        }
    }
}

/// Which workers to run, how many of each, and how to start them.
enum UpPlan {
    /// `extractor=4,summarizer=2` (a bare name means 1) → ordered (name, count) pairs.
    static func parseOnly(_ text: String) throws -> [(name: String, count: Int)] {
        try text.split(separator: ",").map { item in
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, !name.isEmpty else { throw CLIError("--only: empty worker name in '\(text)'") }
            guard parts.count == 2 else { return (name, 1) }
            guard let count = Int(parts[1]), (1...64).contains(count) else {
                throw CLIError("--only: '\(parts[1])' for \(name) is not a count from 1 to 64")
            }
            return (name, count)
        }
    }

    /// Without --only or a config: the plugins the pipelines name, each at its manifest's concurrency;
    /// the four built-ins when no plugin is installed.
    static func defaultWorkers(pipelines: [String: [String]], plugins: [InstalledPlugin])
        -> [(name: String, count: Int)]
    {
        var chosen: [(String, Int)] = []
        var seen = Set<String>()
        for stage in pipelines.sorted(by: { $0.key < $1.key }).flatMap(\.value) where !seen.contains(stage) {
            seen.insert(stage)
            if let plugin = plugins.first(where: { $0.manifest.service == stage }) {
                chosen.append((plugin.manifest.name, plugin.manifest.concurrency))
            }
        }
        return chosen.isEmpty ? WorkerProcesses.builtIn.map { ($0, 1) } : chosen
    }

    /// A slot per instance, each with the program to run and the flags every docpipe worker takes.
    static func slots(
        _ wanted: [(name: String, count: Int)], plugins: [InstalledPlugin], workerFlags: [String],
        backoff: SupervisorBackoff, serviceFlags: (_ service: String) throws -> [String] = { _ in [] }
    ) throws -> [SupervisedWorker] {
        var slots: [SupervisedWorker] = []
        for (name, count) in wanted {
            let executable: URL, arguments: [String], folder: URL?, service: String
            if let plugin = plugins.first(where: { $0.manifest.name == name })
                ?? plugins.first(where: { $0.manifest.service == name })
            {
                (executable, arguments) = try plugin.launchCommand()
                folder = plugin.folder
                service = plugin.manifest.service
            } else if WorkerProcesses.builtIn.contains(name), let url = WorkerProcesses.executable(for: name) {
                (executable, arguments, folder, service) = (url, [], nil, name)
            } else {
                throw CLIError("no plugin named '\(name)': none in the plugins folder (see `docpipe plugins`) "
                               + "and not a built-in worker (\(WorkerProcesses.builtIn.joined(separator: ", ")))")
            }
            let flags = workerFlags + (try serviceFlags(service))
            for instance in 1...count {
                slots.append(SupervisedWorker(name: name, instance: instance, executable: executable,
                                              arguments: arguments + flags, workingDirectory: folder,
                                              backoff: backoff))
            }
        }
        return slots
    }
}
