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

/// The shortcuts the text chain's speed work took (bench text phase): each gives what the call it replaced gave.
extension TextScanningTests {
    static let wordSamples = [
        "", "Moscow's NATO-Russia talks", "1.5 or 10,000 — end.Next", "政府表示不会改变", "a - b ' c", "e\u{301}te ÉTÉ",
        "Ministers' meeting", "’s 's x's X’S", "tab\tand\nnewline", "٣٤ числа",
    ]

    @Test(arguments: wordSamples) func wordCountCountsTheWords(text: String) {
        #expect(Tokenizer.wordCount(text) == Tokenizer.words(text).count)
    }

    @Test(arguments: ["moscow's", "ministers'", "'s", "s", "x's", "X’S", "boss", "it’", "", "’", "café's"])
    func possessivesAreStrippedAsByCharacters(word: String) {
        // The Character-based rule the scalar one replaced.
        func reference(_ word: String) -> String {
            for suffix in ["'s", "’s", "'S", "’S"] where word.hasSuffix(suffix) && word.count > 2 {
                return String(word.dropLast(2))
            }
            if word.hasSuffix("'") || word.hasSuffix("’") { return String(word.dropLast()) }
            return word
        }
        #expect(Tokenizer.stripPossessive(word) == reference(word))
    }

    @Test func scalarPropertiesMatchTheUnicodeTables() {
        let scalars = (0..<0x3100).compactMap(Unicode.Scalar.init) + ["𝐀", "😀", "ǅ"]
        for scalar in scalars {
            let properties = scalar.properties
            #expect(scalar.isUppercase == properties.isUppercase, "\(scalar.value)")
            #expect(scalar.isLowercase == properties.isLowercase, "\(scalar.value)")
            #expect(scalar.isAlphabetic == properties.isAlphabetic, "\(scalar.value)")
            #expect(scalar.isWhitespace == properties.isWhitespace, "\(scalar.value)")
            #expect(scalar.isNumeric == (properties.numericType != nil), "\(scalar.value)")
        }
    }

    @Test(arguments: ["BRUSSELS", "Brussels", "NATO-LED", "123", "ÉTÉ", "STRAẞE", "STRASSE", "ǅ", "Σ", "", "DC-10"])
    func allCapsIsAskedOfTheScalars(name: String) {
        #expect(Gazetteer.isAllCaps(name) == (name == name.uppercased() && name != name.lowercased()))
    }
}
