// Croatian, Bosnian and Serbian in Latin letters are one language in three standards, and their
// character n-grams are nearly the same: the table (with Serbian scored after transliteration, see
// BackoffNGramModel) and lingua both mix them up on short text (docs/EVALUATION.md). Two differences
// in frequent words are regular, though:
// - the reflex of old "jat": Serbian writes the ekavian forms (vreme, vrednost, primer, mesto,
//   poslednji, promena), Croatian and Bosnian the ijekavian ones (vrijeme, vrijednost, primjer,
//   mjesto, posljednji, promjena);
// - Croatian's own standard words (tisuća, tjedan, pogreška, izbornik, obvezno, trenutačno) where
//   Serbian and Bosnian say hiljada, nedelja/sedmica, greška, meni, obavezno, trenutno. (Words Serbian
//   shares with Bosnian, such as uslov, hiljada and prevod, say nothing between those two and are left out.)
// When the table's answer is one of the three, an ekavian text is Serbian, and an ijekavian text is not:
// the table's answer stands if it is Croatian or Bosnian, else it becomes Croatian; Croatian's own words
// make it Croatian. With no markers, or markers of both kinds, the table's answer stands. The lists
// are facts about the standards, not weights fitted to data, but they were written after seeing these
// confusions in the evaluation.
enum SerboCroatianMarkers {
    static let languages: Set<String> = ["hr", "bs", "sr"]

    static let ekavian: Set<String> = [
        "vreme", "vremena", "vremenu", "vrednost", "vrednosti", "vrednostima", "primer", "primera", "primeri",
        "mesto", "mesta", "mestu", "poslednji", "poslednja", "poslednje", "promena", "promene", "promenu",
        "promeni", "promenite", "menjati", "izmena", "izmene", "izmenu", "izmeni", "izmenite", "beleška",
        "beleške", "dete", "deca", "levo", "svet", "sveta", "cena", "cene", "verovatno", "mesec",
        "meseca", "meseci", "obezbediti", "obezbeđen", "pre", "posle", "gde", "ovde", "zameniti", "zamenite",
        "premestiti", "videti", "vidite", "deo", "dela", "delova", "celo", "celi", "cela",
        "reč", "reči", "sledeći", "sledeća", "sledeće", "uspešno", "neuspešno",
    ]

    static let ijekavian: Set<String> = [
        "vrijeme", "vremena", "vrijednost", "vrijednosti", "vrijednostima", "primjer", "primjera", "primjeri",
        "mjesto", "mjesta", "mjestu", "posljednji", "posljednja", "posljednje", "promjena", "promjene",
        "promjenu", "promijeni", "promijenite", "mijenjati", "izmjena", "izmjene", "izmjenu", "izmijeni",
        "izmijenite", "bilješka", "bilješke", "dijete", "djeca", "lijevo", "svijet", "svijeta", "cijena",
        "cijene", "vjerojatno", "vjerovatno", "mjesec", "mjeseca", "mjeseci", "uvjet", "uvjeti", "uvjeta",
        "prije", "poslije", "gdje", "ovdje", "zamijeniti", "zamijenite", "premjestiti", "vidjeti", "vidjet",
        "prijevod", "dio", "dijela", "dijelova", "cijelo", "cijeli", "cijela", "riječ", "riječi", "sljedeći",
        "sljedeća",
        "sljedeće", "uspješno", "neuspješno",
    ]

    static let croatian: Set<String> = [
        "tisuća", "tisuće", "tjedan", "tjedna", "pogreška", "pogreške", "izbornik", "obvezno", "obvezna",
        "obvezan", "trenutačno", "trenutačni", "zaporka", "zaporku", "spremi", "spremiti", "tipka",
    ]

    /// What the markers make of the table's answer among Croatian, Bosnian and Serbian.
    static func adjusted(_ guess: String, in text: String) -> String {
        guard languages.contains(guess) else { return guess }
        var (ekavianCount, ijekavianCount, croatianCount) = (0, 0, 0)
        for word in Tokenizer.words(text) {
            let lower = word.lowercased()
            if ekavian.contains(lower) && !ijekavian.contains(lower) { ekavianCount += 1 }
            if ijekavian.contains(lower) && !ekavian.contains(lower) { ijekavianCount += 1 }
            if croatian.contains(lower) { croatianCount += 1 }
        }
        if ekavianCount > 0 && ijekavianCount == 0 && croatianCount == 0 { return "sr" }
        if croatianCount > 0 && ekavianCount == 0 { return "hr" }
        if ijekavianCount > 0 && ekavianCount == 0 { return guess == "sr" ? "hr" : guess }
        return guess
    }
}
