import DocProtocol
import Foundation
import TextAnalysis
import WorkerKit

/// Assigns a topic. `--model FILE` (or $DOCPIPE_CLASSIFIER_MODEL) loads a model written by `docpipe
/// train`; by default the news-topic model that `make build` trains and installs next to the executable
/// (topics-model.json) is used, and without it Naive Bayes trained at start-up on `training/topics.jsonl`.
struct Classifier: DocpipeWorker {
    let service = "classifier"
    let model: TopicModel
    let modelName: String

    init(model: TopicModel, name: String) {
        self.model = model
        modelName = name
    }

    struct Output: Encodable {
        var topic: String
        var confidence: Double
        var labels: [LabelScore]
        var model: String
        /// Why `topic` is "unknown": "low_confidence" or "not_prose"; absent when there is a topic.
        var topicAbstained: String?
        /// With "not_prose": what the text is instead (table, code, filler, numbers).
        var notProse: String?
        /// With "low_confidence": the label the model would have answered, with `confidence` its probability.
        var bestGuess: String?

        enum CodingKeys: String, CodingKey {
            case topic, confidence, labels, model
            case topicAbstained = "topic_abstained"
            case notProse = "not_prose"
            case bestGuess = "best_guess"
        }
    }

    func process(_ request: StageRequest) async throws -> JSONValue {
        let text = request.text
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StageFailure(.unprocessable, reason: "no_text", message: "no text to classify (did the extractor run?)")
        }
        let verdict = TopicVerdict.decide(text, abstainBelow: model.abstainBelow, classify: model.classify)
        var notProse: String?
        if case .notProse(let kind) = verdict.abstention { notProse = kind.rawValue }
        return try StageOutput.encode(Output(topic: verdict.topic, confidence: verdict.confidence,
                                             labels: Array(verdict.labels.prefix(3)), model: modelName,
                                             topicAbstained: verdict.abstention?.reason, notProse: notProse,
                                             bestGuess: verdict.bestGuess))
    }
}

let (modelPath, workerArguments) = ModelArgument.split(Array(CommandLine.arguments.dropFirst()))
await ClassifierMain.run(modelPath: modelPath, arguments: workerArguments)
