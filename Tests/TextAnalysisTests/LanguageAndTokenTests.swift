import Testing
import TextAnalysis
import WorkerKit

@Suite struct LanguageAndTokenTests {
    @Test(arguments: [
        (
            "en",
            "The government said on Tuesday that it would not change the plan, because the costs were too high for the city."
        ),
        (
            "de",
            "Die Regierung hat am Dienstag erklärt, dass sie den Plan nicht ändern wird, weil die Kosten für die Stadt zu hoch sind."
        ),
        (
            "fr",
            "Le gouvernement a déclaré mardi qu'il ne changerait pas le plan, car les coûts sont trop élevés pour la ville."
        ),
        (
            "es",
            "El gobierno dijo el martes que no cambiará el plan, porque los costos son demasiado altos para la ciudad."
        ),
        ("it", "Il governo ha detto martedì che non cambierà il piano, perché i costi sono troppo alti per la città."),
        (
            "pt",
            "O governo disse na terça-feira que não vai mudar o plano, porque os custos são muito altos para a cidade."
        ),
        (
            "nl",
            "De regering heeft dinsdag gezegd dat zij het plan niet zal veranderen, omdat de kosten voor de stad te hoog zijn."
        ),
        (
            "ru",
            "Правительство заявило во вторник, что не будет менять план, потому что расходы для города слишком высоки."
        ),
        ("uk", "Уряд заявив у вівторок, що не змінюватиме план, бо витрати для міста є занадто високими, і це відомо."),
        ("el", "Η κυβέρνηση δήλωσε την Τρίτη ότι δεν θα αλλάξει το σχέδιο επειδή το κόστος είναι πολύ υψηλό."),
        ("ja", "政府は火曜日、費用が高すぎるため計画を変更しないと発表しました。"),
        ("zh", "政府星期二表示，由于成本太高，不会改变这个计划。"),
        ("ar", "قالت الحكومة يوم الثلاثاء إنها لن تغير الخطة لأن التكاليف مرتفعة للغاية."),
    ])
    func fallbackIdentifiesLanguage(expected: String, text: String) {
        // The function-word identifier that runs when the n-gram profiles are not installed.
        let result = LanguageIdentifier.identify(text, model: nil)
        #expect(result.language == expected, "\(text)")
        #expect(result.confidence > 0 && result.confidence <= 1)
    }

    @Test func tooLittleTextIsUndetermined() {
        // The n-gram models when `make models` installed them, the profiles alone, and the fallback.
        let installed = LanguageIdentifier(
            table: InstalledModelFile.locate(
                NGramTableFile.fileName, environmentVariable: NGramTableFile.environmentVariable),
            profiles: InstalledModelFile.locate(
                NGramProfileFile.fileName, environmentVariable: NGramProfileFile.environmentVariable))
        for identifier in [installed, LanguageIdentifier(table: nil, profiles: installed.model), .functionWords] {
            #expect(identifier.identify("").language == "und")
            #expect(identifier.identify("OK").language == "und")
            #expect(identifier.identify("12345 67890 !!!").language == "und")
        }
    }

    @Test func tokenizerKeepsInnerPunctuation() {
        #expect(
            Tokenizer.words("Moscow's NATO-Russia talks cost $1,500.50 (or 3.5%) — really?") == [
                "Moscow's", "NATO-Russia", "talks", "cost", "1,500.50", "or", "3.5", "really",
            ])
        #expect(Tokenizer.terms("The Ministers' talks of the NATO") == ["ministers", "talks", "nato"])
        #expect(Tokenizer.stem("countries") == "country")
        #expect(Tokenizer.stem("relations") == "relation")
        #expect(Tokenizer.stem("crisis") == "crisis")
    }

    @Test func sentenceSplitting() {
        let text =
            "Mr. Smith went to Washington. He met Dr. J. Doe at 3.5 p.m. today! Was it good? \"Yes,\" she said.\nA heading\nNext line continues\nhere in lowercase."
        #expect(
            SentenceSplitter.split(text) == [
                "Mr. Smith went to Washington.",
                "He met Dr. J. Doe at 3.5 p.m. today!",
                "Was it good?",
                "\"Yes,\" she said.",
                "A heading",
                "Next line continues here in lowercase.",
            ])
        #expect(SentenceSplitter.split("") == [])
        #expect(SentenceSplitter.split("第一句。第二句！") == ["第一句。", "第二句！"])
    }
}
