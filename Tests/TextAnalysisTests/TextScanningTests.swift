import Foundation
import Testing

@testable import TextAnalysis

/// The byte-level shortcuts the analysis takes for speed give exactly what the Character-level or
/// Foundation calls they replace give, on the awkward cases.
struct TextScanningTests {
    static let samples = [
        "", "\n", "one", "one\ntwo", "a\r\nb\rc\n\nd", "\r\n\r\n", "x\u{0B}y\u{0C}z", "nel\u{85}line",
        "ls\u{2028}ps\u{2029}end", "trailing\n", "\u{2027}\u{20AC} not breaks", "é\u{301}\ncombining", "🇪🇺\n🇪🇺",
    ]

    @Test(arguments: samples) func lineSlicesSplitLikeCharacters(text: String) {
        #expect(text.lineSlices() == text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }))
    }

    @Test(arguments: [
        "", " ", "\t a b \t", "\u{A0}x\u{3000}", "\u{200B}zero-width\u{200B}", "\u{2028}kept\u{2028}", " \u{301}mark ",
        "\u{202F}\u{205F}\u{1680}y\u{2000}\u{200A}", "\n line \n",
    ])
    func horizontalTrimMatchesFoundation(text: String) {
        #expect(text.trimmingHorizontalSpace() == text.trimmingCharacters(in: .whitespaces))
        #expect(text[...].trimmingHorizontalSpace() == text.trimmingCharacters(in: .whitespaces))
    }
}

extension TextScanningTests {
    @Test(arguments: [
        "Plain words here.", "“Quoted” — dashed words, café.", " lead", "trail ", "two  spaces", "tab\there",
        "nbsp\u{A0}here", "mark \u{301}after", "\u{600} prepended", "line\u{2028}sep", "emoji 🇪🇺 flag", "a",
        "soft\u{AD} hyphen", "zero\u{200B}width",
    ])
    func collapsedShortcutAgreesWithTheSplit(text: String) {
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        if SentenceSplitter.isCollapsed(text.unicodeScalars) { #expect(collapsed == text) }
    }

    @Test func collapsedShortcutTakesOrdinaryProse() {
        #expect(SentenceSplitter.isCollapsed("“Quoted” — dashed words, café.".unicodeScalars))
        #expect(!SentenceSplitter.isCollapsed("mark \u{301}after".unicodeScalars))
        #expect(!SentenceSplitter.isCollapsed("\u{600} prepended".unicodeScalars))
    }
}
