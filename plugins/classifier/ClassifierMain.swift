import Foundation
import WorkerKit

/// The classifier's entry point: WorkerKit's runner, plus the `--model` flag only this worker has
/// (taken out of the command line before WorkerKit parses the shared worker flags strictly).
enum ClassifierMain {
    static let summary = "docpipe classifier: assigns a topic (politics, world, business, technology, science, "
        + "health, sports, entertainment), or the labels of a model trained with `docpipe train`."

    static let modelHelp = """
          --model <file>          A model file written by `docpipe train` (or $DOCPIPE_CLASSIFIER_MODEL).
                                  Default: Naive Bayes trained at start-up on the shipped training/topics.jsonl.
        """

    static func run(modelPath: String?, arguments: [String]) async {
        let name = URL(fileURLWithPath: CommandLine.arguments.first ?? "docpipe-classifier").lastPathComponent
        await WorkerRunner.main(
            summary: summary, examples: [name, "\(name) --model r8.model.json --broker tcp://broker-host:5555"],
            arguments: arguments, extraHelp: modelHelp
        ) { _ in
            try modelPath.map(Classifier.trained(at:)) ?? Classifier.builtIn()
        }
    }
}
