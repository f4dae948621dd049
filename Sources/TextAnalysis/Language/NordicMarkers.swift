// Danish, Norwegian (Bokmål) and Swedish share most of their character n-grams, and the profiles
// alone mix them up on one sentence in twenty (docs/EVALUATION.md lists the confusions). Their
// spelling, though, differs in frequent small words: Swedish "och, inte, är, från", Danish "af,
// hvad, nogen, meget", Norwegian "å, ble, etter, meg". When the n-gram model's answer is one of the
// three, these spelling markers, words that only one of the three writes that way, pick among
// them; with no markers or a tie the n-gram answer stands. The lists are spelling facts about the
// languages, not weights fitted to any data.

enum NordicMarkers {
    static let languages: Set<String> = ["da", "no", "sv"]

    static let words: [String: Set<String>] = [
        "sv": [
            "och", "inte", "är", "att", "måste", "också", "från", "för", "till", "hur", "vad", "detta", "denna",
            "någon", "några", "något", "mycket", "bara", "vara", "varit", "utan", "även", "när", "redan",
            "sedan", "finns", "kunde", "inga", "ändra", "välj", "fel", "upp",
        ],
        "da": [
            "af", "hvad", "nogen", "nogle", "noget", "meget", "fejl", "venligst", "ud", "op", "gøre", "vælg",
            "vælge", "tilføj", "værdi", "værdien",
        ],
        "no": [
            "å", "ble", "etter", "hva", "noen", "noe", "meg", "deg", "seg", "mye", "opp", "nå", "velg", "feil",
            "gjøre", "verdi", "verdien", "legg", "legge",
        ],
    ]

    /// The language the markers favour among Danish, Norwegian and Swedish, or nil when they don't.
    static func preferred(in text: String) -> String? {
        var counts: [String: Int] = [:]
        for word in Tokenizer.words(text) {
            let lower = word.lowercased()
            var owners = words.filter { $0.value.contains(lower) }.map(\.key)
            // A word spelled with ä or ö is not Danish or Norwegian (they write æ and ø).
            if owners.isEmpty, lower.contains(where: { $0 == "ä" || $0 == "ö" }) { owners = ["sv"] }
            // -sjon is Norwegian; Danish and Swedish write -tion.
            if owners.isEmpty, lower.hasSuffix("sjon") || lower.hasSuffix("sjoner") { owners = ["no"] }
            if owners.count == 1, let owner = owners.first { counts[owner, default: 0] += 1 }
        }
        guard let best = counts.max(by: { $0.value < $1.value }),
            counts.values.filter({ $0 == best.value }).count == 1
        else { return nil }
        return best.key
    }
}
