import Foundation
import Testing
import TextAnalysis

/// Context cues that type names: titles and roles, speech verbs, given names, organisation and
/// place nouns, prepositions, "-based" modifiers, and lone surnames. The example sentences are
/// invented; the names in them are deliberately not in the gazetteer unless a test says so.
@Suite struct EntityCuesTests {
    private func entities(_ text: String) -> [Entity] { EntityRecognizer.entities(in: text) }
    private func type(_ name: String, in entities: [Entity]) -> EntityType? { entities.first { $0.text == name }?.type }
    private func names(_ entities: [Entity]) -> Set<String> { Set(entities.map(\.text)) }

    @Test func titleOrRoleBeforeNameMarksPerson() {
        let found = entities(
            """
            Deputy mayor Tomasz Wilk opposed the plan. The board sided with treasurer Odile Marchetti.
            Coach Ingeborg Halvorsen picked a new squad, and Dr Kwame Osei examined the players.
            """)
        #expect(type("Tomasz Wilk", in: found) == .person)
        #expect(type("Ingeborg Halvorsen", in: found) == .person)
        #expect(type("Kwame Osei", in: found) == .person)
        #expect(type("Odile Marchetti", in: found) == .person)
        for junk in ["Deputy", "Coach", "Dr", "Deputy mayor Tomasz Wilk", "Coach Ingeborg Halvorsen"] {
            #expect(!names(found).contains(junk), "junk \(junk) in \(names(found).sorted())")
        }
    }

    @Test func speechVerbAfterNameMarksPerson() {
        let found = entities(
            "The figures were worse than feared, Oduya Kimani said. Talks will resume, Tervahartiala warned.")
        #expect(type("Oduya Kimani", in: found) == .person)
        #expect(type("Tervahartiala", in: found) == .person)
    }

    @Test func appositiveAfterNameTypesIt() {
        let found = entities(
            """
            Prices rose, according to Zofia Brzęk, a senior analyst at the bureau.
            Funding came through Wendmoor, the children's charity, and from Ormond Vale, who chairs it.
            """)
        #expect(type("Zofia Brzęk", in: found) == .person)
        #expect(type("Wendmoor", in: found) == .organization)
        #expect(type("Ormond Vale", in: found) == .person)
    }

    @Test func knownGivenNameMarksPerson() {
        let found = entities("The prize went to Fatima Okonkwo and Lars Brekkestad on Tuesday.")
        #expect(type("Fatima Okonkwo", in: found) == .person)
        #expect(type("Lars Brekkestad", in: found) == .person)
        // Without a cue or a known given name nothing says what the same shape is, so it is not reported.
        #expect(type("Qoril Brekkestad", in: entities("The prize went to Qoril Brekkestad on Tuesday.")) == nil)
    }

    @Test func organisationNounsAndHeadWords() {
        let found = entities(
            """
            The forecast came from the consultancy Tallgrass Metrics. The turbines were built by the Finnish
            engineering firm Kestrel. Figures from Statistics Norway and the Vindel Policy Institute agreed.
            Officials at the Bank of Lithuania, the Bundesbank and Rabobank disagreed.
            """)
        #expect(type("Tallgrass Metrics", in: found) == .organization)
        #expect(type("Kestrel", in: found) == .organization)
        #expect(type("Statistics Norway", in: found) == .organization)
        #expect(type("Vindel Policy Institute", in: found) == .organization)
        #expect(type("Bank of Lithuania", in: found) == .organization)
        #expect(type("Bundesbank", in: found) == .organization)
        #expect(type("Rabobank", in: found) == .organization) // not in the gazetteer: a "-bank" compound
        #expect(type("Finland", in: found) == nil, "\"Finnish\" names no place")
    }

    @Test func prepositionsAndPlaceNounsMarkPlaces() {
        let found = entities(
            """
            The trial ran in Tromsø and near Kirkenes. Buses left from Gothenburg and Porto Alegre.
            Drought hit the Karoo region and the fishing village of Elena Vieja.
            """)
        for place in ["Tromsø", "Kirkenes", "Gothenburg", "Porto Alegre", "Karoo", "Elena Vieja"] {
            #expect(type(place, in: found) == .place, "\(place) in \(found)")
        }
    }

    @Test func basedModifierNamesAPlaceAndEndsTheName() {
        let found = entities(
            "Ewa Nowak of the Tarnów-based maker Zefir said orders doubled. The Bergen-based Fjordline agreed.")
        #expect(type("Ewa Nowak", in: found) == .person)
        #expect(type("Tarnów", in: found) == .place)
        #expect(type("Zefir", in: found) == .organization)
        #expect(type("Bergen", in: found) == .place)
        #expect(type("Fjordline", in: found) == .organization)
        #expect(!names(found).contains { $0.contains("based") || $0.contains(" of ") }, "\(names(found).sorted())")
    }

    @Test func loneSurnameCountsForTheFullName() {
        let found = entities(
            """
            Coach Ingeborg Halvorsen named her squad. Halvorsen said the team was ready.
            Kwabena Asante won the sprint. Asante said it was hard, and Halvorsen agreed with Asante.
            """)
        #expect(found.first { $0.text == "Ingeborg Halvorsen" }?.count == 3)
        // No cue or known given name for "Kwabena": the surname's own "said" makes the full name a person.
        #expect(type("Kwabena Asante", in: found) == .person)
        #expect(found.first { $0.text == "Kwabena Asante" }?.count == 3)
        #expect(!names(found).contains("Halvorsen") && !names(found).contains("Asante"), "\(names(found).sorted())")
    }

    @Test func titlesAndRolesAloneAreNeverEntities() {
        let found = entities(
            """
            The Governor resigned. Chief executives met on Monday. Prime Minister arrived late.
            Deputy ministers said little. Professor and Senator were both on the list.
            """)
        #expect(found.isEmpty, "\(found)")
    }

    @Test func codeNamesAreNotSplitIntoAcronyms() {
        let found = entities("The study, called TRIDENT-4, reported early. WHO officials welcomed it.")
        #expect(!names(found).contains("TRIDENT"))
        #expect(type("WHO", in: found) == .organization)
    }
}
