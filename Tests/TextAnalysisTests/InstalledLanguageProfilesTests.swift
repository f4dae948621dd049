import Testing
import TextAnalysis
import WorkerKit

/// The real profiles that `make models` installs next to the test executable. The sentences are
/// our own (one news sentence per language); docs/EVALUATION.md has the large held-out measurement.
@Suite struct InstalledLanguageProfilesTests {
    /// Found as the extractor worker finds them (next to the executable, or $DOCPIPE_LANGID_NGRAMS and
    /// $DOCPIPE_LANGID_PROFILES). Loaded once for the suite (the profiles take seconds to read in a debug build).
    static let installed = LanguageIdentifier(
        table: InstalledModelFile.locate(
            NGramTableFile.fileName, environmentVariable: NGramTableFile.environmentVariable),
        profiles: InstalledModelFile.locate(
            NGramProfileFile.fileName, environmentVariable: NGramProfileFile.environmentVariable))

    var installed: LanguageIdentifier { Self.installed }

    static let sentences: [(String, String)] = [
        ("en", "The government said on Tuesday that it would not change the plan because the costs were too high."),
        (
            "de",
            "Die Regierung hat am Dienstag erklärt, dass sie den Plan nicht ändern wird, weil die Kosten zu hoch sind."
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
        ("nl", "De regering heeft dinsdag gezegd dat zij het plan niet zal veranderen, omdat de kosten te hoog zijn."),
        ("sv", "Regeringen sade på tisdagen att den inte kommer att ändra planen eftersom kostnaderna är för höga."),
        ("pl", "Rząd poinformował we wtorek, że nie zmieni planu, ponieważ koszty dla miasta są zbyt wysokie."),
        ("cs", "Vláda v úterý oznámila, že plán nezmění, protože náklady pro město jsou příliš vysoké."),
        (
            "hu",
            "A kormány kedden bejelentette, hogy nem változtat a terven, mert a költségek túl magasak a város számára."
        ),
        (
            "fi",
            "Hallitus ilmoitti tiistaina, ettei se muuta suunnitelmaa, koska kustannukset ovat kaupungille liian suuret."
        ),
        ("ro", "Guvernul a declarat marți că nu va schimba planul, deoarece costurile sunt prea mari pentru oraș."),
        (
            "tr",
            "Hükümet salı günü yaptığı açıklamada, maliyetler şehir için çok yüksek olduğundan planı değiştirmeyeceğini söyledi."
        ),
        (
            "id",
            "Pemerintah mengatakan pada hari Selasa bahwa mereka tidak akan mengubah rencana itu karena biayanya terlalu tinggi."
        ),
        (
            "vi",
            "Chính phủ cho biết hôm thứ Ba rằng họ sẽ không thay đổi kế hoạch vì chi phí quá cao đối với thành phố."
        ),
        (
            "ru",
            "Правительство заявило во вторник, что не будет менять план, потому что расходы для города слишком высоки."
        ),
        ("uk", "Уряд заявив у вівторок, що не змінюватиме план, бо витрати для міста є занадто високими."),
        (
            "bg",
            "Правителството заяви във вторник, че няма да промени плана, защото разходите за града са твърде високи."
        ),
        (
            "el",
            "Η κυβέρνηση δήλωσε την Τρίτη ότι δεν θα αλλάξει το σχέδιο επειδή το κόστος είναι πολύ υψηλό για την πόλη."
        ),
        ("he", "הממשלה הודיעה ביום שלישי כי לא תשנה את התוכנית משום שהעלויות גבוהות מדי עבור העיר."),
        ("ar", "قالت الحكومة يوم الثلاثاء إنها لن تغير الخطة لأن التكاليف مرتفعة للغاية بالنسبة للمدينة."),
        ("fa", "دولت روز سه‌شنبه اعلام کرد که برنامه را تغییر نخواهد داد زیرا هزینه‌ها برای شهر بسیار بالاست."),
        ("hi", "सरकार ने मंगलवार को कहा कि वह योजना में बदलाव नहीं करेगी क्योंकि शहर के लिए लागत बहुत अधिक है।"),
        ("th", "รัฐบาลกล่าวเมื่อวันอังคารว่าจะไม่เปลี่ยนแผนเพราะค่าใช้จ่ายสูงเกินไปสำหรับเมือง"),
        ("ja", "政府は火曜日、費用が高すぎるため計画を変更しないと発表しました。"),
        ("ko", "정부는 화요일 비용이 너무 높아서 계획을 변경하지 않겠다고 밝혔다."),
        ("zh", "政府星期二表示，由于成本太高，不会改变这个计划。"),
    ]

    @Test func profilesAreInstalled() throws {
        let model = try #require(installed.model, "\(installed.status)")
        #expect(model.languages.count >= 50)
        #expect(installed.status.contains("n-gram profiles for"))
    }

    @Test(arguments: sentences)
    func identifiesEachLanguage(expected: String, text: String) throws {
        let model = try #require(installed.model, "run `make models`: \(installed.status)")
        let guess = LanguageIdentifier.identify(text, model: model)
        #expect(guess.language == expected, "\(text)")
        #expect(guess.confidence >= 0.4 && guess.confidence <= 1)
        // And the whole identifier (the n-gram table first), as the extractor worker runs it.
        let whole = installed.identify(text)
        #expect(whole.language == expected, "\(text)")
        #expect(whole.confidence >= 0.4 && whole.confidence <= 1)
    }

    @Test func technicalTermsDoNotMakeATranslationEnglish() throws {
        let model = try #require(installed.model, "\(installed.status)")
        #expect(
            LanguageIdentifier.identify("请检查 intersphinx_mapping 配置中的 URL 和 HTML 设置", model: model).language == "zh")
        #expect(
            LanguageIdentifier.identify("Проверьте настройки HTML и JSON в файле config", model: model).language == "ru"
        )
    }
}
