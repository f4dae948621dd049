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

    @Test func ratioAsksForAShareOfTheSentences() {
        // The article splits into 9 sentences (headline and "Storage" included): 0.34 of 9 rounds to 3.
        #expect(Summarizer.summarize(Self.article, sentences: 1, ratio: 0.34).sentences.count == 3)
        // A tiny ratio still gives one sentence.
        #expect(Summarizer.summarize(Self.article, ratio: 0.01).sentences.count == 1)
    }

    @Test func leadWeightPullsTowardTheStart() {
        // The first sentence shares no words with the rest, so it has no centrality at all.
        let first = "The meeting opened at nine in the morning with coffee for everyone."
        let text =
            first + " " + """
                Solar power generation reached a record level this summer across the grid.
                Solar panels on homes added power to the grid faster than ever this summer.
                Grid operators said solar power now covers a large share of summer demand.
                """
        // A very steep lead prior makes the first whole sentence win anyway.
        let steep = Summarizer.Weights(leadExponent: 8, headlineWeight: 0)
        #expect(Summarizer.summarize(text, sentences: 1, weights: steep).sentences == [first])
        // With no lead prior, a central sentence wins.
        let flat = Summarizer.Weights(leadExponent: 0, headlineWeight: 0)
        let central = Summarizer.summarize(text, sentences: 1, weights: flat).sentences
        #expect(central.count == 1 && central != [first])
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
