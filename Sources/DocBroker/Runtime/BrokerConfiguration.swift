public import BrokerCore
import DocProtocol
public import Foundation

/// Everything a broker needs to start; `BrokerConfigFile` fills it from the data folder.
public struct BrokerConfiguration: Sendable {
    /// The one ROUTER endpoint clients and workers both connect to (the MDP convention is port 5555).
    public var endpoint: String
    public var heartbeat: HeartbeatPolicy
    public var journalPath: String
    public var pipelines: [String: PipelineDefinition]
    /// Messages larger than this are refused by libzmq before they reach the broker's memory.
    public var maxMessageBytes: Int64
    public var version: String

    public static let defaultEndpoint = "tcp://127.0.0.1:5555"
    public static let defaultMaxMessageBytes: Int64 = 64 << 20

    public init(
        endpoint: String = BrokerConfiguration.defaultEndpoint, heartbeat: HeartbeatPolicy = HeartbeatPolicy(),
        journalPath: String, pipelines: [String: PipelineDefinition] = ["default": .standard],
        maxMessageBytes: Int64 = BrokerConfiguration.defaultMaxMessageBytes, version: String = DocpipeVersion.current
    ) {
        self.endpoint = endpoint
        self.heartbeat = heartbeat
        self.journalPath = journalPath
        self.pipelines = pipelines
        self.maxMessageBytes = maxMessageBytes
        self.version = version
    }
}

/// The release this build reports in `docpipe status` and worker registrations.
public enum DocpipeVersion {
    public static let current = "0.1.0"
}

/// The broker's config file (`config.json` in the data folder). Every field is optional.
///
/// ```json
/// { "pipelines": { "default": { "stages": ["extractor", "classifier", "summarizer", "storage-writer"] },
///                  "quick":   { "stages": ["extractor", {"service": "storage-writer", "max_attempts": 5}] } },
///   "heartbeat_ms": 2500, "liveness": 3, "max_message_bytes": 67108864 }
/// ```
/// JSON because it needs no dependency and every language reads it; the default pipeline is
/// always present unless the file redefines it.
public struct BrokerConfigFile: Codable, Sendable, Equatable {
    public var pipelines: [String: PipelineDefinition]?
    public var heartbeatMs: Int64?
    public var liveness: Int?
    public var maxMessageBytes: Int64?

    public init(pipelines: [String: PipelineDefinition]? = nil) { self.pipelines = pipelines }

    enum CodingKeys: String, CodingKey {
        case pipelines, liveness
        case heartbeatMs = "heartbeat_ms"
        case maxMessageBytes = "max_message_bytes"
    }

    /// Reads the file; a missing file is an empty configuration, a broken one an error naming the problem.
    public static func load(path: String) throws -> BrokerConfigFile {
        guard FileManager.default.fileExists(atPath: path) else { return BrokerConfigFile() }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            return try JSONDecoder().decode(BrokerConfigFile.self, from: data)
        } catch {
            throw PipelineConfigError(description: "\(path) is not a valid docpipe config: \(error)")
        }
    }

    /// Applies the file over a base configuration, validating pipelines.
    public func apply(to base: BrokerConfiguration) throws -> BrokerConfiguration {
        var configuration = base
        var pipelines = base.pipelines
        for (name, pipeline) in self.pipelines ?? [:] { pipelines[name] = pipeline }
        try PipelineValidator.validate(pipelines)
        configuration.pipelines = pipelines
        if let heartbeatMs { configuration.heartbeat.intervalMs = heartbeatMs }
        if let liveness { configuration.heartbeat.liveness = liveness }
        if let maxMessageBytes { configuration.maxMessageBytes = maxMessageBytes }
        return configuration
    }
}
