// The one entry point for language identification. The n-gram model (54 languages, measured in
// docs/EVALUATION.md) is used when its profile file is installed; without it docpipe still runs,
// with the smaller function-word identifier, and `LanguageIdentifier.status` says which is in use
// so workers can log it at start-up.

/// Guesses the language of a text as an ISO 639-1 code, or "und" when it cannot tell.
public enum LanguageIdentifier {
    /// Loaded once per process, on first use.
    static let loaded = NGramProfileFile.loadModel()

    /// The n-gram model, when its profiles were found.
    public static var model: NGramLanguageModel? { try? loaded.get() }

    /// One line for logs: which identifier is in use and why.
    public static var status: String {
        switch loaded {
        case .success(let model):
            "n-gram profiles for \(model.languages.count) languages (\(model.source))"
        case .failure(let problem):
            "function-word fallback for about 20 languages: \(problem)"
        }
    }

    /// The language and a confidence in 0…1. Returns ("und", 0) for text too short to judge.
    public static func identify(_ text: String) -> (language: String, confidence: Double) {
        identify(text, model: model)
    }

    /// As above with an explicit model (nil: the function-word fallback); for tests and tools.
    public static func identify(_ text: String, model: NGramLanguageModel?) -> (language: String, confidence: Double) {
        // A bounded prefix is plenty to tell a language, and keeps huge documents cheap.
        let sample = String(text.unicodeScalars.prefix(20_000))
        if let model, let guess = model.identify(sample) { return guess }
        return FunctionWordIdentifier.identify(sample)
    }
}
