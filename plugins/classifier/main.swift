import DocProtocol
import Foundation
import TextAnalysis
import WorkerKit

/// Assigns a topic with a multinomial Naive Bayes model over TF-IDF features, trained at start-up
/// on the labelled corpus in `training/topics.jsonl` (see training/README.md).
struct Classifier: DocpipeWorker {
    let service = "classifier"
    let model: TopicClassifier
    let modelName: String

    init(trainingFile: URL) throws {
        let lines = try String(contentsOf: trainingFile, encoding: .utf8).split(separator: "\n")
        let examples = try lines.map { try JSONDecoder().decode(LabeledText.self, from: Data($0.utf8)) }
        model = TopicClassifier(training: examples)
        modelName = "naive-bayes-tfidf/\(trainingFile.lastPathComponent)/\(examples.count)"
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

await WorkerRunner.main(summary: "docpipe classifier: assigns a topic (politics, world, business, technology, science, health, sports, entertainment).") {
    _ in
    guard let url = Bundle.module.url(forResource: "topics", withExtension: "jsonl", subdirectory: "training") else {
        throw StageFailure(.internalError, reason: "no_model", message: "training/topics.jsonl is missing from the build")
    }
    return try Classifier(trainingFile: url)
}
