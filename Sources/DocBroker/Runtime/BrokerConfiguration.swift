public import BrokerCore
public import DocProtocol
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
    public var engineLimits: EngineLimits
    /// The most bytes of unfinished documents one client may have submitted (default: half `max_job_bytes`).
    public var maxJobBytesPerClientSetting: Int?
    public var maxJobBytesPerClient: Int { maxJobBytesPerClientSetting ?? engineLimits.maxJobBytes / 2 }
    public var routerLimits: RouterLimits
    public var retryPolicy: RetryPolicy
    /// Finished jobs stay in the journal this long (for `docpipe job`), then are compacted away.
    public var retentionSeconds: Double
    /// The journal file is compacted once it grows past this (and has doubled since the last compaction).
    public var journalCompactAfterBytes: Int = 64 << 20
    /// On SIGTERM, how long to let workers finish the documents they hold before exiting anyway.
    public var shutdownGraceMs: Int
    /// The config file pipelines came from; `docpipe reload` and SIGHUP read it again.
    public var configPath: String?
    /// CURVE keys and the authorized-keys folder; nil = plaintext (loopback or `--insecure` only).
    public var security: BrokerSecurity? = nil
    /// Per-peer submit rate and garbage tolerance (Security/PeerGuard).
    public var peerLimits = PeerLimits()
    /// A journal shared with other brokers (PostgreSQL), of which the lease holder is active; nil uses the
    /// embedded journal at `journalPath` (one broker).
    public var journalLease: (any JournalLease)? = nil
    /// The config file's `journal` entry, for the command line to act on (it knows the PostgreSQL journal).
    public var journalSetting: String? = nil

    public static let defaultEndpoint = "tcp://127.0.0.1:5555"
    public static let defaultMaxMessageBytes: Int64 = 64 << 20

    public init(
        endpoint: String = BrokerConfiguration.defaultEndpoint, heartbeat: HeartbeatPolicy = HeartbeatPolicy(),
        journalPath: String, pipelines: [String: PipelineDefinition] = ["default": .standard],
        maxMessageBytes: Int64 = BrokerConfiguration.defaultMaxMessageBytes, version: String = DocpipeVersion.current,
        engineLimits: EngineLimits = EngineLimits(), routerLimits: RouterLimits = RouterLimits(),
        retryPolicy: RetryPolicy = RetryPolicy(), retentionSeconds: Double = 86_400, shutdownGraceMs: Int = 10_000
    ) {
        self.endpoint = endpoint
        self.heartbeat = heartbeat
        self.journalPath = journalPath
        self.pipelines = pipelines
        self.maxMessageBytes = maxMessageBytes
        self.version = version
        self.engineLimits = engineLimits
        self.engineLimits.maxDocumentBytes = Int(maxMessageBytes)
        self.routerLimits = routerLimits
        self.retryPolicy = retryPolicy
        self.retentionSeconds = retentionSeconds
        self.shutdownGraceMs = shutdownGraceMs
    }
}

/// The release this build reports in `docpipe status` and worker registrations.
public enum DocpipeVersion {
    public static let current = ProtocolVersion.release
}

