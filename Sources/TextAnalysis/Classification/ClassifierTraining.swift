public import Foundation

// Model selection the honest way: every candidate (Naive Bayes at a few smoothings, softmax
// regression at a few regularisation strengths) is trained on 90% of the training data and scored
// on the other 10%, which it never saw; the winner is then retrained on all of it. The test set
// is never looked at here — that is `docpipe evaluate`'s job.

/// Trains a `TrainedClassifier` from labelled texts, choosing the algorithm by held-out accuracy.
public enum ClassifierTraining {
    /// What to train and how.
    public struct Options: Sendable {
        /// One algorithm, or nil to try both and keep the better.
        public var algorithm: ClassifierAlgorithm?
        /// The share of the training data held out for model selection.
        public var heldOutFraction: Double = 0.1
        public var bigrams = true
        public var minimumDocumentFrequency = 2
        public var epochs = 12
        public var seed: UInt64 = 42
        /// Provenance recorded in the model file.
        public var source = "unknown"
        public var licence: String?

        public init(algorithm: ClassifierAlgorithm? = nil) { self.algorithm = algorithm }
    }

    /// One candidate's held-out result.
    public struct Candidate: Sendable, Equatable {
        public var algorithm: ClassifierAlgorithm
        public var settings: String
        public var accuracy: Double
        public var macroF1: Double
    }

    /// Trains the candidates, reports how each did on the held-out split, and returns the winner
    /// retrained on every example. Throws when there is nothing to learn from.
    public static func train(_ examples: [LabeledText], options: Options = Options(),
                             progress: (String) -> Void = { _ in }) throws -> (TrainedClassifier, [Candidate]) {
        let labels = Set(examples.map(\.label)).sorted()
        guard examples.count >= 2, labels.count >= 2 else {
            throw ModelFileError("need at least two examples and two labels to train; got \(examples.count) "
                                 + "examples with \(labels.count) label(s)")
        }
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        progress("tokenizing \(examples.count) examples")
        let tokenized = examples.map { FeatureSpace.features($0.text, bigrams: options.bigrams) }
        let targets = examples.map { labelIndex[$0.label] ?? 0 }

        var generator = SeededGenerator(seed: options.seed)
        let shuffled = Array(examples.indices).shuffled(using: &generator)
        let heldOutCount = min(max(Int(Double(examples.count) * options.heldOutFraction), 1), examples.count - 1)
        let heldOut = Array(shuffled.prefix(heldOutCount))
        let fitting = Array(shuffled.dropFirst(heldOutCount))

        let space = FeatureSpace(documents: fitting.map { tokenized[$0] }, bigrams: options.bigrams,
                                 minimumDocumentFrequency: options.minimumDocumentFrequency)
        let fitVectors = fitting.map { space.vector(features: tokenized[$0]) }
        let heldOutVectors = heldOut.map { space.vector(features: tokenized[$0]) }
        var candidates: [Candidate] = []
        for recipe in recipes(options) {
            progress("trying \(recipe.algorithm.rawValue) \(recipe.settings)")
            let scorer = recipe.fit(fitVectors, fitting.map { targets[$0] }, labels.count, space.count)
            let predicted = heldOutVectors.map { vector in
                let scores = scorer.scores(vector)
                return labels[scores.indices.max { scores[$0] < scores[$1] } ?? 0]
            }
            let metrics = ClassificationMetrics(gold: heldOut.map { examples[$0].label }, predicted: predicted)
            candidates.append(Candidate(algorithm: recipe.algorithm, settings: recipe.settings,
                                        accuracy: metrics.accuracy, macroF1: metrics.macroF1))
        }
        // Ties go to the earlier recipe, which is the simpler one.
        let best = candidates.indices.max { candidates[$0].accuracy < candidates[$1].accuracy
            || candidates[$0].accuracy == candidates[$1].accuracy && $0 > $1 } ?? 0
        let winner = recipes(options)[best]
        progress("retraining \(winner.algorithm.rawValue) \(winner.settings) on all \(examples.count) examples")
        let fullSpace = FeatureSpace(documents: tokenized, bigrams: options.bigrams,
                                     minimumDocumentFrequency: options.minimumDocumentFrequency)
        let vectors = tokenized.map { fullSpace.vector(features: $0) }
        let scorer = winner.fit(vectors, targets, labels.count, fullSpace.count)
        let provenance = ModelProvenance(
            source: options.source, licence: options.licence, examples: examples.count, settings: winner.settings,
            heldOutAccuracy: Dictionary(candidates.map { ("\($0.algorithm.rawValue) \($0.settings)", $0.accuracy) },
                                        uniquingKeysWith: { first, _ in first }),
            trainedAt: ISO8601DateFormatter().string(from: Date()))
        let model = TrainedClassifier(algorithm: winner.algorithm, labels: labels, provenance: provenance,
                                      features: fullSpace, scorer: scorer)
        return (model, candidates)
    }

    /// A way to fit a scorer: an algorithm with fixed settings.
    struct Recipe {
        var algorithm: ClassifierAlgorithm
        var settings: String
        var fit: ([SparseVector], [Int], Int, Int) -> LinearScorer
    }

    static func recipes(_ options: Options) -> [Recipe] {
        var result: [Recipe] = []
        if options.algorithm != .linear {
            // Complement NB was tried too and lost on both R8 and 20 Newsgroups held-out data.
            for smoothing in [0.003, 0.01, 0.03] {
                result.append(Recipe(algorithm: .naiveBayes, settings: "smoothing \(smoothing)") {
                    NaiveBayesTrainer.train(vectors: $0, labels: $1, labelCount: $2, featureCount: $3, smoothing: smoothing)
                })
            }
        }
        if options.algorithm != .naiveBayes {
            for (regularization, rate) in [(1e-5, 2.0), (1e-6, 2.0)] {
                let settings = SoftmaxTrainer.Settings(regularization: regularization, epochs: options.epochs,
                                                       initialRate: rate, seed: options.seed)
                result.append(Recipe(algorithm: .linear, settings: "L2 \(regularization), \(options.epochs) epochs") {
                    SoftmaxTrainer.train(vectors: $0, labels: $1, labelCount: $2, featureCount: $3, settings: settings)
                })
            }
        }
        return result
    }
}
