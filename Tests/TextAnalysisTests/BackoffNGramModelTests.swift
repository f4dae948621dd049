import Foundation
import Testing

@testable import TextAnalysis

/// The pieces of the n-gram-table identifier that need no table, and the real table that `make models`
/// installs next to the test executable. The short sentences are our own; docs/EVALUATION.md has the
/// large held-out measurement.
@Suite struct BackoffNGramModelTests {
    @Test func theHashIsTheOneTheTableWasWrittenWith() {
        // Values printed by tools/langid_ngrams.py's ngram_hash: a different hash would find nothing.
        func hash(_ text: String) -> UInt64 {
            var hash = NGramHash()
            for scalar in text.unicodeScalars { hash.add(scalar.value) }
            return hash.finished
        }
        #expect(hash("a") == 0xF7E8_E6F7_AD8F_AB5F)
        #expect(hash("the") == 0x44C7_D0F2_03F3_1674)
        #expect(hash("љубав") == 0xAFFD_FB26_83EF_027D)
        #expect(hash("日本") == 0xBD7D_5031_5778_8595)
    }

    @Test func serbianLatinBecomesCyrillicLetterForLetter() {
        func cyrillic(_ word: String) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: SerbianLatin.cyrillic(Array(word.unicodeScalars)))
            return String(view)
        }
        #expect(cyrillic("ljubav") == "љубав")
        #expect(cyrillic("njegova") == "његова")
        #expect(cyrillic("džep") == "џеп")
        #expect(cyrillic("đak") == "ђак")
        #expect(cyrillic("ćirilica") == "ћирилица")
        #expect(cyrillic("xylo") == "xyло", "letters Serbian does not write stay as they are")
    }

    @Test func wordsAreLowercasedRunsOfLetters() {
        let words = BackoffNGramModel.words(of: "Hello, WORLD 42 naïve-test").map {
            String(String.UnicodeScalarView($0))
        }
        #expect(words == ["hello", "world", "naïve", "test"])
        // Devanagari vowel signs are marks, not letters: they split words, as they did when lingua counted.
        #expect(BackoffNGramModel.words(of: "किताब").count == 3)
    }

    @Test func eastAsianScriptsAnswerByRule() {
        #expect(BackoffNGramModel.eastAsianLanguage(main: "Han", hasKana: false) == "zh")
        #expect(BackoffNGramModel.eastAsianLanguage(main: "Han", hasKana: true) == "ja")
        #expect(BackoffNGramModel.eastAsianLanguage(main: "Kana", hasKana: true) == "ja")
        #expect(BackoffNGramModel.eastAsianLanguage(main: "Hangul", hasKana: false) == "ko")
        #expect(BackoffNGramModel.eastAsianLanguage(main: "Latin", hasKana: false) == nil)
    }

    @Test func closeScoresAreUndeterminedAndClearOnesAreNot() {
        let tie = BackoffNGramModel.Scores(
            script: "Latin", byLanguage: ["hr": -100, "bs": -100.1, "sr": -100.2, "sl": -100.3], positions: 30)
        #expect(BackoffNGramModel.decide(tie).language == "und")
        let clear = BackoffNGramModel.Scores(script: "Latin", byLanguage: ["de": -100, "nl": -140], positions: 30)
        #expect(BackoffNGramModel.decide(clear).language == "de")
        #expect(BackoffNGramModel.decide(clear).confidence > 0.99)
    }

    @Test func spellingMarkersChooseBetweenIndonesianAndMalay() {
        #expect(MalayMarkers.preferred(in: "Sila masukkan kata laluan anda") == "ms")
        #expect(MalayMarkers.preferred(in: "Silakan masukkan kata sandi Anda") == "id")
        #expect(MalayMarkers.preferred(in: "Kualitas gambar terlalu rendah") == "id", "-itas is Indonesian")
        #expect(MalayMarkers.preferred(in: "Masukkan nama pengguna") == nil, "no marker: the table decides")
        #expect(MalayMarkers.preferred(in: "Silakan isi borang, sila") == nil, "a tie: the table decides")
        // Only between the two: an answer that is neither stays.
        #expect(LanguageIdentifier.spellingMarkers("de", in: "Sila masukkan kata laluan") == "de")
        #expect(LanguageIdentifier.spellingMarkers("id", in: "Sila masukkan kata laluan") == "ms")
        #expect(LanguageIdentifier.spellingMarkers("da", in: "Hva er det? Det ble feil.") == "nb", "Bokmål is nb")
    }

    @Test func theJatReflexTellsSerbianFromCroatian() {
        #expect(SerboCroatianMarkers.adjusted("hr", in: "Unesite novu vrednost za ovo mesto") == "sr")
        #expect(SerboCroatianMarkers.adjusted("sr", in: "Unesite novu vrijednost za ovo mjesto") == "hr")
        #expect(SerboCroatianMarkers.adjusted("bs", in: "Unesite novu vrijednost") == "bs", "ijekavian: hr or bs")
        #expect(SerboCroatianMarkers.adjusted("sr", in: "Dogodila se pogreška") == "hr", "Croatian's own word")
        #expect(SerboCroatianMarkers.adjusted("bs", in: "Unesite lozinku") == "bs", "no marker")
        #expect(SerboCroatianMarkers.adjusted("sl", in: "vrednost mesto") == "sl", "only among the three")
    }

    @Test func aFileThatIsNotATableIsExplained() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-table-\(UUID().uuidString).bin")
        try Data("DPNGRAM1 but nothing else".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect {
            try NGramTableFile(contentsOf: file)
        } throws: { error in
            "\(error)".contains(file.path)
        }
        #expect(throws: NGramTableFile.Invalid.self) {
            try NGramTableFile(contentsOf: URL(fileURLWithPath: "/nonexistent/langid-ngrams.bin"))
        }
    }

    /// A text is decided only after enough letters and only by a clear lead over every other candidate;
    /// languages that are not candidates (another script's) do not count.
    @Test func theDecisionNeedsLettersAndALeadOverEveryCandidate() {
        let weights = BackoffNGramModel.orderWeights.reduce(0, +)
        let lead = BackoffNGramModel.decisiveLead * weights
        var totals: [UInt32] = [1_000, 1_000 + lead, 1_000 + 2 * lead, 0]
        totals.withUnsafeMutableBufferPointer { totals in
            let enough = BackoffNGramModel.earliestDecision
            #expect(BackoffNGramModel.isDecided(totals, candidates: [0, 1, 2], positions: enough))
            #expect(!BackoffNGramModel.isDecided(totals, candidates: [0, 1, 2], positions: enough - 1))
            totals[1] -= 1
            #expect(!BackoffNGramModel.isDecided(totals, candidates: [0, 1, 2], positions: enough))
            #expect(BackoffNGramModel.isDecided(totals, candidates: [0, 2], positions: enough))
            #expect(!BackoffNGramModel.isDecided(totals, candidates: [0], positions: enough), "no rival")
        }
    }
}

