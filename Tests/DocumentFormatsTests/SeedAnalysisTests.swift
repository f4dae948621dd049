import DocumentFormats
import Foundation
import Testing
import TextAnalysis

/// The analyses of TextAnalysis over the seed documents as the extractor reads them (moved here from
/// EntityCuesTests and NonProseTests, which test the analyses on plain strings).
@Suite struct SeedAnalysisTests {
    private func type(_ name: String, in entities: [Entity]) -> EntityType? { entities.first { $0.text == name }?.type }
    private func names(_ entities: [Entity]) -> Set<String> { Set(entities.map(\.text)) }

    @Test func centralBankSeedPeopleAndPlaces() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../seeds/central-bank-rates.txt").standardized
        let extraction = try DocumentExtractor.extract(
            bytes: try Data(contentsOf: url), name: "central-bank-rates.txt", contentTypeHint: nil,
            contentHash: "sha256:seed")
        let found = extraction.entities
        for person in ["Elin Forsberg", "Anders Lidén", "Karin Ekholm", "Mikael Strand"] {
            #expect(type(person, in: found) == .person, "\(person) in \(found)")
        }
        #expect(found.first { $0.text == "Elin Forsberg" }?.count == 2) // "Forsberg said" counts for her
        #expect(type("Gothenburg", in: found) == .place)
        #expect(type("Stockholm", in: found) == .place)
        for organisation in [
            "Riksbank", "Statistics Sweden", "Vasa Bank", "Öresund Economics", "Nordic Markets Review",
        ] {
            #expect(type(organisation, in: found) == .organization, "\(organisation) in \(found)")
        }
        for junk in ["Deputy", "Forsberg", "Governor"] { #expect(!names(found).contains(junk), "junk \(junk)") }
        #expect(!names(found).contains { $0.contains(" of the ") || $0.contains("-based") }, "\(names(found).sorted())")
    }

    /// Every seed, as the extractor gives it to the classifier, is prose.
    @Test(arguments: [
        "nato-russia-strategy.txt", "central-bank-rates.txt", "marathon-record.md",
        "solar-grid-storage.html", "vaccine-trial.json",
    ])
    func seedsAreProse(name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../seeds/\(name)").standardized
        let extraction = try DocumentExtractor.extract(
            bytes: try Data(contentsOf: url), name: name, contentTypeHint: nil,
            contentHash: "sha256:seed")
        #expect(extraction.text.split(separator: " ").count > 100)
        #expect(NonProse.detect(extraction.text) == nil)
    }
}
