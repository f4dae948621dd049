public import Foundation

// The one entry point for language identification. Three identifiers, best first:
// - the n-gram table (lingua's 1- to 5-gram models, 72 languages; BackoffNGramModel), which holds on
//   short text;
// - the n-gram profiles (langdetect's 1- to 3-grams, 54 languages; NGramLanguageModel), which answer
//   where the table has no language (Kannada, Malayalam) and choose among the Devanagari languages
//   (Hindi, Marathi, Nepali; see `devanagari`);
// - a function-word identifier for about 20 languages when neither file was installed.
// docpipe still runs without the files, and `status` says what is in use so workers can log it.
// docs/EVALUATION.md measures them.
//
// An identifier is a value the program builds once (the extractor worker at start-up, `docpipe
// language` per run) and hands to whatever identifies languages, rather than a global loaded on
// first use: this module then never looks for files, and a test can pass the model it means.

/// Guesses the language of a text as an ISO 639-1 code, or "und" when it cannot tell.
public struct LanguageIdentifier: Sendable {
    /// The n-gram table, when it was handed in.
    public let table: BackoffNGramModel?
    /// The n-gram profiles, when they were handed in.
    public let model: NGramLanguageModel?
    /// One line for logs: which identifiers are in use and why.
    public let status: String

    /// Either or both n-gram models; with neither, the function-word fallback.
    public init(table: BackoffNGramModel?, profiles: NGramLanguageModel?, problems: [String] = []) {
        self.table = table
        self.model = profiles
        var parts: [String] = []
        if let table { parts.append("n-gram table for \(table.codes.count) languages (\(table.source))") }
        if let profiles {
            parts.append("n-gram profiles for \(profiles.languages.count) languages (\(profiles.source))")
        }
        if parts.isEmpty { parts.append("function-word fallback for about 20 languages") }
        status = (parts + problems).joined(separator: "; ")
    }

    /// The n-gram profiles alone.
    public init(model: NGramLanguageModel) {
        self.init(table: nil, profiles: model)
    }

    /// The function-word fallback; `problem` says why there is no n-gram model.
    public init(fallbackBecause problem: String) {
        self.init(table: nil, profiles: nil, problems: [problem])
    }

    /// The models read from the files that were found; what was not found or could not be read is
    /// said in `status`.
    public init(
        table locatedTable: Result<URL, some Error & CustomStringConvertible>,
        profiles locatedProfiles: Result<URL, some Error & CustomStringConvertible>
    ) {
        var problems: [String] = []
        var table: BackoffNGramModel?
        var profiles: NGramLanguageModel?
        switch locatedTable {
        case .success(let url):
            do throws(NGramTableFile.Invalid) {
                table = BackoffNGramModel(table: try NGramTableFile(contentsOf: url))
            } catch {
                problems.append(error.description)
            }
        case .failure(let problem): problems.append(problem.description)
        }
        switch locatedProfiles {
        case .success(let url):
            do throws(NGramProfileFile.Invalid) {
                profiles = try NGramProfileFile.model(contentsOf: url)
            } catch {
                problems.append(error.description)
            }
        case .failure(let problem): problems.append(problem.description)
        }
        self.init(table: table, profiles: profiles, problems: problems)
    }

    /// The function-word identifier alone, for code that has no model file to hand in.
    public static let functionWords = LanguageIdentifier(fallbackBecause: "no language models were handed in")

    /// Every code an answer can be (besides "und"); empty with the function-word fallback.
    public var languages: [String] {
        guard let table else { return model?.languages ?? [] }
        return Set(table.languages + (model?.languages ?? []).filter(Self.fromProfilesBesideTheTable.contains)).sorted()
    }

    /// What the profiles still answer when the table is there: scripts the table has no language for, and
    /// the Devanagari languages.
    static let fromProfilesBesideTheTable: Set<String> = ["kn", "ml", "ne", "hi", "mr"]

    /// Hindi, Marathi and Nepali are told apart by the profiles, not the table: the table has no Nepali,
    /// and on the evaluation's 5–10-word texts (docs/EVALUATION.md) the profiles got Hindi 98.6% and
    /// Marathi 96.6%, the table 85.3% and 90.9% (it takes many Hindi texts for Marathi; lingua itself
    /// 77.1% and 93.2%). Chosen after seeing those figures; said so in EVALUATION.md.
    static let devanagari: Set<String> = ["hi", "mr"]

    /// The language and a confidence in 0…1. Returns ("und", 0) for text too short to judge.
    public func identify(_ text: String) -> (language: String, confidence: Double) {
        // A bounded prefix is plenty to tell a language, and keeps huge documents cheap.
        let sample = String(text.unicodeScalars.prefix(20_000))
        if let table, let guess = table.identify(sample) {
            if Self.devanagari.contains(guess.language), let model, let profiled = model.identify(sample),
                profiled.language != "und"
            {
                return profiled
            }
            return (Self.spellingMarkers(guess.language, in: sample), guess.confidence)
        }
        if let model, let guess = model.identify(sample) { return guess }
        return FunctionWordIdentifier.identify(sample)
    }

    /// Spelling markers overrule the table within the families it mixes up: Danish, Bokmål and Swedish
    /// (NordicMarkers, which call Bokmål "no", as the profiles do), Indonesian and Malay (MalayMarkers),
    /// Croatian, Bosnian and Serbian (SerboCroatianMarkers). Nynorsk is left to the table: the Bokmål
    /// markers are mostly Nynorsk spellings too.
    static func spellingMarkers(_ language: String, in text: String) -> String {
        if ["da", "nb", "sv"].contains(language), let marked = NordicMarkers.preferred(in: text) {
            return marked == "no" ? "nb" : marked
        }
        if MalayMarkers.languages.contains(language), let marked = MalayMarkers.preferred(in: text) { return marked }
        return SerboCroatianMarkers.adjusted(language, in: text)
    }

    /// As above with an explicit profile model (nil: the function-word fallback); for tests and tools.
    public static func identify(_ text: String, model: NGramLanguageModel?) -> (language: String, confidence: Double) {
        LanguageIdentifier(table: nil, profiles: model).identify(text)
    }
}
