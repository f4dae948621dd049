package import Foundation

/// What `docpipe new-plugin` writes: a complete plugin folder (manifest, code, a test, a README) that
/// builds, passes its test and runs as a worker without edits. Templates live in the language files.
package struct PluginScaffold {
    package enum Language: String, CaseIterable { case swift, python }

    package let name: String
    package let language: Language
    /// The new plugin's folder.
    package let folder: URL
    /// The docpipe checkout the plugin builds against (Swift: package path; Python: protocol/python).
    package let sdkRoot: URL

    package init(name: String, language: Language, folder: URL, sdkRoot: URL) {
        (self.name, self.language, self.folder, self.sdkRoot) = (name, language, folder, sdkRoot)
    }

    /// `word-count` → `WordCount`: the Swift type and module names.
    package var typeName: String {
        name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    /// `word-count` → `word_count`: the Python module name.
    package var moduleName: String { name.replacingOccurrences(of: "-", with: "_") }

    /// The SDK root as seen from the plugin folder, so the plugin keeps working if the checkout moves whole.
    package var sdkPathFromPlugin: String { Self.relativePath(from: folder, to: sdkRoot) }

    /// Names that work as an MDP service, a folder, a SwiftPM product and a Python module at once.
    package static func validate(name: String) throws {
        let allowed = name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        guard let first = name.first, first.isLetter, allowed, !name.hasSuffix("-"), name.count <= 40 else {
            throw PluginToolingError(
                "'\(name)' is not a plugin name: use lower-case letters, digits and '-', starting with "
                    + "a letter (e.g. word-count)")
        }
        if name.hasPrefix("docpipe") || name.hasPrefix("mmi") {
            throw PluginToolingError("'\(name)': names starting with docpipe or mmi are reserved")
        }
    }

    /// The docpipe checkout: the one given, else the first folder above `start` (or the working directory,
    /// or this executable) that holds docpipe's Package.swift.
    package static func findSDKRoot(given: String?, near start: URL) throws -> URL {
        if let given {
            let url = URL(fileURLWithPath: given).standardizedFileURL
            guard isDocpipeCheckout(url) else {
                throw PluginToolingError("\(given) is not a docpipe checkout (no Sources/WorkerKit)")
            }
            return url
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        for origin in [start, URL(fileURLWithPath: FileManager.default.currentDirectoryPath), executable] {
            var url = origin.standardizedFileURL
            while url.path != "/" {
                if isDocpipeCheckout(url) { return url }
                url.deleteLastPathComponent()
            }
        }
        throw PluginToolingError("cannot find the docpipe checkout above \(start.path); pass --sdk PATH")
    }

    package static func isDocpipeCheckout(_ url: URL) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: url.appendingPathComponent("Sources/WorkerKit").path)
            && manager.fileExists(atPath: url.appendingPathComponent("protocol/python/docpipe_mdp").path)
    }

    package static func relativePath(from folder: URL, to target: URL) -> String {
        let from = folder.standardizedFileURL.pathComponents
        let to = target.standardizedFileURL.pathComponents
        var common = 0
        while common < min(from.count, to.count), from[common] == to[common] { common += 1 }
        let path = Array(repeating: "..", count: from.count - common) + to[common...]
        return path.isEmpty ? "." : path.joined(separator: "/")
    }

    /// Relative path → contents of every file of the plugin.
    package func files() -> [String: String] {
        switch language {
        case .swift: swiftFiles()
        case .python: pythonFiles()
        }
    }

    /// Writes the files; refuses to touch an existing folder.
    package func write() throws -> [String] {
        if FileManager.default.fileExists(atPath: folder.path) {
            throw PluginToolingError("\(folder.path) already exists; pick another name or --dir")
        }
        var written: [String] = []
        for (path, contents) in files().sorted(by: { $0.key < $1.key }) {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
            if path.hasSuffix(".py"), !path.hasPrefix("test_") {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            }
            written.append(path)
        }
        return written
    }

    package func manifest(command: [String]) -> PluginManifest {
        PluginManifest(
            name: name, service: name, description: "Counts words and characters (scaffolded; make it yours).",
            language: language.rawValue, command: command, needs: ["extractor.text"],
            output: [
                "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                "required": ["words", "characters"],
                "properties": [
                    "words": ["type": "integer", "minimum": 0], "characters": ["type": "integer", "minimum": 0],
                ],
            ])
    }

    /// How to build, test, run and put the plugin in a pipeline; the language files add their build steps.
    package func readme(build: String, test: String, run: String) -> String {
        """
        # \(name)

        A docpipe plugin (\(language.rawValue)), scaffolded by `docpipe new-plugin`. Its service is `\(name)`: it
        reads the extractor's text and adds `{"words": …, "characters": …}` under `results["\(name)"]`.
        Replace that with your stage's work; see docs/WRITING_A_PLUGIN.md in the docpipe checkout.

        ```sh
        \(build)\(test)
        \(run)
        ```

        Put it in a pipeline: add it to `config.json` in the data folder (or the broker's `--config`),

        ```json
        { "pipelines": { "\(name)": { "stages": ["extractor", "\(name)", "storage-writer"] } } }
        ```

        then, from the folder that holds `plugins/`:

        ```sh
        docpipe up --only extractor,\(name),storage-writer     # broker + workers, restarted if they crash
        docpipe submit notes.md --pipeline \(name) --wait
        docpipe plugins                                        # is it connected?
        ```

        `plugin.json` tells `docpipe up` how to start it (`command`, run in this folder, plus `--broker`,
        `--data`, `--log-level`), what it needs (`needs`) and what it adds (`output`, a JSON Schema).
        """
    }
}
