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
    }

    func process(_ request: StageRequest) async throws -> JSONValue {
        let text = request.text
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StageFailure(.unprocessable, reason: "no_text", message: "no text to classify (did the extractor run?)")
        }
        let prediction = model.classify(text)
        return try StageOutput.encode(Output(topic: prediction.topic, confidence: prediction.confidence,
                                             labels: Array(prediction.labels.prefix(3)), model: modelName))
    }
}

let (modelPath, workerArguments) = ModelArgument.split(Array(CommandLine.arguments.dropFirst()))
await ClassifierMain.run(modelPath: modelPath, arguments: workerArguments)
