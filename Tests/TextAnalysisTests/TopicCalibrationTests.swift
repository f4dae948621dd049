import Foundation
import Testing
import TextAnalysis

@Suite struct TopicCalibrationTests {
    @Test func expectedCalibrationErrorMatchesHandComputedBins() {
        // Two in the (0.6, 0.6667] bin: mean confidence 0.64, one right → |0.5 − 0.64| × 2/4.
        // Two in the (0.9333, 1] bin: mean 0.95, both right → |1 − 0.95| × 2/4.
        let ece = TopicCalibration.expectedCalibrationError(
            confidences: [0.62, 0.66, 0.94, 0.96],
            correct: [true, false, true, true])
        #expect(abs(ece - (0.14 * 0.5 + 0.05 * 0.5)) < 1e-12)
        // Confidence that matches the hit rate in every bin is perfectly calibrated.
        #expect(
            TopicCalibration.expectedCalibrationError(
                confidences: [0.5, 0.5, 1, 1],
                correct: [true, false, true, true]) < 1e-12)
        // Always sure, always wrong: the worst case.
        #expect(TopicCalibration.expectedCalibrationError(confidences: [1, 1], correct: [false, false]) == 1)
        #expect(TopicCalibration.expectedCalibrationError(confidences: [], correct: []) == 0)
        // 0 and 1 land in the first and last of 15 bins rather than outside them.
        #expect(TopicCalibration.expectedCalibrationError(confidences: [0], correct: [false]) == 0)
    }

    /// Documents whose true probabilities are softmax(z), shown to the fitter as scores 3z: it must find
    /// a temperature near 3, and the calibration error must fall.
    @Test func fitsTheTemperatureThatUndoesOverconfidence() {
        var generator = SeededGenerator(seed: 7)
        var scores: [[Double]] = []
        var targets: [Int] = []
        for _ in 0..<3000 {
            let logits = (0..<4).map { _ in Double.random(in: -2...2, using: &generator) }
            let probabilities = softmax(logits)
            var draw = Double.random(in: 0..<1, using: &generator)
            var label = 0
            while label < 3, draw >= probabilities[label] {
                draw -= probabilities[label]
                label += 1
            }
            scores.append(logits.map { $0 * 3 })
            targets.append(label)
        }
        let calibration = TopicCalibration.fit(scores: scores, targets: targets)
        #expect(abs(calibration.temperature - 3) < 0.3, "temperature \(calibration.temperature)")
        #expect(
            calibration.heldOutECEAfter < calibration.heldOutECEBefore / 2,
            "ECE \(calibration.heldOutECEBefore) → \(calibration.heldOutECEAfter)")
        #expect(calibration.heldOut == 3000 && calibration.method == "temperature")
    }

    @Test func theMappingKeepsTheRankingAndGrowsWithTheMargin() {
        let calibration = TopicCalibration(
            temperature: 2.5, abstainBelow: 0.4, heldOut: 10, heldOutECEBefore: 0,
            heldOutECEAfter: 0)
        let scores = [1.0, -0.5, 3.0, 0.2]
        let calibrated = calibration.probabilities(scores)
        #expect(abs(calibrated.reduce(0, +) - 1) < 1e-12)
        #expect(
            calibrated.indices.sorted { calibrated[$0] > calibrated[$1] }
                == scores.indices.sorted { scores[$0] > scores[$1] })
        // The top label's calibrated probability rises strictly with its lead over the others.
        var previous = 0.0
        for margin in stride(from: -2.0, through: 8.0, by: 0.25) {
            let top = calibration.probabilities([margin, 0, 0, 0])[0]
            #expect(top > previous)
            previous = top
        }
    }

    @Test func abstainsWhereTheGuessesWereMoreOftenWrongThanRight() {
        // Sorted: 0.2 ✗, 0.25 ✗, 0.3 ✓, 0.35 ✗, 0.5 ✓, 0.6 ✓, 0.9 ✓. Abstaining below 0.5 avoids three
        // errors for four abstentions (3 − 4 × 0.5 = +1); below 0.3 avoids two for two (+1) — a tie, and
        // the lower threshold is kept.
        let confidences = [0.9, 0.35, 0.2, 0.5, 0.25, 0.3, 0.6]
        let correct = [true, false, false, true, false, true, true]
        #expect(TopicCalibration.abstentionThreshold(confidences: confidences, correct: correct) == 0.3)
        // One more error in the band makes the wider band the better one (3 errors of 4 below 0.35 → +1,
        // 4 errors of 5 below 0.5 → +1.5).
        #expect(
            TopicCalibration.abstentionThreshold(confidences: confidences + [0.4], correct: correct + [false]) == 0.5)
        // A model whose low-confidence guesses are mostly right never abstains.
        #expect(TopicCalibration.abstentionThreshold(confidences: [0.3, 0.4, 0.5], correct: [true, false, true]) == 0)
        // Equal confidences are never split by the threshold: one error among three ties is not worth it.
        #expect(
            TopicCalibration.abstentionThreshold(
                confidences: [0.4, 0.4, 0.4, 0.8], correct: [false, true, true, true])
                == 0)
        #expect(TopicCalibration.abstentionThreshold(confidences: [], correct: []) == 0)
    }

    @Test func trainingStoresACalibrationAndOldModelFilesStillLoad() throws {
        let (model, _) = try ClassifierTraining.train(
            TrainedClassifierTests.examples, options: .init(algorithm: .linear))
        let calibration = try #require(model.calibration)
        // A corpus this small is cross-fitted: every example is scored once, by a model that did not see it.
        #expect(calibration.heldOut == TrainedClassifierTests.examples.count)
        #expect(calibration.temperature > 0 && calibration.abstainBelow >= 0 && calibration.abstainBelow < 1)
        let restored = try TrainedClassifier.load(try model.encoded())
        #expect(restored.calibration == calibration)

        // A model file from before calibration has no "calibration" key: it loads, uncalibrated.
        var object = try #require(try JSONSerialization.jsonObject(with: model.encoded()) as? [String: Any])
        object["calibration"] = nil
        let old = try TrainedClassifier.load(try JSONSerialization.data(withJSONObject: object))
        #expect(old.calibration == nil)
        let text = "The striker and the coach"
        #expect(old.classify(text).topic == model.classify(text).topic)
    }

    @Test func theVerdictAbstainsBelowTheThresholdAndOnNonProse() {
        let sure = TopicPrediction(
            topic: "world", confidence: 0.8,
            labels: [LabelScore(label: "world", score: 0.8), LabelScore(label: "politics", score: 0.2)])
        let unsure = TopicPrediction(
            topic: "business", confidence: 0.3,
            labels: [LabelScore(label: "business", score: 0.3), LabelScore(label: "world", score: 0.25)])
        let prose = "Foreign ministers met in Vienna on Tuesday to discuss a ceasefire along the border."
        let answered = TopicVerdict.decide(prose, abstainBelow: 0.35) { _ in sure }
        #expect(answered.topic == "world" && answered.abstention == nil && answered.bestGuess == nil)
        let abstained = TopicVerdict.decide(prose, abstainBelow: 0.35) { _ in unsure }
        #expect(abstained.topic == "unknown" && abstained.abstention == .lowConfidence)
        #expect(abstained.bestGuess == "business" && abstained.confidence == 0.3 && abstained.labels == unsure.labels)
        #expect(abstained.abstention?.reason == "low_confidence")
        // Exactly at the threshold is an answer.
        #expect(TopicVerdict.decide(prose, abstainBelow: 0.3) { _ in unsure }.topic == "business")
        let table = "name,age,city\nAnna,34,Oslo\nBen,29,Lyon\nCleo,41,Graz\n"
        let notProse = TopicVerdict.decide(table, abstainBelow: 0) { _ in
            Issue.record("the model must not be asked about a table")
            return sure
        }
        #expect(notProse.topic == "unknown" && notProse.abstention == .notProse(.table) && notProse.labels.isEmpty)
        #expect(notProse.abstention?.reason == "not_prose" && notProse.confidence == 0)
    }

    private func softmax(_ values: [Double]) -> [Double] {
        let top = values.max() ?? 0
        let exponentials = values.map { exp($0 - top) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}
