import ArgumentParser
import Foundation
import OperatorViews
import TextAnalysis

extension Docpipe {
    /// `docpipe summarize`: the summarizer worker's algorithm on files or JSON lines, without a broker.
    struct Summarize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarize text files, or JSON lines of {\"id\", \"text\", \"title\"} from standard input.",
            discussion: """
                Runs the summarizer worker's algorithm (TextRank with lead and headline priors) locally. Files are
                read as UTF-8 text; use `docpipe run` for other formats. With --jsonl, each input line is an
                object with "text" and optionally "id" and "title", and each output line is {"id", "summary",
                "sentences", "keywords"} — handy for scoring many documents.

                EXAMPLES:
                  docpipe summarize seeds/article.txt
                  docpipe summarize --ratio 0.2 report.txt --json
                  docpipe summarize --jsonl --sentences 1 < articles.jsonl > summaries.jsonl
                """
        )

        @Argument(help: "Text files to summarize.")
        var files: [String] = []

        @Option(name: .long, help: "How many sentences.")
        var sentences = 3

        @Option(name: .long, help: "A share of the text's sentences (0–1) instead of --sentences.")
        var ratio: Double?

        @Flag(name: .long, help: "Read JSON lines from standard input and write JSON lines.")
        var jsonl = false

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        @Option(name: .long, help: .hidden)
        var leadExponent = Summarizer.Weights.standard.leadExponent

        @Option(name: .long, help: .hidden)
        var headlineWeight = Summarizer.Weights.standard.headlineWeight

        func validate() throws {
            if let ratio, !(ratio > 0 && ratio <= 1) { throw ValidationError("--ratio must be above 0 and at most 1") }
            guard sentences >= 1 else { throw ValidationError("--sentences must be at least 1") }
            guard jsonl || !files.isEmpty else { throw ValidationError("give FILE arguments or --jsonl (see --help)") }
        }

        func run() throws {
            let weights = Summarizer.Weights(leadExponent: leadExponent, headlineWeight: headlineWeight)
            if jsonl {
                var number = 0
                while let line = readLine() {
                    number += 1
                    guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                    guard let input = try? JSONDecoder().decode(Input.self, from: Data(line.utf8)) else {
                        throw CLIError("line \(number) of standard input is not a JSON object with a \"text\" string")
                    }
                    let summary = Summarizer.summarize(
                        input.text, sentences: sentences, ratio: ratio, title: input.title,
                        weights: weights)
                    let output = Output(
                        id: input.id ?? String(number), summary: summary.summary,
                        sentences: summary.sentences, keywords: summary.keywords)
                    try printJSONLine(output)
                }
                return
            }
            for path in files {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CLIError("cannot read \(path)")
                }
                let summary = Summarizer.summarize(
                    String(decoding: data, as: UTF8.self), sentences: sentences,
                    ratio: ratio, weights: weights)
                if json {
                    let output = Output(
                        id: path, summary: summary.summary, sentences: summary.sentences,
                        keywords: summary.keywords)
                    try printJSONLine(output)
                } else {
                    if files.count > 1 { print("== \(path)") }
                    print(summary.summary)
                    print("keywords: \(summary.keywords.joined(separator: ", "))")
                }
            }
        }

        struct Input: Decodable {
            var id: String?
            var text: String
            var title: String?
        }

        struct Output: Encodable {
            var id: String
            var summary: String
            var sentences: [String]
            var keywords: [String]
        }
    }
}
