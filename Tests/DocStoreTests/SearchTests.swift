import Testing

@testable import DocStore

@Suite struct SearchTests {
    @Test func findsAPhraseAndMarksTheMatch() throws {
        try withTemporaryStore { (store, _) throws in
            try store.upsert(sampleDocument())
            try store.upsert(
                sampleDocument(
                    id: "doc-act", contentHash: "sha256:act", title: "Parliament news",
                    text: "The act was founding a new committee; nothing else happened."))

            let hits = try store.search("\"founding act\"")
            #expect(hits.map(\.id) == ["doc-nato"])
            let hit = try #require(hits.first)
            // FTS5 marks a matched phrase as one span.
            #expect(hit.snippet.contains("«founding act»") || hit.snippet.contains("«Founding Act»"), "\(hit.snippet)")
            #expect(hit.title == "NATO plans to develop new strategy for Russia")
            #expect(hit.topic == "politics")

            // Without quotes both words must match, in any order: both documents do.
            #expect(Set(try store.search("founding act").map(\.id)) == ["doc-nato", "doc-act"])
        }
    }

    @Test func ranksTheDocumentMoreAboutTheTermFirst() throws {
        try withTemporaryStore { (store, _) throws in
            let passing = "A long report on fisheries, harbours and weather in the northern seas. "
            try store.upsert(
                sampleDocument(
                    id: "doc-passing", contentHash: "sha256:1", title: "Fisheries report",
                    text: String(repeating: passing, count: 20) + "It mentions the founding act once."))
            try store.upsert(sampleDocument())

            let hits = try store.search("founding act")
            #expect(hits.map(\.id) == ["doc-nato", "doc-passing"])
            #expect(hits[0].rank > hits[1].rank)
        }
    }

    @Test func hostileInputNeverThrows() throws {
        try withTemporaryStore { (store, _) throws in
            try store.upsert(sampleDocument())
            let inputs = [
                "\"", "\"\"", "AND OR", "AND", "NOT", "*", "**", "NATO-Russia", "", "   ", "'", "(", ")",
                "NEAR(a b)", "title:", "title:NATO", "^NATO", "-Russia", "+", "a\"b", "\"founding act",
                "founding act\"", "{", "}", "[", "%", ";DROP TABLE documents;--", "\u{0}", "🙂", "é",
            ]
            for input in inputs {
                _ = try store.search(input)
            }
            #expect(try store.search("").isEmpty)
            #expect(try store.search("*").isEmpty)
            #expect(try store.search("NATO-Russia").map(\.id) == ["doc-nato"])
            #expect(try store.search("\"founding act").map(\.id) == ["doc-nato"])
            #expect(try store.count() == 1)
        }
    }

    @Test func matchesStemsPrefixesAndKeywords() throws {
        try withTemporaryStore { (store, _) throws in
            try store.upsert(sampleDocument())
            #expect(try store.search("founded").map(\.id) == ["doc-nato"])
            #expect(try store.search("strat*").map(\.id) == ["doc-nato"])
            #expect(try store.search("RUSSIA").map(\.id) == ["doc-nato"])
            #expect(try store.search("unicorn").isEmpty)
            #expect(try store.search("NATO", limit: 0).isEmpty)
        }
    }

    @Test func queryTextBecomesQuotedTerms() {
        #expect(FullTextQuery("founding act").expression == #""founding" "act""#)
        #expect(FullTextQuery("\"founding act\"").expression == #""founding act""#)
        #expect(FullTextQuery("NATO-Russia council").expression == #""NATO Russia" "council""#)
        #expect(FullTextQuery("AND OR").expression == #""AND" "OR""#)
        #expect(FullTextQuery("strat*").expression == #""strat"*"#)
        #expect(FullTextQuery("\"unclosed phrase").expression == #""unclosed phrase""#)
        #expect(FullTextQuery("*").expression == nil)
        #expect(FullTextQuery(" \" ").expression == nil)
        #expect(FullTextQuery("").expression == nil)
    }
}
