/// One step of a pipeline: the MDP service that does it, and how hard to try.
public struct StageDefinition: Codable, Sendable, Equatable {
    public var service: String
    /// Attempts before a retryable error fails the job (a worker that dies does not use one up).
    public var maxAttempts: Int
    /// How long a worker may hold the document before the attempt counts as failed (retryable).
    public var timeoutMs: Int

    public static let defaultTimeoutMs = 300_000

    public init(service: String, maxAttempts: Int = 3, timeoutMs: Int = StageDefinition.defaultTimeoutMs) {
        self.service = service
        self.maxAttempts = maxAttempts
        self.timeoutMs = timeoutMs
    }

    enum CodingKeys: String, CodingKey {
        case service
        case maxAttempts = "max_attempts"
        case timeoutMs = "timeout_ms"
    }

    /// A stage is written either as a bare service name or as an object with options.
    public init(from decoder: any Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            self.init(service: name)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            service: try c.decode(String.self, forKey: .service),
            maxAttempts: try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? 3,
            timeoutMs: try c.decodeIfPresent(Int.self, forKey: .timeoutMs) ?? Self.defaultTimeoutMs)
    }
}

/// A named, ordered list of stages a document goes through.
public struct PipelineDefinition: Codable, Sendable, Equatable {
    public var stages: [StageDefinition]

    public init(stages: [StageDefinition]) { self.stages = stages }

    public init(_ services: String...) { self.stages = services.map { StageDefinition(service: $0) } }

    /// extractor → classifier → summarizer → storage-writer.
    public static let standard = PipelineDefinition("extractor", "classifier", "summarizer", "storage-writer")
}

/// Why a pipeline configuration cannot be used.
public struct PipelineConfigError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(description: String) { self.description = description }
}

/// Checks a set of pipelines before the broker trusts it.
public enum PipelineValidator {
    public static func validate(_ pipelines: [String: PipelineDefinition]) throws(PipelineConfigError) {
        guard !pipelines.isEmpty else { throw PipelineConfigError(description: "no pipelines defined") }
        for (name, pipeline) in pipelines.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty else { throw PipelineConfigError(description: "a pipeline has an empty name") }
            guard !pipeline.stages.isEmpty else {
                throw PipelineConfigError(description: "pipeline '\(name)' has no stages")
            }
            for stage in pipeline.stages {
                if stage.service.isEmpty || stage.service.hasPrefix("mmi.") || stage.service.hasPrefix("docpipe.") {
                    throw PipelineConfigError(
                        description: "pipeline '\(name)': '\(stage.service)' is not a usable service name")
                }
                if stage.timeoutMs < 1 {
                    throw PipelineConfigError(
                        description: "pipeline '\(name)', stage '\(stage.service)': timeout_ms must be positive")
                }
                if stage.maxAttempts < 1 {
                    throw PipelineConfigError(
                        description: "pipeline '\(name)', stage '\(stage.service)': max_attempts must be at least 1")
                }
            }
        }
    }
}
