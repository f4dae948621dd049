import Foundation

// Multinomial logistic regression trained by stochastic gradient descent over unit-length TF-IDF
// vectors: the "TF-IDF + linear model" baseline. L2 regularisation is applied lazily through one
// global scale factor (Bottou's trick), so a step costs O(features in the document × labels)
// instead of O(vocabulary × labels).

/// Trains softmax regression into a `LinearScorer`.
enum SoftmaxTrainer {
    /// Settings for one training run.
    struct Settings: Sendable {
        var regularization: Double = 1e-5
        var epochs: Int = 12
        var initialRate: Double = 2
        var seed: UInt64 = 42
    }

    static func train(
        vectors: [SparseVector], labels: [Int], labelCount: Int, featureCount: Int,
        settings: Settings
    ) -> LinearScorer {
        var weights = [Float](repeating: 0, count: featureCount * labelCount)
        var biases = [Double](repeating: 0, count: labelCount)
        var scale = 1.0
        let lambda = settings.regularization
        var generator = SeededGenerator(seed: settings.seed)
        var order = Array(vectors.indices)
        var step = 0.0
        let totalSteps = Double(max(settings.epochs, 1) * max(vectors.count, 1))
        var probabilities = [Double](repeating: 0, count: labelCount)
        for _ in 0..<max(settings.epochs, 1) {
            order.shuffle(using: &generator)
            for sample in order {
                let vector = vectors[sample]
                // The rate falls linearly to almost nothing by the last pass: late steps then only
                // fine-tune, which does much of what weight averaging does at none of the cost.
                let rate = settings.initialRate * max(0.01, 1 - step / totalSteps)
                step += 1
                for label in 0..<labelCount { probabilities[label] = biases[label] }
                weights.withUnsafeBufferPointer { buffer in
                    for (position, value) in zip(vector.indices, vector.values) {
                        let base = Int(position) * labelCount
                        for label in 0..<labelCount {
                            probabilities[label] += scale * Double(buffer[base + label] * value)
                        }
                    }
                }
                let maximum = probabilities.max() ?? 0
                var total = 0.0
                for label in 0..<labelCount {
                    probabilities[label] = exp(probabilities[label] - maximum)
                    total += probabilities[label]
                }
                scale *= 1 - rate * lambda
                let target = labels[sample]
                weights.withUnsafeMutableBufferPointer { buffer in
                    for label in 0..<labelCount {
                        let gradient = probabilities[label] / total - (label == target ? 1 : 0)
                        // Labels the model already rules out contribute nothing worth the memory traffic.
                        guard abs(gradient) > 1e-5 else { continue }
                        biases[label] -= rate * gradient * 0.1
                        let delta = rate * gradient / scale
                        for (position, value) in zip(vector.indices, vector.values) {
                            buffer[Int(position) * labelCount + label] -= Float(delta * Double(value))
                        }
                    }
                }
                if scale < 1e-6 {
                    // Fold the scale into the weights before Float precision runs out.
                    for slot in weights.indices { weights[slot] *= Float(scale) }
                    scale = 1
                }
            }
        }
        for slot in weights.indices { weights[slot] *= Float(scale) }
        return LinearScorer(labelCount: labelCount, weights: weights, biases: biases.map(Float.init))
    }
}
