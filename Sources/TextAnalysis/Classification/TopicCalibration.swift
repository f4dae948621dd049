import Foundation

// A classifier's softmax is a ranking first and a probability second: Naive Bayes counts every word as
// independent evidence and is far too sure, and a regularised linear model can be too shy. Temperature
// scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks") divides every score by one
// number T fitted on held-out data, so that the top probability matches how often the top label is right.
// One parameter cannot overfit a held-out split of a hundred documents the way isotonic regression's
// steps would, and dividing by T > 0 keeps each document's ranking, so accuracy is unchanged.

/// How a model's scores become probabilities a reader can take at face value, and below which of
/// them the classifier says "unknown" instead of guessing. Fitted by `docpipe train` on its held-out split.
public struct TopicCalibration: Codable, Sendable, Equatable {
    /// Always "temperature": probabilities are softmax(scores / temperature).
    public var method: String
    public var temperature: Double
    /// Predictions whose calibrated confidence is below this are reported as `unknown`.
    public var abstainBelow: Double
    /// How many held-out documents the temperature and the threshold were fitted on.
    public var heldOut: Int
    /// Expected calibration error (15 bins) on those documents before and after scaling.
    public var heldOutECEBefore: Double
    public var heldOutECEAfter: Double

    public init(
        temperature: Double, abstainBelow: Double, heldOut: Int, heldOutECEBefore: Double,
        heldOutECEAfter: Double
    ) {
        method = "temperature"
        self.temperature = temperature
        self.abstainBelow = abstainBelow
        self.heldOut = heldOut
        self.heldOutECEBefore = heldOutECEBefore
        self.heldOutECEAfter = heldOutECEAfter
    }

    /// Each label's calibrated probability for one document's scores (log-probabilities up to a constant).
    public func probabilities(_ scores: [Double]) -> [Double] {
        LinearScorer.probabilities(scores.map { $0 / temperature })
    }

    /// Fits the temperature (at least `minimumTemperature`) and the abstention threshold on held-out scores
    /// and their true labels.
    public static func fit(scores: [[Double]], targets: [Int], minimumTemperature: Double = 0) -> TopicCalibration {
        let temperature = max(fitTemperature(scores: scores, targets: targets), minimumTemperature)
        func outcomes(_ temperature: Double) -> (confidences: [Double], correct: [Bool]) {
            let rows = scores.map { LinearScorer.probabilities($0.map { $0 / temperature }) }
            let confidences = rows.map { $0.max() ?? 0 }
            let correct = zip(rows, targets).map { row, target in
                row.indices.max { row[$0] < row[$1] } == target
            }
            return (confidences, correct)
        }
        let before = outcomes(1)
        let after = outcomes(temperature)
        return TopicCalibration(
            temperature: temperature,
            abstainBelow: abstentionThreshold(confidences: after.confidences, correct: after.correct),
            heldOut: scores.count,
            heldOutECEBefore: expectedCalibrationError(confidences: before.confidences, correct: before.correct),
            heldOutECEAfter: expectedCalibrationError(confidences: after.confidences, correct: after.correct))
    }

    /// The temperature with the lowest held-out log-loss. The log-loss is convex in 1/T (a log-sum-exp of
    /// linear functions minus a linear one), so a golden-section search over log T finds its minimum.
    public static func fitTemperature(scores: [[Double]], targets: [Int]) -> Double {
        guard !scores.isEmpty else { return 1 }
        func loss(_ logTemperature: Double) -> Double {
            let temperature = exp(logTemperature)
            return ClassifierTraining.logLoss(scores.map { $0.map { $0 / temperature } }, targets: targets)
        }
        var low = log(1e-3)
        var high = log(1e3)
        let ratio = (sqrt(5.0) - 1) / 2
        var left = high - ratio * (high - low)
        var right = low + ratio * (high - low)
        var leftLoss = loss(left)
        var rightLoss = loss(right)
        for _ in 0..<80 {
            if leftLoss <= rightLoss {
                high = right
                right = left
                rightLoss = leftLoss
                left = high - ratio * (high - low)
                leftLoss = loss(left)
            } else {
                low = left
                left = right
                leftLoss = rightLoss
                right = low + ratio * (high - low)
                rightLoss = loss(right)
            }
        }
        return exp((low + high) / 2)
    }

    /// What an abstention costs, as a share of a wrong answer.
    public static let abstentionCost = 0.5

    /// The abstention threshold, by Chow's rule (1970) on the held-out predictions: the t that minimises
    /// (wrong answers at or above t) + `abstentionCost` × (predictions below t). With an abstention worth
    /// half an error, a band of low confidences is worth abstaining on exactly when its guesses were wrong
    /// more often than right. Candidates are the held-out confidences themselves (ties stay together);
    /// 0, never abstain, when no band pays. The lowest t among equally good ones is kept.
    public static func abstentionThreshold(confidences: [Double], correct: [Bool]) -> Double {
        let ordered = zip(confidences, correct).sorted { $0.0 < $1.0 }
        var threshold = 0.0
        var bestSaving = 0.0
        var saving = 0.0 // errors avoided minus the cost of abstaining, for everything before `index`
        for (index, (confidence, isCorrect)) in ordered.enumerated() {
            if index > 0, ordered[index - 1].0 < confidence, saving > bestSaving + 1e-12 {
                bestSaving = saving
                threshold = confidence
            }
            saving += (isCorrect ? 0 : 1) - abstentionCost
        }
        return threshold
    }

    /// Bins of equal width for `expectedCalibrationError`, the usual 15 (Guo et al. 2017).
    public static let calibrationBins = 15

    /// Expected calibration error: predictions are put in equal-width bins by confidence, and each bin's
    /// |accuracy − mean confidence| is weighted by its share of the predictions. 0 is perfect calibration.
    public static func expectedCalibrationError(
        confidences: [Double], correct: [Bool],
        bins: Int = calibrationBins
    ) -> Double {
        guard !confidences.isEmpty, bins > 0 else { return 0 }
        var count = [Int](repeating: 0, count: bins)
        var confidenceSum = [Double](repeating: 0, count: bins)
        var rightSum = [Double](repeating: 0, count: bins)
        for (confidence, isCorrect) in zip(confidences, correct) {
            // Bins are (lower, upper]; a confidence of exactly 0 goes in the first.
            let bin = min(max(Int((confidence * Double(bins)).rounded(.up)) - 1, 0), bins - 1)
            count[bin] += 1
            confidenceSum[bin] += confidence
            rightSum[bin] += isCorrect ? 1 : 0
        }
        let total = Double(confidences.count)
        return (0..<bins).reduce(0) { sum, bin in
            count[bin] == 0 ? sum : sum + abs(rightSum[bin] - confidenceSum[bin]) / total
        }
    }
}