/// The broker's config file (`config.json` in the data folder). Every field is optional.
///
/// ```json
/// { "pipelines": { "default": { "stages": ["extractor", "classifier", "summarizer", "storage-writer"] },
///                  "quick":   { "stages": ["extractor", {"service": "storage-writer", "max_attempts": 5}] } },
///   "heartbeat_ms": 2500, "liveness": 3, "max_message_bytes": 67108864,
///   "max_jobs": 10000, "max_job_bytes": 536870912, "max_job_bytes_per_client": 268435456, "max_queue": 10000,
///   "client_request_ttl_ms": 60000,
///   "retry_base_ms": 500, "retry_max_ms": 30000, "retention_s": 86400, "shutdown_grace_ms": 10000,
///   "submit_rate": 500, "submit_burst": 1000, "garbage_limit": 32,
///   "journal": "postgres://docpipe@db.internal/docpipe" }
/// ```
/// JSON because it needs no dependency and every language reads it; the default pipeline is
/// always present unless the file redefines it.
public struct BrokerConfigFile: Codable, Sendable, Equatable {
    public var pipelines: [String: PipelineDefinition]?
    public var heartbeatMs: Int64?
    public var liveness: Int?
    public var maxMessageBytes: Int64?
    public var maxJobs: Int?
    public var maxJobBytes: Int?
    public var maxJobBytesPerClient: Int?
    public var maxQueue: Int?
    public var clientRequestTTLms: Int64?
    public var retryBaseMs: Double?
    public var retryMaxMs: Double?
    public var retentionSeconds: Double?
    public var shutdownGraceMs: Int?
    /// Per-peer limits (`PeerLimits`): submits/s, burst, malformed messages before a disconnect.
    public var submitRate: Double?
    public var submitBurst: Double?
    public var garbageLimit: Int?
    /// Where the journal lives: `postgres://…` (shared by several brokers, one active) or a file path.
    public var journal: String?
    /// The document store the CLI and the storage writers use (`DocStore.StoreLocation` reads it; the broker
    /// only accepts it as a known key).
    public var store: String?

    public init(pipelines: [String: PipelineDefinition]? = nil) { self.pipelines = pipelines }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case pipelines, liveness, journal, store
        case heartbeatMs = "heartbeat_ms"
        case maxMessageBytes = "max_message_bytes"
        case maxJobs = "max_jobs"
        case maxJobBytes = "max_job_bytes"
        case maxJobBytesPerClient = "max_job_bytes_per_client"
        case maxQueue = "max_queue"
        case clientRequestTTLms = "client_request_ttl_ms"
        case retryBaseMs = "retry_base_ms"
        case retryMaxMs = "retry_max_ms"
        case retentionSeconds = "retention_s"
        case shutdownGraceMs = "shutdown_grace_ms"
        case submitRate = "submit_rate"
        case submitBurst = "submit_burst"
        case garbageLimit = "garbage_limit"
    }

    /// Reads the file; a missing file is an empty configuration, a broken one an error naming the problem.
    public static func load(path: String) throws -> BrokerConfigFile {
        guard FileManager.default.fileExists(atPath: path) else { return BrokerConfigFile() }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        // Unknown keys first: a misspelt key explains a missing one better than "no value for key".
        try ConfigFileCheck.unknownKeys(in: data, path: path, topLevel: CodingKeys.allCases.map(\.stringValue))
        do {
            return try JSONDecoder().decode(BrokerConfigFile.self, from: data)
        } catch {
            throw PipelineConfigError(
                description: "not a valid docpipe config: "
                    + ConfigFileCheck.describe(error, in: data, path: path))
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
        if let maxMessageBytes {
            configuration.maxMessageBytes = maxMessageBytes
            configuration.engineLimits.maxDocumentBytes = Int(maxMessageBytes)
        }
        if let maxJobs { configuration.engineLimits.maxJobs = maxJobs }
        if let maxJobBytes { configuration.engineLimits.maxJobBytes = maxJobBytes }
        if let maxJobBytesPerClient { configuration.maxJobBytesPerClientSetting = maxJobBytesPerClient }
        if let maxQueue { configuration.routerLimits.maxQueuePerService = maxQueue }
        if let clientRequestTTLms { configuration.routerLimits.clientRequestTTLms = clientRequestTTLms }
        if let retryBaseMs { configuration.retryPolicy.baseMs = retryBaseMs }
        if let retryMaxMs { configuration.retryPolicy.maxMs = retryMaxMs }
        if let retentionSeconds { configuration.retentionSeconds = retentionSeconds }
        if let shutdownGraceMs { configuration.shutdownGraceMs = shutdownGraceMs }
        if let submitRate { configuration.peerLimits.submitsPerSecond = submitRate }
        if let submitBurst { configuration.peerLimits.submitBurst = submitBurst }
        if let garbageLimit { configuration.peerLimits.garbageLimit = garbageLimit }
        if let journal { configuration.journalSetting = journal }
        return configuration
    }
}
