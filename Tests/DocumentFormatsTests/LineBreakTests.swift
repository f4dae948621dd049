import Testing

@testable import DocumentFormats

/// The byte-level check that lets the extractor skip normalising line breaks gives exactly what the
/// scalar-level normalising would change, on the awkward cases (moved from TextScanningTests).
struct LineBreakTests {
    @Test func normalizingIsSkippedOnlyWhenNothingWouldChange() {
        for text in ["plain text\nwith\ttabs", "Grüße, 東京, 🇪🇺", "\u{A0}\u{9F}"] {
            let changes = DocumentExtractor.needsNormalizing(text.utf8)
            #expect(changes == (text != "plain text\nwith\ttabs" && text != "Grüße, 東京, 🇪🇺"))
        }
        for text in ["a\r\nb", "bell\u{7}", "del\u{7F}", "c1\u{85}", "\u{FEFF}bom", "nul\u{0}"] {
            #expect(DocumentExtractor.needsNormalizing(text.utf8), "\(text.debugDescription)")
        }
        #expect(DocumentExtractor.normalizeLineBreaks("Grüße\nok") == "Grüße\nok")
    }
}
