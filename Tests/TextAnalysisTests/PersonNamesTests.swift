import Foundation
import Testing

@testable import TextAnalysis

/// The census-and-word-frequency lists (tools/person_names.py) and the judgement made from them, on a small
/// file written here in the same format, so the logic is tested without the generated file.
@Suite struct PersonNamesTests {
    /// A few real census given names and surnames (percent) and wordfreq-style Zipf values.
    static let sample = """
        docpipe-person-names/1
        # a hand-made excerpt for the tests
        given\tFaye\t0.02
        given\tWarren\t0.05
        given\tVictor\t0.1
        given\tMarine\t0.001
        given\tBrigid\t0.001
        surname\tDunaway\t0.002
        surname\tBeatty\t0.004
        surname\tIsaacs\t0.003
        surname\tBoone\t0.024
        surname\tCosta\t0.011
        surname\tIron\t0.0005
        surname\tHuman\t0.001
        surname\tDorado\t0.001
        surname\tKowalski\t0.005
        word\twarren\t4.26
        word\tvictor\t4.18
        word\tcosta\t4.15
        word\tiron\t4.74
        word\thuman\t5.35
        word\trights\t5.19
        word\tdome\t3.9
        word\tboone\t3.42
        word\tpen\t4.4
        word\tdorado\t3.03
        """

    private var names: PersonNames { get throws { try PersonNames(parsing: Self.sample) } }

    @Test func readsTheFileFormat() throws {
        let names = try self.names
        #expect(!names.isEmpty)
        #expect(names.given.contains("Faye"))
        #expect(names.surnames["Boone"] == 0.024)
        #expect(names.zipf["iron"] == 4.74)
        #expect(throws: PersonNamesError.self) { try PersonNames(parsing: "something else\ngiven\tA\t1\n") }
        #expect(throws: PersonNamesError.self) { try PersonNames(parsing: "docpipe-person-names/1\ngiven\tA\n") }
    }

    @Test func aGivenNameAndASurnameThatAreNoCommonWordsMakeAPerson() throws {
        let names = try self.names
        for person in [
            ["Faye", "Dunaway"], ["Warren", "Beatty"], ["Boone", "Isaacs"], ["Victor", "Costa"],
            ["Victor", "Ciorbea"], ["Marine", "Le", "Pen"],
        ] {
            #expect(names.isPersonName(person), "\(person)")
        }
    }

    @Test func commonWordsForeignArticlesAndShapesThatAreNoNamesDoNot() throws {
        let names = try self.names
        for phrase in [
            ["Human", "Rights"], ["Iron", "Dome"], ["Cerro", "Dorado"], ["El", "Dorado"], ["Faye"],
            ["NATO", "Dunaway"], ["Faye", "Dunaway", "Beatty", "Boone"], ["Warren", "Rights"],
        ] {
            #expect(!names.isPersonName(phrase), "\(phrase)")
        }
        #expect(!PersonNames.none.isPersonName(["Faye", "Dunaway"]))
    }

    @Test func theRecognizerTypesACluelessPairAsAPersonOnlyWithTheLists() throws {
        let text = "The film starred Faye Dunaway and Warren Beatty. It won praise everywhere."
        let without = EntityRecognizer.entities(in: text)
        let with = EntityRecognizer.entities(in: text, names: try names)
        // Without the lists nothing types the pair, so it is not reported at all.
        #expect(!without.contains { $0.text == "Faye Dunaway" })
        #expect(with.first { $0.text == "Faye Dunaway" }?.type == .person)
        #expect(with.first { $0.text == "Warren Beatty" }?.type == .person)
    }

    @Test func aCluelessPairIsAPersonWhenItsSurnameIsUsedAloneOrByAnotherPerson() throws {
        let text = """
            The nomination was welcomed by Kellyanne Conway on Monday. George Conway is a graduate of Harvard \
            College. Reporters asked about Iron Dome; Dome was not mentioned again.
            """
        for names in [PersonNames.none, try self.names] {
            let found = Dictionary(
                EntityRecognizer.entities(in: text, names: names).map { ($0.text, $0.type) },
                uniquingKeysWith: { first, _ in first })
            #expect(found["Kellyanne Conway"] == .person)
        }
        let withLists = EntityRecognizer.entities(in: text, names: try names)
        #expect(withLists.first { $0.text == "Iron Dome" }?.type != .person)
        #expect(!(try names).mayBeSurnamePair(["Iron", "Dome"]))
        #expect(!(try names).mayBeSurnamePair(["Acme", "Bank"]))
    }

    @Test func aCensusGivenNameSplitsABodyFromThePersonAfterIt() throws {
        let text = "Speaking on radio, former director of the Irish Traveller Movement Brigid Quilligan welcomed it."
        let found = Dictionary(
            EntityRecognizer.entities(in: text, names: try names).map { ($0.text, $0.type) },
            uniquingKeysWith: { first, _ in first })
        #expect(found["Brigid Quilligan"] == .person)
        #expect(found["Irish Traveller Movement"] == .organization)
    }

    @Test func theInstalledFileLoadsOrSaysWhyNot() throws {
        let missing = PersonNames(located: Result<URL, PersonNamesError>.failure(PersonNamesError(description: "gone")))
        #expect(missing.isEmpty)
        #expect(missing.status.contains("gone"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("person-names-\(UUID()).tsv")
        try Self.sample.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let loaded = PersonNames(located: Result<URL, PersonNamesError>.success(file))
        #expect(loaded.isPersonName(["Faye", "Dunaway"]))
        #expect(loaded.status.contains("5 given names"))
    }

    /// "Tesco said": a lone speaker the lists know as no name, and no full name owns, is not reported as a
    /// person; a census surname speaking alone still is, and without the lists nothing changes.
    @Test func aLoneSpeakerTheListsDoNotKnowIsNoPerson() throws {
        let text = "Profits rose in the spring, Tesco said on Monday. The rise was expected, Kowalski said."
        let with = EntityRecognizer.entities(in: text, names: try names)
        #expect(!with.contains { $0.text == "Tesco" })
        #expect(with.first { $0.text == "Kowalski" }?.type == .person)
        let without = EntityRecognizer.entities(in: text)
        #expect(without.first { $0.text == "Tesco" }?.type == .person)
    }
}
