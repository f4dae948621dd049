// Documents become sparse vectors over an integer-indexed vocabulary: on 20 Newsgroups the
// vocabulary of words and bigrams runs to hundreds of thousands, while a document touches a few
// hundred of them, so dense vectors or String-keyed dictionaries would dominate the cost.

/// A sparse feature vector: parallel arrays of feature indices (ascending) and values.
public struct SparseVector: Sendable, Equatable {
    public var indices: [Int32]
    public var values: [Float]

    public init(indices: [Int32] = [], values: [Float] = []) {
        self.indices = indices
        self.values = values
    }

    /// Builds a vector from index → value pairs, sorting the indices so results are reproducible.
    init(_ pairs: [Int32: Float]) {
        let sorted = pairs.keys.sorted()
        indices = sorted
        values = sorted.map { pairs[$0] ?? 0 }
    }

    public var isEmpty: Bool { indices.isEmpty }

    /// Euclidean length.
    public var norm: Float {
        var sum: Float = 0
        for value in values { sum += value * value }
        return sum.squareRoot()
    }

    /// This vector scaled to unit length (unchanged when it is all zeros).
    public func normalized() -> SparseVector {
        let length = norm
        guard length > 0 else { return self }
        return SparseVector(indices: indices, values: values.map { $0 / length })
    }
}

/// A small deterministic random number generator (SplitMix64), so a training run with the same
/// data and seed produces the same model bit for bit.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
