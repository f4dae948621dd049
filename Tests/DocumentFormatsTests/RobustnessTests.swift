import DocumentFormats
import Foundation
import Testing
import TextAnalysis

/// Random and hostile inputs: nothing may crash, and errors must be the documented ones.
@Suite struct RobustnessTests {
    /// A fixed-seed generator so a failure reproduces.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = [
        "<", ">", "</", "<!--", "-->", "<script>", "</p>", "<p", "&", "&#", "&#x", "&amp", ";", "\"", "'", "{", "}",
        "[", "]", "(", ")", "**", "*", "_", "`", "```", "#", "# ", "\n", "\r\n", " ", "\t", ".", "!", "?", "…",
        "NATO", "Russia", "The", "of", "the", "May", "2024", "1997", "-", "—", "’s", "é", "ß", "Ж", "ї", "中", "😀",
        "\u{0301}", "\u{200B}", "\u{FEFF}", "\u{0000}", "\u{FFFD}", "Mr.", "By ", ":", ",", "\\", "|", "=", "http://x",
    ]

    @Test func randomBytesNeverCrash() {
        var generator = SplitMix(state: 42)
        for _ in 0..<300 {
            let length = Int.random(in: 0..<400, using: &generator)
            let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            do {
                let extraction = try DocumentExtractor.extract(
                    bytes: bytes, name: nil, contentTypeHint: nil, contentHash: "h")
                #expect(!extraction.text.isEmpty)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func randomMarkupNeverCrashes() {
        var generator = SplitMix(state: 7)
        let kinds = [nil, "text/html", "text/markdown", "application/json", "text/plain"]
        for round in 0..<300 {
            let count = Int.random(in: 0..<120, using: &generator)
            let text = (0..<count).map { _ in Self.pieces.randomElement(using: &generator)! }.joined()
            let hint = kinds[round % kinds.count]
            _ = try? DocumentExtractor.extract(
                bytes: Data(text.utf8), name: nil, contentTypeHint: hint, contentHash: "h")
            _ = Summarizer.summarize(text, sentences: 2)
            _ = installedLanguages.identify(text)
            _ = DateExtractor.dates(in: text)
            _ = EntityRecognizer.entities(in: text)
            _ = TopicClassifier(training: [LabeledText(label: "a", text: text), LabeledText(label: "b", text: "b")])
                .classify(text)
        }
    }

    @Test func randomUnicodeNeverCrashes() {
        var generator = SplitMix(state: 2024)
        let ranges: [ClosedRange<UInt32>] = [
            0x0...0x7F, 0x80...0x24F, 0x300...0x36F, 0x370...0x52F, 0x600...0x6FF,
            0x2000...0x206F, 0x3000...0x30FF, 0x4E00...0x4FFF, 0xFE00...0xFFFF, 0x1F300...0x1F6FF,
        ]
        for _ in 0..<200 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0..<300, using: &generator) {
                let range = ranges.randomElement(using: &generator)!
                if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &generator)) { scalars.append(scalar) }
            }
            let text = String(scalars)
            _ = try? DocumentExtractor.extract(
                bytes: Data(text.utf8), name: nil, contentTypeHint: nil, contentHash: "h")
            _ = Summarizer.summarize(text)
            _ = SentenceSplitter.split(text)
            _ = Tokenizer.terms(text)
            _ = installedLanguages.identify(text)
        }
    }

    @Test func hostileShapes() throws {
        let deepJSON = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        _ = try? DocumentExtractor.extract(
            bytes: Data(deepJSON.utf8), name: "x.json", contentTypeHint: nil, contentHash: "")
        let openTags = String(repeating: "<div><nav><p>", count: 5_000) + "text"
        _ = try? DocumentExtractor.extract(
            bytes: Data(openTags.utf8), name: nil, contentTypeHint: "text/html", contentHash: "")
        let backticks = String(repeating: "`a", count: 20_000)
        _ = try? DocumentExtractor.extract(
            bytes: Data(backticks.utf8), name: "x.md", contentTypeHint: nil, contentHash: "")
        let oneLongSentence = String(repeating: "word ", count: 50_000)
        let summary = Summarizer.summarize(oneLongSentence)
        #expect(summary.sentences.count <= 1)
        let manySentences = String(repeating: "Russia and NATO met again in Brussels today. ", count: 2_000)
        let extraction = try DocumentExtractor.extract(
            bytes: Data(manySentences.utf8), name: nil, contentTypeHint: nil, contentHash: "")
        #expect(extraction.entities.first { $0.text == "Brussels" }?.count == 2_000)
        #expect(Summarizer.summarize(manySentences).sentences.count == 3)
    }
}
