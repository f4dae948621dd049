import ArgumentParser
import Foundation
import OperatorViews
import TextAnalysis

extension Docpipe {
    /// `docpipe language`: the extractor's language identification, on text or files, without a broker.
    struct Language: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Identify the language of text, files, or lines of standard input.",
            discussion: """
                Uses the same identifier as the extractor worker, 78 languages: a character 1- to 5-gram table
                (langid-ngrams.bin, from lingua's models) and 1- to 3-gram profiles for the languages it lacks
                (langid-profiles.json, from langdetect's), both installed next to the executables by `make
                models`; without them a function-word fallback for about 20 languages. `--lines` reads one text per line of standard
                input, for scoring many sentences at once.

                EXAMPLES:
                  docpipe language "Die Regierung hat den Plan geändert."
                  docpipe language --file seeds/article.txt --json
                  cut -f2 sentences.tsv | docpipe language --lines --json
                  docpipe language --status
                """
        )

        @Argument(help: "Text to identify.")
        var text: [String] = []

        @Option(name: .long, help: "Read the text from this file (repeatable).")
        var file: [String] = []

        @Flag(name: .long, help: "Identify each line of standard input separately.")
        var lines = false

        @Flag(name: .long, help: "Say which identifier is in use and the languages it knows, then exit.")
        var status = false

        @Flag(name: .long, help: "Print JSON (one object per input; JSON lines with --lines).")
        var json = false

        func run() throws {
            if status { return try showStatus() }
            var inputs: [(name: String, text: String)] = []
            if !text.isEmpty { inputs.append(("argument", text.joined(separator: " "))) }
            for path in file {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CLIError("cannot read \(path)")
                }
                inputs.append((path, String(decoding: data, as: UTF8.self)))
            }
            if lines {
                while let line = readLine() { inputs.append(("line \(inputs.count + 1)", line)) }
            }
            guard !inputs.isEmpty else {
                throw CLIError("nothing to identify: give TEXT, --file PATH or --lines (see --help)")
            }
            let identifier = LanguageProfiles.identifier()
            for input in inputs {
                let guess = identifier.identify(input.text)
                if json {
                    try printJSONLine(Guess(input: input.name, language: guess.language, confidence: guess.confidence))
                } else {
                    print("\(guess.language)\t\(String(format: "%.3f", guess.confidence))\t\(input.name)")
                }
            }
        }

        private func showStatus() throws {
            let identifier = LanguageProfiles.identifier()
            let languages = identifier.languages
            if json { return try printJSONLine(Status(identifier: identifier.status, languages: languages)) }
            print(identifier.status)
            if !languages.isEmpty { print(languages.joined(separator: " ")) }
        }

        struct Guess: Encodable {
            var input: String
            var language: String
            var confidence: Double
        }

        struct Status: Encodable {
            var identifier: String
            var languages: [String]
        }
    }
}
