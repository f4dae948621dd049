import BrokerCore
import DocBroker
import Foundation

/// The CLI-side check that every pipeline stage names a service some installed plugin provides.
///
/// A stage for a service nobody provides never fails loudly: its jobs just wait in the queue. So
/// `docpipe plugins` and `docpipe up` say so up front, as warnings (a worker may still come from another
/// machine, or be a plain MDP worker without a manifest).
enum PluginPipelineCheck {
    /// Pipelines (name → stage services) as the broker would load them from the config file.
    static func pipelines(data: DataOptions, configFile: String?) throws -> [String: [String]] {
        let path = configFile ?? data.configPath
        let base = BrokerConfiguration(journalPath: data.journalPath)
        let configuration = try BrokerConfigFile.load(path: path).apply(to: base)
        return configuration.pipelines.mapValues { $0.stages.map(\.service) }
    }

    static func warnings(pipelines: [String: [String]], provided: Set<String>) -> [String] {
        var warnings: [String] = []
        for (name, stages) in pipelines.sorted(by: { $0.key < $1.key }) {
            for stage in stages where !provided.contains(stage) {
                warnings.append("pipeline '\(name)' has stage '\(stage)', but no installed plugin provides "
                                + "service '\(stage)'; its jobs will wait until a worker for it connects")
            }
        }
        return warnings
    }
}
