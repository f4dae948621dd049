package import Foundation

/// A plugin found on disk: its manifest and the folder it lives in (the working directory of its workers).
package struct InstalledPlugin {
    package var manifest: PluginManifest
    package var folder: URL

    /// The program and arguments that start one worker of this plugin.
    package func launchCommand() throws -> (executable: URL, arguments: [String]) {
        let first = manifest.command[0]
        let rest = Array(manifest.command.dropFirst())
        if first.contains("/") {
            let url = first.hasPrefix("/") ? URL(fileURLWithPath: first) : folder.appendingPathComponent(first)
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                let hint = manifest.language == "swift" ? " (run `swift build` in \(folder.path) first)" : ""
                throw PluginToolingError("plugin '\(manifest.name)': \(url.path) is not an executable file\(hint)")
            }
            return (url, rest)
        }
        if first.hasPrefix("docpipe-"), let url = WorkerExecutables.find(String(first.dropFirst(8))) {
            return (url, rest)
        }
        guard let url = Self.onPath(first) else {
            throw PluginToolingError("plugin '\(manifest.name)': cannot find '\(first)' on PATH")
        }
        return (url, rest)
    }

    package static func onPath(_ program: String) -> URL? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(program) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// Finds installed plugins: every `plugin.json` one or two folders below the plugins folder
/// (`plugins/<name>/plugin.json`, `plugins/examples/<name>/plugin.json`).
package enum PluginCatalog {
    package struct Scan {
        package var plugins: [InstalledPlugin] = []
        /// Manifests that could not be used, each with its path and why; listed, never fatal to the rest.
        package var problems: [String] = []
    }

    /// The plugins folder: the one given, else `./plugins`.
    package static func folder(_ given: String?) -> URL { URL(fileURLWithPath: given ?? "plugins") }

    package static func scan(_ root: URL) -> Scan {
        var scan = Scan()
        for manifestURL in manifestFiles(under: root, depth: 2) {
            do {
                let manifest = try PluginManifest.load(manifestURL)
                scan.plugins.append(
                    InstalledPlugin(manifest: manifest, folder: manifestURL.deletingLastPathComponent()))
            } catch {
                scan.problems.append("\(error)")
            }
        }
        var seen: [String: String] = [:]
        for plugin in scan.plugins {
            if let other = seen[plugin.manifest.name] {
                scan.problems.append(
                    "two plugins are named '\(plugin.manifest.name)': \(other) and \(plugin.folder.path)")
            }
            seen[plugin.manifest.name] = plugin.folder.path
        }
        scan.plugins.sort { ($0.manifest.name, $0.folder.path) < ($1.manifest.name, $1.folder.path) }
        return scan
    }

    private static func manifestFiles(under folder: URL, depth: Int) -> [URL] {
        guard depth > 0, let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            return []
        }
        var found: [URL] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let child = folder.appendingPathComponent(entry)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: child.path, isDirectory: &isFolder), isFolder.boolValue
            else { continue }
            let manifest = child.appendingPathComponent("plugin.json")
            if FileManager.default.fileExists(atPath: manifest.path) {
                found.append(manifest)
            } else {
                found += manifestFiles(under: child, depth: depth - 1)
            }
        }
        return found
    }
}
