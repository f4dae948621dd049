package import Foundation
package import PluginTooling

/// `up.json`: what `docpipe up` runs. Every field is optional; command-line flags win.
///
/// ```json
/// { "workers": { "extractor": 2, "classifier": 1, "summarizer": 1, "storage-writer": 1, "readability": 1 },
///   "broker": "tcp://broker-host:5555", "plugins": "plugins", "heartbeat_ms": 2500, "log_dir": "logs" }
/// ```
/// Without `broker`, `up` runs its own broker (on `bind`, default tcp://127.0.0.1:5555).
package struct UpConfig: Decodable, Equatable {
    package var workers: [String: Int]?
    package var broker: String?
    package var bind: String?
    package var plugins: String?
    package var heartbeatMs: Int?
    package var logDir: String?

    package enum CodingKeys: String, CodingKey {
        case workers, broker, bind, plugins
        case heartbeatMs = "heartbeat_ms"
        case logDir = "log_dir"
    }

    package static func load(_ path: String) throws -> UpConfig {
        do {
            return try JSONDecoder().decode(UpConfig.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as DecodingError {
            throw SupervisorError("\(path) is not a valid up config: \(error)")
        }
    }

    package init(
        workers: [String: Int]? = nil, broker: String? = nil, bind: String? = nil, plugins: String? = nil,
        heartbeatMs: Int? = nil, logDir: String? = nil
    ) {
        self.workers = workers
        self.broker = broker
        self.bind = bind
        self.plugins = plugins
        self.heartbeatMs = heartbeatMs
        self.logDir = logDir
    }
}

/// Which workers to run, how many of each, and how to start them.
package enum UpPlan {
    /// `extractor=4,summarizer=2` (a bare name means 1) → ordered (name, count) pairs.
    package static func parseOnly(_ text: String) throws -> [(name: String, count: Int)] {
        try text.split(separator: ",").map { item in
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, !name.isEmpty else {
                throw SupervisorError("--only: empty worker name in '\(text)'")
            }
            guard parts.count == 2 else { return (name, 1) }
            guard let count = Int(parts[1]), (1...64).contains(count) else {
                throw SupervisorError("--only: '\(parts[1])' for \(name) is not a count from 1 to 64")
            }
            return (name, count)
        }
    }

    /// Without --only or a config: the plugins the pipelines name, each at its manifest's concurrency;
    /// the four built-ins when no plugin is installed.
    package static func defaultWorkers(pipelines: [String: [String]], plugins: [InstalledPlugin])
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
    package static func slots(
        _ wanted: [(name: String, count: Int)], plugins: [InstalledPlugin], workerFlags: [String],
        backoff: SupervisorBackoff, serviceFlags: (_ service: String) throws -> [String] = { _ in [] }
    ) throws -> [SupervisedWorker] {
        var slots: [SupervisedWorker] = []
        for (name, count) in wanted {
            let executable: URL
            let arguments: [String]
            let folder: URL?
            let service: String
            if let plugin = plugins.first(where: { $0.manifest.name == name })
                ?? plugins.first(where: { $0.manifest.service == name })
            {
                (executable, arguments) = try plugin.launchCommand()
                folder = plugin.folder
                service = plugin.manifest.service
            } else if WorkerProcesses.builtIn.contains(name), let url = WorkerExecutables.find(name) {
                (executable, arguments, folder, service) = (url, [], nil, name)
            } else {
                throw SupervisorError(
                    "no plugin named '\(name)': none in the plugins folder (see `docpipe plugins`) "
                        + "and not a built-in worker (\(WorkerProcesses.builtIn.joined(separator: ", ")))")
            }
            let flags = workerFlags + (try serviceFlags(service))
            for instance in 1...count {
                slots.append(
                    SupervisedWorker(
                        name: name, instance: instance, executable: executable,
                        arguments: arguments + flags, workingDirectory: folder,
                        backoff: backoff))
            }
        }
        return slots
    }
}

/// A worker plan or worker program that cannot be used; the CLI prints it as one line and exits non-zero.
package struct SupervisorError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
