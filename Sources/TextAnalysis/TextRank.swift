/// PageRank over a weighted, undirected graph, as TextRank uses it for sentences and words.
public enum TextRank {
    /// Scores for each node of a dense weight matrix (`weights[i][j]` is the edge i–j; the
    /// diagonal is ignored). `personalization`, if given, biases the random jumps toward some nodes.
    public static func rank(
        weights: [[Double]], damping: Double = 0.85, personalization: [Double]? = nil,
        tolerance: Double = 1e-6, maxIterations: Int = 200
    ) -> [Double] {
        let edges = weights.indices.map { row in
            weights[row].indices.compactMap { column -> (Int, Double)? in
                column != row && weights[row][column] > 0 ? (column, weights[row][column]) : nil
            }
        }
        return rank(
            edges: edges, damping: damping, personalization: personalization, tolerance: tolerance,
            maxIterations: maxIterations)
    }

    /// The same over sparse adjacency lists (`edges[i]` lists i's neighbours and edge weights).
    static func rank(
        edges: [[(Int, Double)]], damping: Double = 0.85, personalization: [Double]? = nil,
        tolerance: Double = 1e-6, maxIterations: Int = 200
    ) -> [Double] {
        let count = edges.count
        guard count > 0 else { return [] }
        var teleport = [Double](repeating: 1 / Double(count), count: count)
        if let personalization, personalization.count == count {
            let total = personalization.reduce(0) { $0 + max($1, 0) }
            if total > 0 { teleport = personalization.map { max($0, 0) / total } }
        }
        let outWeight = edges.map { $0.reduce(0) { $0 + $1.1 } }
        var scores = teleport
        for _ in 0..<maxIterations {
            // Rank held by nodes without edges is spread like a random jump, so scores keep summing to 1.
            var dangling = 0.0
            for node in 0..<count where outWeight[node] <= 0 { dangling += scores[node] }
            var next = teleport.map { (1 - damping + damping * dangling) * $0 }
            for node in 0..<count where outWeight[node] > 0 {
                let share = damping * scores[node] / outWeight[node]
                for (neighbor, weight) in edges[node] { next[neighbor] += share * weight }
            }
            var delta = 0.0
            for node in 0..<count { delta = max(delta, abs(next[node] - scores[node])) }
            scores = next
            if delta < tolerance { break }
        }
        return scores
    }
}
