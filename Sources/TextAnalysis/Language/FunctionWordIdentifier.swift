// The fallback language identifier, used when the n-gram profiles are not installed (see
// LanguageIdentifier): the writing system first (it settles Greek, Arabic, Hebrew, CJK and more
// outright), then function-word profiles within Latin and Cyrillic script. It knows about 20
// languages; the n-gram model knows 54.

/// Guesses the language of a text from its script and function words.
enum FunctionWordIdentifier {
    /// The language and a confidence in 0…1. Returns ("und", 0) for text too short to judge.
    static func identify(_ text: String) -> (language: String, confidence: Double) {
        // A bounded prefix is plenty to tell a language, and keeps huge documents cheap.
        let sample = String(text.unicodeScalars.prefix(20_000))
        let scripts = ScriptCounts(sample)
        guard scripts.letters >= 8 else { return ("und", 0) }
        if let (code, share) = scripts.dominantNonLatin() {
            if code == "cyrillic" { return cyrillic(sample, share: share) }
            return (code, min(1, share))
        }
        return byProfiles(sample, profiles: LanguageProfiles.latin, bonus: latinLetterBonus)
    }

    private static func cyrillic(_ text: String, share: Double) -> (language: String, confidence: Double) {
        let result = byProfiles(text, profiles: LanguageProfiles.cyrillic, bonus: cyrillicLetterBonus)
        if result.language == "und" { return ("ru", 0.3 * share) }
        return (result.language, result.confidence * share)
    }

    /// Scores each profile by its function words in the text, weighting a word by 1/(number of
    /// profiles that contain it) so shared words like "de" or "a" do not decide between Romance languages.
    private static func byProfiles(
        _ text: String, profiles: [(code: String, words: Set<String>)],
        bonus: (String) -> [String: Double]
    ) -> (language: String, confidence: Double) {
        let words = Tokenizer.words(text).map { $0.lowercased() }
        guard words.count >= 3 else { return ("und", 0) }
        var scores = [Double](repeating: 0, count: profiles.count)
        var hits = 0
        for word in words {
            let owners = profiles.indices.filter { profiles[$0].words.contains(word) }
            guard !owners.isEmpty else { continue }
            hits += 1
            for owner in owners { scores[owner] += 1 / Double(owners.count) }
        }
        for (code, extra) in bonus(text) {
            if let index = profiles.firstIndex(where: { $0.code == code }) { scores[index] += extra }
        }
        guard let best = scores.indices.max(by: { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }),
            scores[best] >= 1.5
        else { return ("und", 0) }
        let total = scores.reduce(0, +)
        // Confidence blends how clearly the winner leads with how much evidence there was at all.
        let lead = scores[best] / max(total, 1e-9)
        let evidence = min(1, Double(hits) / 12)
        return (profiles[best].code, (lead * (0.5 + 0.5 * evidence) * 1000).rounded() / 1000)
    }

    /// Letters that only one of the profiled Latin languages uses much.
    private static func latinLetterBonus(_ text: String) -> [String: Double] {
        var bonus: [String: Double] = [:]
        for scalar in text.unicodeScalars {
            switch scalar {
            case "ß": bonus["de", default: 0] += 0.5
            case "ñ", "¿", "¡": bonus["es", default: 0] += 0.5
            case "ã", "õ": bonus["pt", default: 0] += 0.5
            case "ą", "ę", "ł", "ś", "ź", "ż", "ń": bonus["pl", default: 0] += 0.5
            case "å": bonus["sv", default: 0] += 0.3
            default: break
            }
        }
        return bonus.mapValues { min($0, 3) }
    }

    /// Ukrainian writes і ї є ґ, Russian ы э ъ ё; a handful of them is decisive.
    private static func cyrillicLetterBonus(_ text: String) -> [String: Double] {
        var russian = 0.0
        var ukrainian = 0.0
        for scalar in text.lowercased().unicodeScalars {
            switch scalar {
            case "ы", "э", "ъ", "ё": russian += 0.5
            case "і", "ї", "є", "ґ": ukrainian += 0.5
            default: break
            }
        }
        return ["ru": min(russian, 5), "uk": min(ukrainian, 5)]
    }
}

/// Letter counts per writing system.
struct ScriptCounts {
    var letters = 0
    var counts: [String: Int] = [:]

    init(_ text: String) {
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            if let script = Self.script(of: scalar) { counts[script, default: 0] += 1 }
        }
    }

    /// A non-Latin script that makes up most letters, as a language code (or "cyrillic").
    func dominantNonLatin() -> (String, Double)? {
        guard
            let (script, count) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
            Double(count) / Double(letters) > 0.4
        else { return nil }
        let share = Double(count) / Double(letters)
        if script == "han" {
            // Japanese mixes kana into Han; any real amount of kana means Japanese.
            let kana = counts["kana", default: 0]
            return kana * 10 >= count ? ("ja", share) : ("zh", share)
        }
        if script == "kana" { return ("ja", share) }
        return (script, share)
    }

    private static func script(of scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x0400...0x052F: "cyrillic"
        case 0x0370...0x03FF, 0x1F00...0x1FFF: "el"
        case 0x0600...0x06FF, 0x0750...0x077F: "ar"
        case 0x0590...0x05FF: "he"
        case 0x0900...0x097F: "hi"
        case 0x0E00...0x0E7F: "th"
        case 0x10A0...0x10FF: "ka"
        case 0x0530...0x058F: "hy"
        case 0xAC00...0xD7AF, 0x1100...0x11FF: "ko"
        case 0x3040...0x30FF: "kana"
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: "han"
        default: nil
        }
    }
}
