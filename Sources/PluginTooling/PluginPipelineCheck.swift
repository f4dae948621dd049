package import BrokerCore
package import DocBroker
package import Foundation

/// The CLI-side check that every pipeline stage names a service some installed plugin provides.
///
/// A stage for a service nobody provides never fails loudly: its jobs just wait in the queue. So
/// `docpipe plugins` and `docpipe up` say so up front, as warnings (a worker may still come from another
/// machine, or be a plain MDP worker without a manifest).
package enum PluginPipelineCheck {
    /// Pipelines (name → stage services) as the broker would load them from the config file.
    package static func pipelines(configPath: String, journalPath: String) throws -> [String: [String]] {
        let path = configPath
        let base = BrokerConfiguration(journalPath: journalPath)
        let configuration = try BrokerConfigFile.load(path: path).apply(to: base)
        return configuration.pipelines.mapValues { $0.stages.map(\.service) }
    }

    package static func warnings(pipelines: [String: [String]], provided: Set<String>) -> [String] {
        var warnings: [String] = []
        for (name, stages) in pipelines.sorted(by: { $0.key < $1.key }) {
            for stage in stages where !provided.contains(stage) {
                warnings.append(
                    "pipeline '\(name)' has stage '\(stage)', but no installed plugin provides "
                        + "service '\(stage)'; its jobs will wait until a worker for it connects")
            }
        }
        return warnings
    }

    /// The services docpipe's own worker executables serve, known whether or not plugins/ is here.
    package static let builtInServices: Set<String> = ["extractor", "classifier", "summarizer", "storage-writer"]

    /// `docpipe broker`'s check of its config file: each stage naming a service neither built in nor provided
    /// by an installed plugin, as a warning with the line and column of its first mention in the file.
    package static func configWarnings(
        pipelines: [String: [String]], provided: Set<String>, configText: String,
        path: String
    ) -> [String] {
        let known = provided.union(builtInServices)
        var warnings: [String] = []
        for (name, stages) in pipelines.sorted(by: { $0.key < $1.key }) {
            for stage in stages where !known.contains(stage) {
                warnings.append(
                    "\(path)\(position(ofString: stage, in: configText)): pipeline '\(name)' has stage "
                        + "'\(stage)', a service no built-in worker or installed plugin provides; its jobs "
                        + "will wait until a worker for it connects (a typo? a plugin on another machine?)")
            }
        }
        return warnings
    }

    /// `:L:C` of the first `"text"` in `source` (1-based), or nothing when it is not there.
    package static func position(ofString text: String, in source: String) -> String {
        guard let range = source.range(of: "\"\(text)\"") else { return "" }
        let before = source[..<range.lowerBound]
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
        return ":\(line):\(before.distance(from: lineStart, to: before.endIndex) + 1)"
    }
}
