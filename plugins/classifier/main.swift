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

    func process(_ request: StageRequest) async throws -> JSONValue {
        let text = try request.extractedText()
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StageFailure(
                .unprocessable, reason: "no_text", message: "no text to classify (did the extractor run?)")
        }
        let verdict = TopicVerdict.decide(text, abstainBelow: model.abstainBelow, classify: model.classify)
        var notProse: String?
        if case .notProse(let kind) = verdict.abstention { notProse = kind.rawValue }
        let abstained: ClassifierOutput.Abstention? =
            switch verdict.abstention {
            case nil: nil
            case .lowConfidence: .lowConfidence
            case .notProse: .notProse
            }
        let labels = verdict.labels.prefix(3).map { ClassifierOutput.LabelScore(label: $0.label, score: $0.score) }
        return try JSONValue(
            encoding: ClassifierOutput(
                topic: verdict.topic, confidence: verdict.confidence, labels: labels, model: modelName,
                topicAbstained: abstained, notProse: notProse, bestGuess: verdict.bestGuess))
    }
}

await ClassifierMain.run()
