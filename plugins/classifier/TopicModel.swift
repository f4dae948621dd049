import Foundation
import TextAnalysis
import WorkerKit

/// The two kinds of model the classifier worker can serve.
enum TopicModel: Sendable {
    /// Trained at start-up from the shipped corpus.
    case builtIn(TopicClassifier)
    /// Loaded from a `docpipe train` model file.
    case trained(TrainedClassifier)

    func classify(_ text: String) -> TopicPrediction {
        switch self {
        case .builtIn(let model): model.classify(text)
        case .trained(let model): model.classify(text)
        }
    }

    /// Calibrated confidences below this are answered with `unknown`; 0 (never) for a model without a
    /// calibration: the built-in Naive Bayes, or a model file from before `docpipe train` fitted one.
    var abstainBelow: Double {
        switch self {
        case .builtIn: 0
        case .trained(let model): model.calibration?.abstainBelow ?? 0
        }
    }
}

extension Classifier {
    /// The default: Naive Bayes trained on `training/topics.jsonl`, which is small enough to train in
    /// well under a second, so no model file has to be built or shipped.
    static func builtIn() throws -> Classifier {
        guard let url = Bundle.module.url(forResource: "topics", withExtension: "jsonl", subdirectory: "training")
        else {
            throw StageFailure(
                .internalError, reason: "no_model", message: "training/topics.jsonl is missing from the build")
        }
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let examples = try lines.map { try JSONDecoder().decode(LabeledText.self, from: Data($0.utf8)) }
        return Classifier(
            model: .builtIn(TopicClassifier(training: examples)),
            name: "naive-bayes-tfidf/\(url.lastPathComponent)/\(examples.count)")
    }

    /// The default news-topic model that `make build` installs next to the executables, if present.
    static func installedModelPath() -> String? {
        guard let path = InstalledModelFile.besideExecutable("topics-model.json")?.path else { return nil }
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// A model file from `docpipe train`; a missing or damaged file stops the worker with a clear message.
    static func trained(at path: String) throws -> Classifier {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StageFailure(.internalError, reason: "no_model", message: "cannot read model file \(path)")
        }
        let model = try TrainedClassifier.load(data)
        return Classifier(model: .trained(model), name: model.name)
    }
}
