// Serbian's Latin alphabet (gajica) maps letter for letter onto its Cyrillic one (vukovica), with
// three Latin digraphs standing for one Cyrillic letter each: lj → љ, nj → њ, dž → џ. Used to score a
// Latin-script text against lingua's Cyrillic Serbian model (see BackoffNGramModel). Letters that
// Serbian does not write (q, w, x, y, ä…) are kept as they are, so the Serbian model finds them
// unseen and pays for them, as it should.
enum SerbianLatin {
    private static let single: [Unicode.Scalar: Unicode.Scalar] = [
        "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф", "g": "г",
        "h": "х", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р",
        "s": "с", "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
    ]

    /// A lowercased Latin word in Serbian Cyrillic.
    static func cyrillic(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(word.count)
        var index = 0
        while index < word.count {
            let letter = word[index]
            let next = index + 1 < word.count ? word[index + 1] : nil
            switch (letter, next) {
            case ("l", "j"): result.append("љ")
            case ("n", "j"): result.append("њ")
            case ("d", "ž"): result.append("џ")
            default:
                result.append(single[letter] ?? letter)
                index += 1
                continue
            }
            index += 2
        }
        return result
    }
}
