import DocProtocol
import Testing

struct LanguageHintTests {
    @Test(arguments: ["de", "pt-BR", "sr-Latn", "de,en", "deu+eng", "chi_sim", "zh-Hant-TW"])
    func codesAndListsOfThemAreLanguages(_ hint: String) {
        #expect(LanguageHint.isValid(hint))
    }

    @Test(arguments: ["", "d", "german", "de,", ",de", "de en", "french!", "de-", "1a", "de-x", "über"])
    func anythingElseIsRefused(_ hint: String) {
        #expect(!LanguageHint.isValid(hint))
    }
}
