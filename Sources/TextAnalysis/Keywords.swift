// Keywords by TextRank over a word co-occurrence graph (Mihalcea & Tarau 2004): words that keep
// company with many other important words rank high, which favours topic words over merely
// frequent ones.

/// Extracts the key terms of a text.
public enum KeywordExtractor {
    /// Up to `count` lowercase keywords, most important first.
    public static func keywords(_ text: String, count: Int = 10) -> [String] {
        let sentences = SentenceSplitter.split(String(text.unicodeScalars.prefix(textLimit)))
        return keywords(sentenceTerms: sentences.map(Tokenizer.terms), count: count)
    }

    /// How much of a text keywords are read from.
    static let textLimit = 500_000

    /// The same from the `Tokenizer.terms` of each sentence, for a caller that has them already (the
    /// summarizer splits and tokenizes once for its ranking and for this).
    public static func keywords(sentenceTerms: [[String]], count: Int = 10) -> [String] {
        guard count > 0 else { return [] }
        var index: [String: Int] = [:]
        var stems: [String] = []
        var surfaces: [[String: Int]] = []
        var edgeWeights: [[Int: Double]] = []
        let window = 3
        for terms in sentenceTerms {
            var recent: [Int] = []
            for term in terms where isKeywordCandidate(term) {
                let stem = Tokenizer.stem(term)
                let node: Int
                if let existing = index[stem] {
                    node = existing
                } else {
                    node = stems.count
                    index[stem] = node
                    stems.append(stem)
                    surfaces.append([:])
                    edgeWeights.append([:])
                }
                surfaces[node][term, default: 0] += 1
                for other in recent.suffix(window - 1) where other != node {
                    edgeWeights[node][other, default: 0] += 1
                    edgeWeights[other][node, default: 0] += 1
                }
                recent.append(node)
            }
        }
        guard !stems.isEmpty else { return [] }
        let sparse = edgeWeights.map { weights in weights.keys.sorted().map { ($0, weights[$0] ?? 0) } }
        let scores = TextRank.rank(edges: sparse)
        let ranked = scores.indices.sorted {
            scores[$0] != scores[$1] ? scores[$0] > scores[$1] : stems[$0] < stems[$1]
        }
        return ranked.prefix(count).map { node in
            // Show the form the text uses most ("strategy", not the stem).
            surfaces[node].max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? stems[node]
        }
    }

    private static func isKeywordCandidate(_ term: String) -> Bool {
        guard term.count >= 3, let first = term.unicodeScalars.first, first.properties.isAlphabetic else {
            return false
        }
        return true
    }
}
