import Foundation
import Testing

@testable import TextAnalysis

/// The pieces behind the ensemble candidate and selection by log-loss, checked on hand-made numbers.
@Suite struct ClassifierEnsembleTests {
    /// Two labels over three features; weights are feature-major (`weights[feature * 2 + label]`).
    static let bayes = LinearScorer(labelCount: 2, weights: [1, 0, 0, 2, -1, 1], biases: [0.5, -0.5])
    static let linear = LinearScorer(labelCount: 2, weights: [0, 3, 1, 1, 2, -2], biases: [1, 0])

    @Test func blendedScorerScoresAsTheBlendOfScores() {
        let vector = SparseVector(indices: [0, 2], values: [0.6, 0.8])
        for weight in [0.0, 0.3, 1.0] {
            let blended = LinearScorer.blend(Self.bayes, Self.linear, weight: weight).scores(vector)
            let expected = zip(Self.bayes.scores(vector), Self.linear.scores(vector)).map {
                weight * $0 + (1 - weight) * $1
            }
            #expect(zip(blended, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        }
        // Hand-computed: NB scores (0.5 + 0.6 − 0.8, −0.5 + 0.8) = (0.3, 0.3); linear (1 + 1.6, 1.8 − 1.6) = (2.6, 0.2).
        let half = LinearScorer.blend(Self.bayes, Self.linear, weight: 0.5).scores(vector)
        #expect(abs(half[0] - 1.45) < 1e-6 && abs(half[1] - 0.25) < 1e-6)
    }

    @Test func ensembleRecipeFitsBothPartsAndNamesThem() {
        let bayes = ClassifierTraining.Recipe(algorithm: .naiveBayes, settings: "smoothing 0.03") { _, _, _, _ in
            Self.bayes
        }
        let linear = ClassifierTraining.Recipe(algorithm: .linear, settings: "L2 1e-06, 12 epochs") { _, _, _, _ in
            Self.linear
        }
        let recipe = ClassifierTraining.ensembleRecipe(bayes, linear, weight: 0.7)
        #expect(recipe.algorithm == .ensemble)
        #expect(recipe.settings == "0.7 × naive-bayes smoothing 0.03 + 0.3 × linear L2 1e-06, 12 epochs")
        let fitted = recipe.fit([], [], 2, 3)
        let expected = LinearScorer.blend(Self.bayes, Self.linear, weight: 0.7)
        #expect(fitted.weights == expected.weights && fitted.biases == expected.biases)
    }

    @Test func logLossMatchesHandComputedValues() {
        // Equal scores: P = 1/2. Scores (log 3, 0): P(first) = 3/4, P(second) = 1/4.
        #expect(abs(ClassifierTraining.logLoss([[0, 0]], targets: [0]) - log(2)) < 1e-12)
        #expect(abs(ClassifierTraining.logLoss([[log(3), 0]], targets: [0]) - log(4.0 / 3)) < 1e-12)
        #expect(
            abs(
                ClassifierTraining.logLoss([[log(3), 0], [log(3), 0]], targets: [0, 1]) - (log(4.0 / 3) + log(4)) / 2)
                < 1e-12)
        // Shifting every score alike changes no probability, however large the shift.
        #expect(abs(ClassifierTraining.logLoss([[1000 + log(3), 1000]], targets: [1]) - log(4)) < 1e-9)
        #expect(ClassifierTraining.logLoss([], targets: []) == 0)
    }

    @Test func bestCandidateOfAKindHasTheLowestLogLossAndTheEarliestAmongEquals() {
        func candidate(_ algorithm: ClassifierAlgorithm, _ accuracy: Double, _ logLoss: Double)
            -> ClassifierTraining.Candidate
        {
            .init(algorithm: algorithm, settings: "", accuracy: accuracy, macroF1: accuracy, logLoss: logLoss)
        }
        // The most accurate NB is not the one with the lowest log-loss; log-loss decides.
        let candidates = [
            candidate(.naiveBayes, 0.93, 0.27), candidate(.naiveBayes, 0.92, 0.26),
            candidate(.linear, 0.91, 0.33), candidate(.linear, 0.90, 0.33),
        ]
        #expect(ClassifierTraining.bestIndex(candidates, of: .naiveBayes) == 1)
        #expect(ClassifierTraining.bestIndex(candidates, of: .linear) == 2)
        #expect(ClassifierTraining.bestIndex(candidates, of: .ensemble) == nil)
    }

    @Test func modelFilesWithoutLogLossStillLoadAndEnsemblesRoundTrip() throws {
        let (model, _) = try ClassifierTraining.train(
            TrainedClassifierTests.examples, options: .init(algorithm: .ensemble))
        var object = try #require(try JSONSerialization.jsonObject(with: try model.encoded()) as? [String: Any])
        #expect(object["algorithm"] as? String == "ensemble")
        var provenance = try #require(object["provenance"] as? [String: Any])
        #expect(provenance["heldOutLogLoss"] != nil)
        // A file written before selection went by log-loss has no such field.
        provenance["heldOutLogLoss"] = nil
        object["provenance"] = provenance
        let restored = try TrainedClassifier.load(try JSONSerialization.data(withJSONObject: object))
        #expect(restored.algorithm == .ensemble && restored.provenance.heldOutLogLoss == nil)
        let text = "The coach said the league season starts soon."
        #expect(restored.classify(text) == model.classify(text))
    }
}
