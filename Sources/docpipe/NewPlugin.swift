import ArgumentParser
import Foundation
import PluginTooling

extension Docpipe {
    /// `docpipe new-plugin NAME`: scaffold a working plugin folder.
    struct NewPlugin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new-plugin",
            abstract: "Scaffold a plugin: manifest, worker code, a test and a README, ready to run.",
            discussion: """
                Writes DIR/NAME/ (DIR defaults to ./plugins). A Swift plugin is its own SwiftPM package that \
                depends on this docpipe checkout by path (`swift build && swift test` in the folder); a Python \
                plugin imports the docpipe-mdp package, installed once with `pip install CHECKOUT/protocol/python` \
                (then `python3 -m pytest -q` in the folder). Both count words \
                as a starting point, and `docpipe up --only NAME` runs them once a pipeline names them.

                EXAMPLES:
                  docpipe new-plugin word-count
                  docpipe new-plugin sentiment --language python
                  docpipe new-plugin tagger --dir ~/my-plugins --sdk ~/src/docpipe
                """)

        @Argument(help: "Plugin and service name: lower-case letters, digits and '-'.") var name: String
        @Option(name: .long, help: "swift or python.") var language: String = "swift"
        @Option(name: .long, help: "Folder to create the plugin in.") var dir = "plugins"
        @Option(name: .long, help: "The docpipe checkout to build against. Default: found above DIR.") var sdk: String?

        func validate() throws {
            try PluginScaffold.validate(name: name)
            guard PluginScaffold.Language(rawValue: language) != nil else {
                throw ValidationError("--language must be swift or python, not '\(language)'")
            }
        }

        func run() throws {
            let parent = URL(fileURLWithPath: dir).standardizedFileURL
            let scaffold = PluginScaffold(
                name: name, language: PluginScaffold.Language(rawValue: language) ?? .swift,
                folder: parent.appendingPathComponent(name),
                sdkRoot: try PluginScaffold.findSDKRoot(given: sdk, near: parent))
            let written = try scaffold.write()
            print("created \(scaffold.folder.path)/")
            for path in written { print("  \(path)") }
            print("")
            switch scaffold.language {
            case .swift:
                print("next:  cd \(scaffold.folder.path) && swift build && swift test")
            case .python:
                print("first: pip install \(scaffold.pythonPackagePath)    # the SDK, once (in a venv, or --user)")
                print("next:  cd \(scaffold.folder.path) && python3 -m pytest -q")
            }
            print("then:  add \"\(name)\" to a pipeline in config.json and run `docpipe up` (see its README.md)")
        }
    }
}
