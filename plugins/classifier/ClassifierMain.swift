import Foundation
import Logging
import WorkerKit

/// The classifier's entry point. It does what `WorkerRunner.main` does, plus `--model`, because the
/// shared worker flags are parsed strictly and would reject an option only this worker has.
enum ClassifierMain {
    static let summary = "docpipe classifier: assigns a topic (politics, world, business, technology, science, "
        + "health, sports, entertainment), or the labels of a model trained with `docpipe train`."

    static func run(modelPath: String?, arguments: [String]) async {
        let name = URL(fileURLWithPath: CommandLine.arguments.first ?? "docpipe-classifier").lastPathComponent
        if arguments.contains("--help") || arguments.contains("-h") {
            print(helpText(name: name))
            return
        }
        let options: WorkerOptions
        do {
            options = try WorkerOptions.parse(arguments)
        } catch {
            WorkerOptions.exit(withError: error)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: options.logLevel) ?? .info
            return handler
        }
        do {
            let worker = try modelPath.map(Classifier.trained(at:)) ?? Classifier.builtIn()
            try await WorkerRunner.run(worker, options: options)
        } catch {
            FileHandle.standardError.write(Data("\(name): error: \(error)\n".utf8))
            exit(1)
        }
    }

    static func helpText(name: String) -> String {
        """
        OVERVIEW: \(summary)

        A docpipe worker: it connects to the broker over MDP/0.1 and processes documents for its stage.

        \(WorkerOptions.helpMessage(columns: 100).replacingOccurrences(of: "USAGE: worker-options", with: "USAGE: \(name)"))
          --model <file>          A model file written by `docpipe train` (or $DOCPIPE_CLASSIFIER_MODEL).
                                  Default: Naive Bayes trained at start-up on the shipped training/topics.jsonl.

        EXAMPLES:
          \(name)
          \(name) --model r8.model.json --broker tcp://broker-host:5555
        """
    }
}
