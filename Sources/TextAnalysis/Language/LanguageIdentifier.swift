public import Foundation

// The one entry point for language identification. The n-gram model (54 languages, measured in
// docs/EVALUATION.md) is used when its profile file was found and handed in; without it docpipe
// still runs, with the smaller function-word identifier, and `status` says which is in use so
// workers can log it at start-up.
//
// An identifier is a value the program builds once (the extractor worker at start-up, `docpipe
// language` per run) and hands to whatever identifies languages, rather than a global loaded on
// first use: this module then never looks for files, and a test can pass the model it means.

/// Guesses the language of a text as an ISO 639-1 code, or "und" when it cannot tell.
public struct LanguageIdentifier: Sendable {
    /// The n-gram model, when its profiles were handed in; nil means the function-word fallback.
    public let model: NGramLanguageModel?
    /// One line for logs: which identifier is in use and why.
    public let status: String

    /// The n-gram model.
    public init(model: NGramLanguageModel) {
        self.model = model
        status = "n-gram profiles for \(model.languages.count) languages (\(model.source))"
    }

    /// The function-word fallback; `problem` says why there is no n-gram model.
    public init(fallbackBecause problem: String) {
        model = nil
        status = "function-word fallback for about 20 languages: \(problem)"
    }

    /// The n-gram model read from the profile file that was found, else the fallback with the
    /// reason the file was not found or could not be read.
    public init(profiles located: Result<URL, some Error & CustomStringConvertible>) {
        switch located {
        case .success(let url):
            do throws(NGramProfileFile.Invalid) {
                self.init(model: try NGramProfileFile.model(contentsOf: url))
            } catch {
                self.init(fallbackBecause: error.description)
            }
        case .failure(let problem):
            self.init(fallbackBecause: problem.description)
        }
    }

    /// The function-word identifier alone, for code that has no profile file to hand in.
    public static let functionWords = LanguageIdentifier(fallbackBecause: "no language profiles were handed in")

    /// The language and a confidence in 0…1. Returns ("und", 0) for text too short to judge.
    public func identify(_ text: String) -> (language: String, confidence: Double) {
        Self.identify(text, model: model)
    }

    /// As above with an explicit model (nil: the function-word fallback); for tests and tools.
    public static func identify(_ text: String, model: NGramLanguageModel?) -> (language: String, confidence: Double) {
        // A bounded prefix is plenty to tell a language, and keeps huge documents cheap.
        let sample = String(text.unicodeScalars.prefix(20_000))
        if let model, let guess = model.identify(sample) { return guess }
        return FunctionWordIdentifier.identify(sample)
    }
}
