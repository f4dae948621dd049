import Foundation
import Logging
import WorkerKit

/// The classifier's entry point: WorkerKit's runner, plus the `--model` flag only this worker has
/// (declared to WorkerKit, which takes it out of the command line and lists it under --help).
enum ClassifierMain {
    static let summary =
        "docpipe classifier: assigns a topic (politics, world, business, technology, science, "
        + "health, sports, entertainment), or the labels of a model trained with `docpipe train`."

    static let model = PluginFlag(
        "model", valueName: "file",
        help: "A model file written by `docpipe train`. Default: topics-model.json next to this executable "
            + "(the news-topic model `make build` trains on publisher-labelled news articles), else Naive Bayes "
            + "trained at start-up on the shipped training/topics.jsonl.",
        environment: "DOCPIPE_CLASSIFIER_MODEL")

    static func run() async {
        let name = URL(fileURLWithPath: CommandLine.arguments.first ?? "docpipe-classifier").lastPathComponent
        await WorkerRunner.main(
            summary: summary, examples: [name, "\(name) --model r8.model.json --broker tcp://broker-host:5555"],
            flags: [model]
        ) { options in
            let modelPath = options.value(of: model)
            let logger = Logger(label: "docpipe.classifier")
            if let modelPath { return try Classifier.trained(at: modelPath) }
            if let installed = Classifier.installedModelPath() {
                logger.info("model: \(installed) (the default news-topic model)")
                return try Classifier.trained(at: installed)
            }
            let builtIn = try Classifier.builtIn()
            logger.warning("no topics-model.json next to the executable (run `make build`); using \(builtIn.modelName)")
            return builtIn
        }
    }
}
