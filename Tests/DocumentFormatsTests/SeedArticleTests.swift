import DocumentFormats
import Foundation
import Testing
import TextAnalysis

/// The seed article (`seeds/nato-russia-strategy.txt`), read relative to this file.
enum Seed {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../seeds/nato-russia-strategy.txt").standardized

    static func bytes() throws -> Data { try Data(contentsOf: url) }
    static func text() throws -> String { String(decoding: try bytes(), as: UTF8.self) }
    static func extraction() throws -> Extraction {
        try DocumentExtractor.extract(
            bytes: try bytes(), name: "nato-russia-strategy.txt", contentTypeHint: nil, contentHash: "sha256:seed")
    }
}

@Suite struct SeedArticleTests {
    @Test func titleSourceAndLanguage() throws {
        let extraction = try Seed.extraction()
        #expect(extraction.contentType == "text/plain")
        #expect(extraction.title == "NATO plans to develop new strategy for Russia")
        #expect(extraction.source == "Politico")
        #expect(extraction.language == "en")
        #expect(extraction.contentHash == "sha256:seed")
        #expect(extraction.wordCount > 300)
        #expect(extraction.sentenceCount >= 15)
    }

    @Test func dates() throws {
        let extraction = try Seed.extraction()
        #expect(extraction.dates == ["1997", "2022", "2025-06"])
    }

    @Test func requiredEntitiesWithoutJunk() throws {
        let entities = try Seed.extraction().entities
        let names = Set(entities.map(\.text))
        for required in ["NATO", "Russia", "Ukraine", "Georgia", "Hungary", "Slovakia", "The Hague"] {
            #expect(names.contains(required), "missing \(required) in \(names.sorted())")
        }
        for junk in ["He", "The", "At", "According", "Despite", "There", "This", "But", "In", "After", "June"] {
            #expect(!names.contains(junk), "junk entity \(junk)")
        }
        #expect(entities.first?.text == "NATO")
        #expect(entities.first { $0.text == "The Hague" }?.type == .place)
        #expect(entities.first { $0.text == "NATO" }?.type == .organization)
        #expect(entities.first { $0.text == "Russia" }?.type == .place)
        #expect(entities.first { $0.text == "Politico" }?.type == .organization)
        // Sorted by count desc, then text.
        #expect(entities == entities.sorted { $0.count != $1.count ? $0.count > $1.count : $0.text < $1.text })
    }

    @Test func summaryIsThreeVerbatimSentencesInOrder() throws {
        let text = try Seed.text()
        let summary = Summarizer.summarize(text, sentences: 3, title: try Seed.extraction().title)
        #expect(summary.sentences.count == 3)
        #expect(summary.method == "textrank")
        var lastPosition = text.startIndex
        for sentence in summary.sentences {
            let range = try #require(text.range(of: sentence), "not verbatim: \(sentence)")
            #expect(range.lowerBound >= lastPosition, "out of order: \(sentence)")
            lastPosition = range.upperBound
            #expect(!sentence.hasPrefix("NATO plans to develop"))
            #expect(!sentence.hasPrefix("“"))
        }
        #expect(summary.summary == summary.sentences.joined(separator: " "))
        #expect((8...10).contains(summary.keywords.count))
        #expect(summary.keywords.contains("nato"))
        #expect(summary.keywords.contains("strategy"))
        #expect(summary.keywords.allSatisfy { $0 == $0.lowercased() })
    }
}
