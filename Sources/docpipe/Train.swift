import ArgumentParser
import Foundation
import OperatorViews
import TextAnalysis

extension Docpipe {
    /// `docpipe train`: fits a topic classifier on labelled documents and saves it for `--model`.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a topic classifier (Naive Bayes, linear, or a blend, chosen by held-out log-loss).",
            discussion: """
                DATA is a JSONL file ({"label": …, "text": …} per line), a TSV file (label<TAB>text), an \
                Orange .tab file, or a folder with one subfolder of text files per label. 10% of it is held \
                out to choose between multinomial Naive Bayes, softmax regression, and a weighted blend of \
                the two (ensemble), all over TF-IDF word and bigram features, by log-loss on that 10%; the \
                winner is retrained on all of it.

                EXAMPLES:
                  docpipe train --data reuters-r8-train.tab --out r8.model.json
                  docpipe train --data my-labels.jsonl --out topics.model.json --algorithm naive-bayes
                  docpipe-classifier --model r8.model.json
                """
        )

        @Option(name: .long, help: "Labelled training data: JSONL, TSV, Orange .tab, or a folder of label folders.")
        var data: String

        @Option(name: .long, help: "Where to write the model file (JSON).")
        var out: String

        @Option(name: .long, help: "naive-bayes, linear or ensemble. Default: try all, keep the best on held-out data.")
        var algorithm: String?

        @Option(name: .long, help: "Training passes for the linear model.")
        var epochs = 12

        @Option(
            name: .customLong("source-name"), help: "Provenance recorded in the model. Default: the data file's name.")
        var sourceName: String?

        @Option(name: .long, help: "Licence of the training data, recorded in the model.")
        var licence: String?

        @Flag(name: .long, help: "Print the held-out results as JSON.")
        var json = false

        func validate() throws {
            guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
            if let algorithm, ClassifierAlgorithm(rawValue: algorithm) == nil {
                throw ValidationError("--algorithm must be naive-bayes, linear or ensemble, not \(algorithm)")
            }
        }

        func run() throws {
            let examples = try LabeledData.load(data)
            var options = ClassifierTraining.Options(algorithm: algorithm.flatMap(ClassifierAlgorithm.init(rawValue:)))
            options.epochs = epochs
            options.source = sourceName ?? URL(fileURLWithPath: data).lastPathComponent
            options.licence = licence
            let started = Date()
            let (model, candidates) = try ClassifierTraining.train(examples, options: options) { step in
                FileHandle.standardError.write(Data("train: \(step)\n".utf8))
            }
            try model.encoded().write(to: URL(fileURLWithPath: out))
            let seconds = Date().timeIntervalSince(started)
            if json {
                return try printJSON(
                    TrainReport(
                        model: out, algorithm: model.algorithm.rawValue, settings: model.provenance.settings,
                        labels: model.labels, examples: examples.count, features: model.features.count,
                        seconds: seconds,
                        candidates: candidates.map {
                            .init(
                                algorithm: $0.algorithm.rawValue, settings: $0.settings,
                                heldOutAccuracy: $0.accuracy, heldOutMacroF1: $0.macroF1,
                                heldOutLogLoss: $0.logLoss)
                        },
                        calibration: model.calibration.map(TrainReport.Calibration.init)))
            }
            var table = TextTable(
                "ALGORITHM", "SETTINGS", "HELD-OUT ACC", "MACRO-F1", "LOG-LOSS",
                maxWidths: [12, 70, 12, 10, 10])
            for candidate in candidates {
                table.add(
                    candidate.algorithm.rawValue, candidate.settings, String(format: "%.4f", candidate.accuracy),
                    String(format: "%.4f", candidate.macroF1), String(format: "%.4f", candidate.logLoss))
            }
            print(table.render())
            print(
                "chose \(model.algorithm.rawValue) (\(model.provenance.settings)); \(model.labels.count) labels, "
                    + "\(model.features.count) features, \(examples.count) examples, \(String(format: "%.1f", seconds))s"
            )
            if let calibration = model.calibration {
                print(
                    String(
                        format: "calibrated on %d held-out examples: temperature %.3g, ECE %.3f → %.3f; "
                            + "answers unknown below confidence %.2f", calibration.heldOut, calibration.temperature,
                        calibration.heldOutECEBefore, calibration.heldOutECEAfter, calibration.abstainBelow))
            }
            print("wrote \(out)")
        }

        struct TrainReport: Encodable {
            struct Candidate: Encodable {
                var algorithm: String
                var settings: String
                var heldOutAccuracy: Double
                var heldOutMacroF1: Double
                var heldOutLogLoss: Double

                enum CodingKeys: String, CodingKey {
                    case algorithm, settings
                    case heldOutAccuracy = "held_out_accuracy"
                    case heldOutMacroF1 = "held_out_macro_f1"
                    case heldOutLogLoss = "held_out_log_loss"
                }
            }
            var model: String
            var algorithm: String
            var settings: String
            var labels: [String]
            var examples: Int
            var features: Int
            var seconds: Double
            var candidates: [Candidate]
            var calibration: Calibration?

            /// The model's calibration in the snake_case every `--json` uses.
            struct Calibration: Encodable {
                var method: String
                var temperature: Double
                var abstainBelow: Double
                var heldOut: Int
                var heldOutEceBefore: Double
                var heldOutEceAfter: Double

                init(_ calibration: TopicCalibration) {
                    method = calibration.method
                    temperature = calibration.temperature
                    abstainBelow = calibration.abstainBelow
                    heldOut = calibration.heldOut
                    heldOutEceBefore = calibration.heldOutECEBefore
                    heldOutEceAfter = calibration.heldOutECEAfter
                }

                enum CodingKeys: String, CodingKey {
                    case method, temperature
                    case abstainBelow = "abstain_below"
                    case heldOut = "held_out"
                    case heldOutEceBefore = "held_out_ece_before"
                    case heldOutEceAfter = "held_out_ece_after"
                }
            }
        }
    }
}
