public import Foundation

// The profile file is generated, never committed: `make models` (tools/langid_profiles.py) downloads
// langdetect from PyPI and writes it next to the built executables. This module only reads a file it
// is handed (it stays free of file lookups, like the rest of TextAnalysis); the programs find it:
// next to the executable, so a deployment copies one folder (binaries plus this file) and needs no
// configuration, or where DOCPIPE_LANGID_PROFILES says (WorkerKit's `InstalledModelFile`).

/// The JSON file of character n-gram profiles that `NGramLanguageModel` is built from.
public struct NGramProfileFile: Decodable, Sendable {
    public static let currentFormat = "docpipe-langid-profiles/1"
    /// The name `make models` gives the file.
    public static let fileName = "langid-profiles.json"
    /// The variable the programs read for another location of the file (this module reads no environment).
    public static let environmentVariable = "DOCPIPE_LANGID_PROFILES"

    public struct Profile: Decodable, Sendable {
        public var code: String
        /// How many 1-, 2- and 3-grams were counted in all.
        public var nWords: [Int]
        /// N-gram → count.
        public var freq: [String: Int]

        public init(code: String, nWords: [Int], freq: [String: Int]) {
            self.code = code
            self.nWords = nWords
            self.freq = freq
        }
    }

    public var format: String
    public var source: String
    public var licence: String?
    public var languages: [Profile]
    /// Classes of CJK ideographs of similar frequency; the first of each stands for all of them.
    public var cjkClasses: [String]

    public init(source: String, languages: [Profile], cjkClasses: [String] = []) {
        self.format = Self.currentFormat
        self.source = source
        self.languages = languages
        self.cjkClasses = cjkClasses
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Decodes a profile file and builds the model from it.
    public static func model(from data: Data) throws -> NGramLanguageModel {
        try NGramLanguageModel(file: JSONDecoder().decode(NGramProfileFile.self, from: data))
    }

    /// Reads the profile file at `url` and builds the model; any failure says which file it was.
    public static func model(contentsOf url: URL) throws(Invalid) -> NGramLanguageModel {
        do {
            return try model(from: Data(contentsOf: url))
        } catch {
            throw Invalid("cannot use language profiles at \(url.path): \(error)")
        }
    }
}
