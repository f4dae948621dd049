import Foundation

// Multinomial Naive Bayes over TF-IDF-weighted, length-normalised counts: the "transformed" NB of
// Rennie et al. (2003), which removes most of plain NB's bias toward frequent words and long
// documents. Training is one pass of additions, so it is the fast, strong baseline.

/// Trains multinomial Naive Bayes into a `LinearScorer` (log priors as biases, log P(term | label) as weights).
enum NaiveBayesTrainer {
    /// `smoothing` is the additive (Lidstone) pseudo-count per feature; with unit-length vectors a
    /// document's total mass is only a few units, so values well below 1 work best.
    /// With `complement`, each label's weights come from the documents of every *other* label
    /// (Rennie et al.'s Complement NB): the estimates for small labels then rest on as much data as
    /// those for big ones, which helps most when labels are uneven or many.
    static func train(
        vectors: [SparseVector], labels: [Int], labelCount: Int, featureCount: Int,
        smoothing: Double, complement: Bool = false
    ) -> LinearScorer {
        var mass = [Double](repeating: 0, count: featureCount * labelCount)
        var documents = [Double](repeating: 0, count: labelCount)
        for (vector, label) in zip(vectors, labels) {
            documents[label] += 1
            for (position, value) in zip(vector.indices, vector.values) {
                mass[Int(position) * labelCount + label] += Double(value)
            }
        }
        var totals = [Double](repeating: 0, count: labelCount)
        for feature in 0..<featureCount {
            for label in 0..<labelCount { totals[label] += mass[feature * labelCount + label] }
        }
        let alpha = max(smoothing, 1e-9)
        let grandTotal = totals.reduce(0, +)
        let denominators = totals.map { log((complement ? grandTotal - $0 : $0) + alpha * Double(featureCount)) }
        var weights = [Float](repeating: 0, count: featureCount * labelCount)
        for feature in 0..<featureCount {
            var featureTotal = 0.0
            for label in 0..<labelCount { featureTotal += mass[feature * labelCount + label] }
            for label in 0..<labelCount {
                let slot = feature * labelCount + label
                if complement {
                    // Evidence *for* the other labels is evidence against this one.
                    weights[slot] = Float(denominators[label] - log(featureTotal - mass[slot] + alpha))
                } else {
                    weights[slot] = Float(log(mass[slot] + alpha) - denominators[label])
                }
            }
        }
        let count = max(documents.reduce(0, +), 1)
        // A label absent from the training data gets a tiny prior rather than log(0).
        let biases = documents.map { Float(log(max($0, 0.01) / count)) }
        return LinearScorer(labelCount: labelCount, weights: weights, biases: biases)
    }
}
