import Foundation
import TextAnalysis

/// The per-document cost of the built-in workers' analysis, in process and on one core: what a
/// worker spends on a document besides the network. Runs over the sample documents in seeds/
/// (news articles, 1.5–3 KB), repeated; the classifier uses the installed default model when the
/// bench binary has one next to it, else the built-in corpus, and says which.
struct TextAnalysisBenchmark {
    var rounds: Int
    var folder = "seeds"

    struct Figures: Codable, Equatable {
        var documents: Int
        var averageBytes: Int
        var classifierModel: String
        /// Documents per second on one core, per analysis and for the whole extract → classify → summarize chain.
        var extractPerSecond: Double
        var languagePerSecond: Double
        var classifyPerSecond: Double
        var summarizePerSecond: Double
        var chainPerSecond: Double
        var chain: LatencySummary

        enum CodingKeys: String, CodingKey {
            case documents, chain
            case averageBytes = "average_bytes"
            case classifierModel = "classifier_model"
            case extractPerSecond = "extract_per_second"
            case languagePerSecond = "language_per_second"
            case classifyPerSecond = "classify_per_second"
            case summarizePerSecond = "summarize_per_second"
            case chainPerSecond = "chain_per_second"
        }
    }

    func run() throws -> Figures? {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() ?? []
        let samples = files.compactMap { name -> (String, Data)? in
            FileManager.default.contents(atPath: "\(folder)/\(name)").map { (name, $0) }
        }
        guard !samples.isEmpty else { return nil }
        let (classify, modelName) = try Self.classifier()
        // Load the language profiles before the clock starts: a worker does that once, at start-up.
        _ = LanguageIdentifier.identify("warming up the language profiles")
        var timings = (extract: UInt64(0), language: UInt64(0), classify: UInt64(0), summarize: UInt64(0))
        var chain: [UInt64] = []
        for _ in 0..<rounds {
            for (name, bytes) in samples {
                let start = DispatchTime.now().uptimeNanoseconds
                let extraction = try DocumentExtractor.extract(bytes: bytes, name: name, contentTypeHint: nil, contentHash: "")
                let extracted = DispatchTime.now().uptimeNanoseconds
                _ = LanguageIdentifier.identify(extraction.text)
                let identified = DispatchTime.now().uptimeNanoseconds
                _ = classify(extraction.text)
                let classified = DispatchTime.now().uptimeNanoseconds
                _ = Summarizer.summarize(extraction.text, sentences: 3, title: extraction.title)
                let summarized = DispatchTime.now().uptimeNanoseconds
                timings.extract += extracted - start
                timings.language += identified - extracted
                timings.classify += classified - identified
                timings.summarize += summarized - classified
                // The chain a document really takes: extraction (which includes language ID), topic, summary.
                chain.append(summarized - start - (identified - extracted))
            }
        }
        let count = Double(chain.count)
        func rate(_ nanos: UInt64) -> Double { nanos == 0 ? 0 : count / (Double(nanos) / 1e9) }
        return Figures(
            documents: chain.count, averageBytes: samples.map(\.1.count).reduce(0, +) / samples.count,
            classifierModel: modelName, extractPerSecond: rate(timings.extract), languagePerSecond: rate(timings.language),
            classifyPerSecond: rate(timings.classify), summarizePerSecond: rate(timings.summarize),
            chainPerSecond: rate(chain.reduce(0, +)), chain: LatencySummary(nanos: chain))
    }

    /// The default model installed next to this executable, else Naive Bayes on docpipe's own passages.
    static func classifier() throws -> ((String) -> TopicPrediction, String) {
        let folder = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
        if let path = folder?.appendingPathComponent("topics-model.json").path,
            let data = FileManager.default.contents(atPath: path) {
            let model = try TrainedClassifier.load(data)
            return (model.classify, model.name)
        }
        let corpus = "plugins/classifier/training/topics.jsonl"
        let text = FileManager.default.contents(atPath: corpus) ?? Data()
        let examples = try String(decoding: text, as: UTF8.self).split(separator: "\n")
            .map { try JSONDecoder().decode(LabeledText.self, from: Data($0.utf8)) }
        let model = TopicClassifier(training: examples)
        return (model.classify, "naive-bayes/topics.jsonl")
    }
}