/// The real table, found as the extractor worker finds it (next to the executable, or $DOCPIPE_LANGID_NGRAMS).
@Suite struct InstalledNGramTableTests {
    /// The identifier InstalledLanguageProfilesTests loads once, table and profiles as the worker finds them.
    var installed: LanguageIdentifier { InstalledLanguageProfilesTests.installed }

    /// Short texts (5–10 words) in languages the langdetect profiles did not know, or confused.
    static let shortTexts: [(String, String)] = [
        ("sr", "Влада је у уторак рекла да неће мењати план."),
        ("sr", "Vlada je u utorak rekla da neće menjati plan zbog troškova."),
        ("hr", "Dogodila se pogreška pri spremanju datoteke na disk."),
        ("eo", "La registaro diris ke ĝi ne ŝanĝos la planon."),
        ("ga", "Dúirt an rialtas nach n-athróidh sé an plean."),
        ("nn", "Regjeringa sa tysdag at ho ikkje vil endre planen."),
        ("nb", "Regjeringen sa tirsdag at den ikke vil endre planen."),
        ("ms", "Kerajaan berkata pada hari Selasa bahawa ia tidak akan mengubah rancangan itu."),
        ("id", "Silakan unggah berkas Anda sebelum tanggal lima."),
        // Not "Enter a username and password.": lingua's Italian model has those loanwords, and both lingua
        // and this table call it Italian.
        ("en", "The committee will publish its report next week."),
        ("nl", "Het plan wordt niet veranderd omdat de kosten te hoog zijn."),
        ("hy", "Կառավարությունը երեքշաբթի ասաց, որ չի փոխի ծրագիրը։"),
        ("ja", "政府は計画を変更しないと発表しました。"),
        ("zh", "政府表示不会改变这个计划。"),
        ("ko", "정부는 계획을 변경하지 않겠다고 밝혔다."),
    ]

    @Test func tableIsInstalled() throws {
        let table = try #require(installed.table, "run `make models`: \(installed.status)")
        #expect(table.codes.count >= 70)
        for code in ["sr", "eo", "ga", "bs", "hr", "ms", "id", "nn", "nb"] { #expect(table.codes.contains(code)) }
        #expect(installed.languages.count >= 70)
        #expect(installed.languages.contains("ne") && installed.languages.contains("ml"), "from the profiles")
        #expect(!installed.languages.contains("no"), "Bokmål is answered as nb when the table is there")
    }

    @Test(arguments: shortTexts)
    func identifiesShortTexts(expected: String, text: String) throws {
        try #require(installed.table != nil, "run `make models`: \(installed.status)")
        #expect(installed.identify(text).language == expected, "\(text)")
    }

    @Test func scriptsTheTableLacksGoToTheProfiles() throws {
        try #require(installed.table != nil && installed.model != nil, "run `make models`: \(installed.status)")
        // Malayalam: no lingua model; the langdetect profiles answer.
        #expect(installed.identify("സർക്കാർ ചൊവ്വാഴ്ച പദ്ധതി മാറ്റില്ലെന്ന് പറഞ്ഞു").language == "ml")
        // A Russian sentence with Latin technical words is Russian.
        #expect(installed.identify("Проверьте настройки HTML и JSON в файле config").language == "ru")
    }
    /// An article-length text in a language no other comes close to is decided before its sample ends; the
    /// answer is the one the whole sample gives.
    @Test func aClearLeadEndsScoringEarly() throws {
        let table = try #require(installed.table, "run `make models`: \(installed.status)")
        let article = String(
            repeating: "The committee will publish its report on the budget next week, officials said on Monday. ",
            count: 12)
        let letters = article.unicodeScalars.filter(\.properties.isAlphabetic).count
        let scores = table.scores(article)
        #expect(scores.positions >= BackoffNGramModel.earliestDecision)
        #expect(scores.positions < min(letters, BackoffNGramModel.sampleLetters), "scored \(scores.positions)")
        #expect(table.identify(article)?.language == "en")
    }
}
