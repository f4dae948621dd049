public import Foundation

/// The training algorithms `ClassifierTraining` can choose between.
public enum ClassifierAlgorithm: String, Codable, Sendable, CaseIterable {
    /// Multinomial Naive Bayes over TF-IDF features.
    case naiveBayes = "naive-bayes"
    /// Softmax (multinomial logistic) regression over TF-IDF features.
    case linear
    /// A weighted log-linear blend of the two, itself one linear scorer.
    case ensemble
}

/// Where a model came from, kept in the model file so a prediction can be traced to its data.
public struct ModelProvenance: Codable, Sendable, Equatable {
    /// What the model was trained on (a file name, corpus name, or URL), as given by the trainer.
    public var source: String
    /// The licence of the training data, when known.
    public var licence: String?
    public var examples: Int
    /// The algorithm's settings in words ("smoothing 0.03", "L2 1e-05, 12 epochs").
    public var settings: String
    /// Held-out accuracy of every candidate tried, by "algorithm settings".
    public var heldOutAccuracy: [String: Double]
    /// Held-out log-loss of every candidate tried, by "algorithm settings"; the lowest was chosen.
    /// Absent from model files written before selection went by log-loss.
    public var heldOutLogLoss: [String: Double]?
    public var trainedAt: String

    public init(
        source: String, licence: String? = nil, examples: Int, settings: String,
        heldOutAccuracy: [String: Double], heldOutLogLoss: [String: Double]? = nil, trainedAt: String
    ) {
        self.source = source
        self.licence = licence
        self.examples = examples
        self.settings = settings
        self.heldOutAccuracy = heldOutAccuracy
        self.heldOutLogLoss = heldOutLogLoss
        self.trainedAt = trainedAt
    }
}

/// A trained topic classifier as saved by `docpipe train`: features, weights, labels and provenance.
public struct TrainedClassifier: Codable, Sendable {
    /// The model file format; bumped when the layout changes incompatibly.
    public static let format = "docpipe-classifier/1"

    public var format: String
    public var algorithm: ClassifierAlgorithm
    public var labels: [String]
    public var provenance: ModelProvenance
    public var features: FeatureSpace
    public var scorer: LinearScorer
    /// Fitted on the held-out split by `docpipe train`; absent from model files written before calibration,
    /// which then report the raw softmax and never abstain for low confidence.
    public var calibration: TopicCalibration?

    init(
        algorithm: ClassifierAlgorithm, labels: [String], provenance: ModelProvenance,
        features: FeatureSpace, scorer: LinearScorer, calibration: TopicCalibration? = nil
    ) {
        format = Self.format
        self.algorithm = algorithm
        self.labels = labels
        self.provenance = provenance
        self.features = features
        self.scorer = scorer
        self.calibration = calibration
    }

    /// A short name for logs and stage results: "linear/reuters-r8-train.tab/5485".
    public var name: String { "\(algorithm.rawValue)/\(provenance.source)/\(provenance.examples)" }

    /// The most probable label with every label's probability (calibrated when the model has a
    /// calibration), most probable first.
    public func classify(_ text: String) -> TopicPrediction {
        guard !labels.isEmpty else { return TopicPrediction(topic: "unknown", confidence: 0, labels: []) }
        let scores = scorer.scores(features.vector(text))
        let probabilities = calibration?.probabilities(scores) ?? LinearScorer.probabilities(scores)
        let ranked = zip(labels, probabilities).map { LabelScore(label: $0, score: $1) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.label < $1.label }
        return TopicPrediction(topic: ranked[0].label, confidence: ranked[0].score, labels: ranked)
    }

    /// Decodes a model file's bytes, checking the format and that the parts fit together.
    public static func load(_ data: Data) throws -> TrainedClassifier {
        let model: TrainedClassifier
        do {
            model = try JSONDecoder().decode(TrainedClassifier.self, from: data)
        } catch {
            throw ModelFileError("not a docpipe classifier model (\(error))")
        }
        guard model.format == format else {
            throw ModelFileError("model format \(model.format) is not \(format); retrain it with `docpipe train`")
        }
        guard model.scorer.isConsistent(featureCount: model.features.count, labels: model.labels.count) else {
            throw ModelFileError(
                "model file is damaged: weights do not match its \(model.labels.count) labels "
                    + "and \(model.features.count) features")
        }
        return model
    }

    /// The model as compact JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

/// A model file that cannot be used, with a message saying why.
public struct ModelFileError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}
