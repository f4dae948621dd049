import Testing
import TextAnalysis

@Suite struct DatesAndEntitiesTests {
    @Test func dateForms() {
        let text = """
            The treaty was signed in 1997 and revised on March 5, 2024. Talks ended 5 March 2024 and resume in June 2025.
            The report (2019) cites 2000 troops and a budget from 2010 to 2012. Filed 2024-03-05T10:00:00Z, updated 2023-11.
            On the 1st of May 2020 they met; Sept. 9, 2001 was a Sunday. We may 2025 not count.
            """
        #expect(
            DateExtractor.dates(in: text) == [
                "1997", "2024-03-05", "2025-06", "2019", "2010", "2012", "2023-11", "2020-05-01", "2001-09-09",
            ])
    }

    @Test func datesInOtherLanguages() {
        #expect(DateExtractor.dates(in: "Am 3. Oktober 1990 wurde Deutschland vereint.") == ["1990-10-03"])
        #expect(DateExtractor.dates(in: "Le 14 juillet 1989, la fête.") == ["1989-07-14"])
        #expect(DateExtractor.dates(in: "Il 2 giugno 1946 nasce la Repubblica.") == ["1946-06-02"])
        #expect(DateExtractor.normalize("2024-03-05T10:00:00+01:00") == "2024-03-05")
        #expect(DateExtractor.normalize("Tue, 5 March 2024") == "2024-03-05")
        #expect(DateExtractor.normalize("2021") == "2021")
    }

    @Test func entityTypes() {
        let text = """
            President Joe Biden met Chancellor Olaf Scholz in Berlin on Monday. Biden later flew to Kyiv.
            The Ministry of Defence and Acme Inc announced a deal with the University of Oxford.
            Officials from the EU and the UN attended. Ukrainian troops held the line near the Black Sea.
            """
        let entities = EntityRecognizer.entities(in: text)
        func type(_ name: String) -> EntityType? { entities.first { $0.text == name }?.type }
        #expect(type("Joe Biden") == .person)
        #expect(entities.first { $0.text == "Joe Biden" }?.count == 2)
        #expect(type("Olaf Scholz") == .person)
        #expect(type("Berlin") == .place)
        #expect(type("Kyiv") == .place)
        #expect(type("Ministry of Defence") == .organization)
        #expect(type("Acme Inc") == .organization)
        #expect(type("University of Oxford") == .organization)
        #expect(type("EU") == .organization)
        #expect(type("UN") == .organization)
        #expect(type("Ukraine") == .place)
        #expect(type("Black Sea") == .place)
        let names = Set(entities.map(\.text))
        for junk in ["President", "Chancellor", "Monday", "The", "Officials", "Biden"] {
            #expect(!names.contains(junk), "junk \(junk) in \(names.sorted())")
        }
    }

    @Test func sentenceStartWordsNeedEvidence() {
        let text =
            "Yesterday the board met. Critics said little. Analysts expect more. Reuters reported it first, as Reuters does."
        let names = Set(EntityRecognizer.entities(in: text).map(\.text))
        #expect(names == ["Reuters"])
    }

    @Test func titleCaseHeadlineOnlyYieldsKnownNames() {
        let text =
            "Why Germany And France Disagree Over New Rules\nGermany and France disagree over new trade rules, officials said."
        let names = Set(EntityRecognizer.entities(in: text).map(\.text))
        #expect(names == ["Germany", "France"])
    }

    @Test func emptyAndOddInputs() {
        #expect(EntityRecognizer.entities(in: "").isEmpty)
        #expect(EntityRecognizer.entities(in: "... --- !!! 123").isEmpty)
        #expect(EntityRecognizer.entities(in: "I think so. I do.").isEmpty)
    }
}
