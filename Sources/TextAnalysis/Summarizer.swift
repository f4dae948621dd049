import Foundation

// Extractive summaries by TextRank over sentences: a sentence that resembles many other
// sentences states what the text is mostly about. Sentences are returned verbatim and in the
// order the author wrote them, so the summary reads as the author's own words.

/// Picks the most central sentences of a text.
public enum Summarizer {
    /// How much position and the headline weigh against centrality (see `score`).
    public struct Weights: Sendable, Equatable {
        /// A sentence's score is divided by (position + 1) to this power.
        public var leadExponent: Double
        /// …and multiplied by 1 + this × its cosine similarity to the headline.
        public var headlineWeight: Double

        public init(leadExponent: Double, headlineWeight: Double) {
            self.leadExponent = leadExponent
            self.headlineWeight = headlineWeight
        }

        /// Chosen by eval/tune_summarizer.py on the development third of the standfirst pairs only;
        /// docs/EVALUATION.md reports the other two thirds.
        public static let standard = Weights(leadExponent: 0.25, headlineWeight: 1)
    }

    /// At most `sentences` sentences from `text`, plus keywords. With `ratio`, the count is that share
    /// of the text's sentences instead (at least one). `title`, when known, is excluded from the
    /// summary and nudges the ranking toward sentences about the same thing.
    public static func summarize(
        _ text: String, sentences count: Int = 3, ratio: Double? = nil, title: String? = nil,
        weights: Weights = .standard
    ) -> Summary {
        // One split and one pass of terms serve the keywords and the ranking (the keywords' 500,000 scalars
        // hold far more than the 400 sentences ranked).
        let split = SentenceSplitter.split(String(text.unicodeScalars.prefix(KeywordExtractor.textLimit)))
        let terms = split.map(Tokenizer.terms)
        let keywords = KeywordExtractor.keywords(sentenceTerms: terms)
        // Ranking is quadratic in sentences; the first few hundred carry a document's gist anyway.
        let all = Array(split.prefix(400))
        var wanted = max(count, 0)
        if let ratio, ratio > 0 { wanted = max(1, Int((Double(all.count) * min(ratio, 1)).rounded())) }
        let headline = title ?? detectedTitle(text)
        let collapsedHeadline = headline.map { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
        let body = all.enumerated().filter { !isTitle($0.element, collapsedHeadline) }
        var candidates = body.filter { isSummaryCandidate($0.element) }
        var method = "textrank"
        if candidates.isEmpty {
            // Only fragments and headings: better some of them than nothing.
            candidates = body
        }
        guard wanted > 0, !candidates.isEmpty else {
            return Summary(summary: "", sentences: [], keywords: keywords, method: method)
        }
        let picked: [Int]
        if candidates.count <= wanted {
            picked = candidates.map(\.offset)
            method = "lead"
        } else {
            let scores = score(
                candidates.map { terms[$0.offset].map(Tokenizer.stem) }, title: headline, weights: weights)
            let best = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(
                wanted)
            picked = best.map { candidates[$0].offset }.sorted()
        }
        let chosen = picked.map { all[$0] }
        return Summary(summary: chosen.joined(separator: " "), sentences: chosen, keywords: keywords, method: method)
    }

    /// Scores sentences given as their stemmed terms.
    private static func score(_ terms: [[String]], title: String?, weights priors: Weights) -> [Double] {
        let model = TFIDFModel(documents: terms)
        let vectors = terms.map(model.vector)
        let termSets = terms.map(Set.init)
        var weights = [[Double]](repeating: [Double](repeating: 0, count: terms.count), count: terms.count)
        for row in vectors.indices {
            for column in (row + 1)..<max(row + 1, vectors.count) {
                let similarity = overlap(termSets[row], termSets[column])
                weights[row][column] = similarity
                weights[column][row] = similarity
            }
        }
        // Random jumps favour sentences like the title and, gently, earlier sentences: news and
        // reports state their point first (the "lead"), and pure centrality over-rewards short
        // sentences that merely repeat the topic words.
        let titleVector = title.map { model.vector(Tokenizer.terms($0).map(Tokenizer.stem)) } ?? [:]
        let personalization = vectors.indices.map { index in
            (1 + TFIDFModel.cosine(vectors[index], titleVector)) / (1 + Double(index) / Double(max(vectors.count, 1)))
        }
        let ranks = TextRank.rank(weights: weights, personalization: personalization)
        // Centrality alone loses to simply taking the first sentence on news (Lead-1 is a famously
        // hard baseline), so the final score also multiplies in a lead prior, 1/(position+1)^k, and
        // closeness to the headline (`Weights`).
        return ranks.indices.map { index -> Double in
            let lead: Double = pow(1 + Double(index), priors.leadExponent)
            let headline: Double = 1 + priors.headlineWeight * TFIDFModel.cosine(vectors[index], titleVector)
            return ranks[index] / lead * headline
        }
    }

    /// TextRank's sentence similarity (Mihalcea & Tarau 2004): shared terms over the log of the
    /// lengths, so long sentences are not favoured merely for having many words.
    private static func overlap(_ a: Set<String>, _ b: Set<String>) -> Double {
        guard a.count > 1, b.count > 1 else { return 0 }
        let shared = Double(a.intersection(b).count)
        return shared / (log(Double(a.count)) + log(Double(b.count)))
    }

    /// The first line, when it reads as a headline rather than a sentence.
    private static func detectedTitle(_ text: String) -> String? {
        // Lines cut on bytes (see LineSlices.swift): a Character split of the whole text cost more than ranking.
        let lines = text.lineSlices().lazy.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        guard let first = lines.first, lines.dropFirst().first != nil, TitleAndSource.looksLikeTitle(first) else {
            return nil
        }
        return first
    }

    /// Whether a sentence is the title (given with its white space collapsed, as sentences have it).
    private static func isTitle(_ sentence: String, _ collapsed: String?) -> Bool {
        guard let collapsed, !collapsed.isEmpty else { return false }
        return sentence == collapsed || sentence.hasPrefix(collapsed) && sentence.count - collapsed.count < 60
    }

    /// Whole declarative sentences only: not headings, fragments, or pieces of quoted speech.
    static func isSummaryCandidate(_ sentence: String) -> Bool {
        let words = Tokenizer.wordCount(sentence)
        guard words >= 6, words <= 80, let first = sentence.unicodeScalars.first, let last = sentence.last else {
            return false
        }
        if first.isLowercase || quoteOpeners.contains(first) { return false }
        guard ".!?…\"”’»)".contains(last) else { return false }
        // Balanced quotes, counted in one pass over the scalars.
        var (opening, closing, straight) = (0, 0, 0)
        for scalar in sentence.unicodeScalars {
            switch scalar {
            case "“", "«": opening += 1
            case "”", "»": closing += 1
            case "\"": straight += 1
            default: break
            }
        }
        return opening == closing && straight % 2 == 0
    }

    private static let quoteOpeners: Set<Unicode.Scalar> = ["\"", "“", "‘", "'", "«", "„", "-", "—", "–"]
}
