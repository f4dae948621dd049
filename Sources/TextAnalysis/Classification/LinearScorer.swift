import Foundation

// Multinomial Naive Bayes and softmax regression differ in how they are trained, not in how they
// predict: both score a label as a bias plus a weighted sum of the document's features. One
// scorer serves both, so a model file has one shape whatever algorithm produced it.

/// Per-label weights over a feature space, stored feature-major (`weights[feature * labels + label]`)
/// so that scoring a sparse document reads each feature's weights from one contiguous run.
public struct LinearScorer: Codable, Sendable {
    public private(set) var labelCount: Int
    var weights: PackedFloats
    var biases: [Float]

    init(labelCount: Int, weights: [Float], biases: [Float]) {
        self.labelCount = labelCount
        self.weights = PackedFloats(weights)
        self.biases = biases
    }

    /// The number of features the weights cover.
    public var featureCount: Int { labelCount > 0 ? weights.values.count / labelCount : 0 }

    /// One raw score per label.
    public func scores(_ vector: SparseVector) -> [Double] {
        var result = biases.map(Double.init)
        let features = featureCount
        weights.values.withUnsafeBufferPointer { buffer in
            for (position, value) in zip(vector.indices, vector.values) where Int(position) < features {
                let base = Int(position) * labelCount
                for label in 0..<labelCount { result[label] += Double(buffer[base + label] * value) }
            }
        }
        return result
    }

    /// The scorer whose scores are `weight` × `first`'s plus (1 − `weight`) × `second`'s, for
    /// scorers over the same features and labels. Because scoring is linear, blending the weights
    /// once gives exactly the blended scores, so an ensemble costs no more to run than one model.
    static func blend(_ first: LinearScorer, _ second: LinearScorer, weight: Double) -> LinearScorer {
        precondition(
            first.labelCount == second.labelCount && first.weights.values.count == second.weights.values.count,
            "blended scorers must share features and labels")
        let other = 1 - weight
        let weights = zip(first.weights.values, second.weights.values).map {
            Float(weight * Double($0) + other * Double($1))
        }
        let biases = zip(first.biases, second.biases).map { Float(weight * Double($0) + other * Double($1)) }
        return LinearScorer(labelCount: first.labelCount, weights: weights, biases: biases)
    }

    /// Softmax of `scores`, computed stably.
    static func probabilities(_ scores: [Double]) -> [Double] {
        guard let maximum = scores.max() else { return [] }
        let exponentials = scores.map { exp($0 - maximum) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { total > 0 ? $0 / total : 1 / Double(scores.count) }
    }

    /// Checks the shapes agree with a feature space and label list (a damaged file must not crash).
    func isConsistent(featureCount expected: Int, labels: Int) -> Bool {
        labelCount == labels && biases.count == labels && weights.values.count == expected * labels
    }
}
