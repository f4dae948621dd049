import ArgumentParser
import Foundation
import OperatorViews
import TextAnalysis

extension Docpipe {
    /// `docpipe evaluate`: scores a trained classifier on labelled test documents.
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report a trained classifier's accuracy and macro-F1 on labelled test data.",
            discussion: """
                DATA takes the same shapes as for `docpipe train`. Use a test set the model was not trained on.

                EXAMPLES:
                  docpipe evaluate --model r8.model.json --data reuters-r8-test.tab
                  docpipe evaluate --model r8.model.json --data reuters-r8-test.tab --json
                """
        )

        @Option(name: .long, help: "Model file written by `docpipe train`.")
        var model: String

        @Option(name: .long, help: "Labelled test data: JSONL, TSV, Orange .tab, or a folder of label folders.")
        var data: String

        @Flag(name: .long, help: "Print the metrics as JSON (with per-label precision, recall and F1).")
        var json = false

        func run() throws {
            let classifier = try LabeledData.model(model)
            let examples = try LabeledData.load(data)
            guard !examples.isEmpty else { throw CLIError("no labelled examples in \(data)") }
            let started = Date()
            let predicted = examples.map { classifier.classify($0.text).topic }
            let seconds = Date().timeIntervalSince(started)
            let metrics = ClassificationMetrics(gold: examples.map(\.label), predicted: predicted)
            if json {
                return try printJSON(EvaluationReport(model: classifier.name, seconds: seconds, metrics: metrics))
            }
            var table = TextTable("LABEL", "PRECISION", "RECALL", "F1", "SUPPORT", maxWidths: [30, 10, 10, 10, 8])
            for label in metrics.labels {
                table.add(
                    label.label, String(format: "%.4f", label.precision), String(format: "%.4f", label.recall),
                    String(format: "%.4f", label.f1), String(label.support))
            }
            print(table.render())
            print(
                "model \(classifier.name): accuracy \(String(format: "%.4f", metrics.accuracy)), macro-F1 "
                    + "\(String(format: "%.4f", metrics.macroF1)) on \(metrics.documents) documents "
                    + "(\(String(format: "%.1f", seconds))s)")
        }

        struct EvaluationReport: Encodable {
            var model: String
            var seconds: Double
            var metrics: ClassificationMetrics

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(model, forKey: .model)
                try container.encode(seconds, forKey: .seconds)
                try container.encode(Metrics(metrics), forKey: .metrics)
            }

            enum CodingKeys: String, CodingKey { case model, seconds, metrics }

            /// `ClassificationMetrics` in the CLI's snake_case (`macro_f1`).
            struct Metrics: Encodable {
                var documents: Int
                var accuracy: Double
                var macroF1: Double
                var labels: [ClassificationMetrics.LabelMetrics]

                init(_ metrics: ClassificationMetrics) {
                    documents = metrics.documents
                    accuracy = metrics.accuracy
                    macroF1 = metrics.macroF1
                    labels = metrics.labels
                }

                enum CodingKeys: String, CodingKey {
                    case documents, accuracy, labels
                    case macroF1 = "macro_f1"
                }
            }
        }
    }
}
