import Foundation

/// Which Tesseract language models to read a scan with. docpipe speaks ISO 639-1 (`de`); Tesseract
/// names its models by ISO 639-2/T with a few of its own (`deu`, `chi_sim`), and only the models
/// whose Debian packs are installed (`tesseract-ocr-deu`) can be used.
public enum OCRLanguages {
    /// The model read when nothing says otherwise, and for the first pass before detection.
    public static let firstPass = "eng"

    /// ISO 639-1 → Tesseract model, for the languages docpipe identifies (and a few near them).
    static let tesseractNames: [String: String] = [
        "af": "afr", "ar": "ara", "bg": "bul", "bn": "ben", "bs": "bos", "ca": "cat", "cs": "ces", "cy": "cym",
        "da": "dan", "de": "deu", "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "et": "est", "eu": "eus",
        "fa": "fas", "fi": "fin", "fr": "fra", "ga": "gle", "gl": "glg", "gu": "guj", "he": "heb", "hi": "hin",
        "hr": "hrv", "hu": "hun", "hy": "hye", "id": "ind", "is": "isl", "it": "ita", "ja": "jpn", "ka": "kat",
        "kn": "kan", "ko": "kor", "lt": "lit", "lv": "lav", "mk": "mkd", "ml": "mal", "mr": "mar", "ms": "msa",
        "mt": "mlt", "nb": "nor", "ne": "nep", "nl": "nld", "nn": "nor", "no": "nor", "pa": "pan", "pl": "pol",
        "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk", "sl": "slv", "sq": "sqi", "sr": "srp", "sv": "swe",
        "sw": "swa", "ta": "tam", "te": "tel", "th": "tha", "tl": "tgl", "tr": "tur", "uk": "ukr", "ur": "urd",
        "vi": "vie", "zh": "chi_sim",
    ]

    /// The Tesseract model for an ISO 639-1 code (`de` → `deu`, `pt-BR` → `por`), or nil when
    /// Tesseract has none. A name that already looks like a model (`deu`, `chi_tra`) is kept.
    public static func tesseractName(_ code: String) -> String? {
        let lower = code.trimmingCharacters(in: .whitespaces).lowercased()
        let primary = String(lower.split(whereSeparator: { $0 == "-" || $0 == "_" }).first ?? "")
        if primary.count == 2 { return tesseractNames[primary] }
        if lower.count >= 3, lower.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_") }) { return lower }
        return nil
    }

    /// The models `tesseract --list-langs` names, less the script and orientation helpers (`osd`,
    /// `equ`) that read no language.
    public static func parseInstalled(_ listing: String) -> Set<String> {
        var names = Set<String>()
        for line in listing.split(whereSeparator: \.isNewline) {
            let name = line.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(" "), !name.contains(":"), name != "osd", name != "equ" else {
                continue
            }
            names.insert(name)
        }
        return names
    }

    /// The installed models a language hint names: one code or several (`de`, `de,en`, `deu+eng`),
    /// in order, without repeats. Empty when the hint names nothing installed; then the languages
    /// are detected instead.
    public static func fromHint(_ hint: String?, installed: Set<String>) -> [String] {
        guard let hint else { return [] }
        var models: [String] = []
        for part in hint.split(whereSeparator: { $0 == "," || $0 == "+" || $0 == " " || $0 == ";" }) {
            if let name = tesseractName(String(part)), installed.contains(name), !models.contains(name) {
                models.append(name)
            }
        }
        return models
    }

    /// After a first pass read with `used`, the model to read again with when the text turned out
    /// to be in another language (ISO 639-1 `detected`, "und" when unknown) that is installed; nil
    /// when the first pass stands.
    public static func secondPass(detected: String, used: [String], installed: Set<String>) -> [String]? {
        guard detected != "und", let name = tesseractName(detected), installed.contains(name), !used.contains(name)
        else { return nil }
        return [name]
    }
}
