public import Foundation

// The profile file is generated, never committed: `make models` (tools/langid_profiles.py) downloads
// langdetect from PyPI and writes it next to the built executables. Looking next to the executable
// means a deployment copies one folder (binaries plus this file) and needs no configuration;
// DOCPIPE_LANGID_PROFILES overrides it.

/// The JSON file of character n-gram profiles that `NGramLanguageModel` is built from.
public struct NGramProfileFile: Decodable, Sendable {
    public static let currentFormat = "docpipe-langid-profiles/1"
    public static let fileName = "langid-profiles.json"
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

    /// Where the file is looked for, in order.
    public static func searchPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths: [String] = []
        if let explicit = environment[environmentVariable], !explicit.isEmpty { paths.append(explicit) }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let folder = executable.deletingLastPathComponent()
            paths.append(folder.appendingPathComponent(fileName).path)
            // An installed layout: bin/docpipe-extractor and share/docpipe/langid-profiles.json.
            paths.append(folder.deletingLastPathComponent().appendingPathComponent("share/docpipe/\(fileName)").path)
        }
        return paths
    }

    /// Loads the first profile file found, or says why none could be used.
    public static func loadModel(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Result<NGramLanguageModel, Invalid> {
        let paths = searchPaths(environment: environment)
        if let explicit = environment[environmentVariable], !explicit.isEmpty,
            !FileManager.default.fileExists(atPath: explicit) {
            return .failure(Invalid("\(environmentVariable) names \(explicit), which does not exist"))
        }
        for path in paths where FileManager.default.fileExists(atPath: path) {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let file = try JSONDecoder().decode(NGramProfileFile.self, from: data)
                return .success(try NGramLanguageModel(file: file))
            } catch {
                return .failure(Invalid("cannot use language profiles at \(path): \(error)"))
            }
        }
        return .failure(Invalid("no \(fileName) found (looked in \(paths.joined(separator: ", "))); "
                                + "run `make models` or set \(environmentVariable)"))
    }
}
