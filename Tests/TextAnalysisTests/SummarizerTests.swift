import Testing
import TextAnalysis

@Suite struct SummarizerTests {
    static let article = """
        Solar Power Surges Across Europe
        Solar power generation in Europe reached a record level this summer, according to grid operators.
        Installations of solar panels on homes and factories grew faster than in any previous year.
        “It was sunny,” one said.
        Grid operators said solar power now covers a large share of daytime demand in several countries.
        Storage
        Battery storage is expanding so that solar power can be used after sunset as well.
        Critics warn that the grid needs new lines to carry solar power from the south to the north.
        The weather was pleasant for tourists at the beach.
        """

    @Test func picksVerbatimSentencesInOriginalOrder() throws {
        let summary = Summarizer.summarize(Self.article, sentences: 3)
        #expect(summary.sentences.count == 3)
        #expect(summary.method == "textrank")
        var position = Self.article.startIndex
        for sentence in summary.sentences {
            let range = try #require(Self.article.range(of: sentence))
            #expect(range.lowerBound >= position)
            position = range.upperBound
            #expect(sentence != "Solar Power Surges Across Europe")
            #expect(sentence != "Storage")
            #expect(!sentence.hasPrefix("“"))
        }
        #expect(!summary.sentences.contains("The weather was pleasant for tourists at the beach."))
        #expect(summary.keywords.first == "solar")
        #expect(summary.keywords.contains("power"))
    }

    @Test func shortAndEmptyTexts() {
        let empty = Summarizer.summarize("")
        #expect(empty.sentences.isEmpty && empty.summary.isEmpty && empty.keywords.isEmpty)
        let one = Summarizer.summarize("Only one sentence is here.")
        #expect(one.sentences == ["Only one sentence is here."])
        #expect(one.method == "lead")
        #expect(Summarizer.summarize(Self.article, sentences: 0).sentences.isEmpty)
        #expect(Summarizer.summarize(Self.article, sentences: 100).sentences.count == 6)
    }

    @Test func textRankScoresAGraph() {
        // A star: the hub must outrank the leaves; scores sum to 1.
        let weights: [[Double]] = [[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]]
        let scores = TextRank.rank(weights: weights)
        #expect(scores[0] > scores[1])
        #expect(abs(scores.reduce(0, +) - 1) < 1e-6)
        #expect(TextRank.rank(weights: []).isEmpty)
    }
}
