import DocumentFormats
import Foundation
import TextAnalysis
import WorkerKit

/// The per-document cost of the built-in workers' analysis, in process and on one core: what a
/// worker spends on a document besides the network. Runs over the sample documents in seeds/
/// (news articles, 1.5–3 KB), repeated; the classifier uses the installed default model when the
/// bench binary has one next to it, else the built-in corpus, and says which. Then one large
/// plain-text document (the .txt seeds repeated to `largeBytes`) through the extractor once: the
/// check that extraction, sentence splitting and entities stay linear in the document's size.
struct TextAnalysisBenchmark {
    var rounds: Int
    var folder = "seeds"
    var largeBytes = 5 * 1024 * 1024
    var hugeBytes = 50 * 1024 * 1024

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
        /// One plain-text document of `largeTextBytes` through `DocumentExtractor.extract`, in seconds.
        var largeTextBytes: Int
        var largeTextSeconds: Double
        /// The same for `hugeTextBytes` (counts cover all of it; dates and entities its first megabyte).
        var hugeTextBytes: Int
        var hugeTextSeconds: Double

        enum CodingKeys: String, CodingKey {
            case documents, chain
            case largeTextBytes = "large_text_bytes"
            case largeTextSeconds = "large_text_seconds"
            case hugeTextBytes = "huge_text_bytes"
            case hugeTextSeconds = "huge_text_seconds"
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
        // Load the language profiles before the clock starts, where the extractor worker finds them: a worker
        // does that once, at start-up.
        let languages = LanguageIdentifier(
            table: InstalledModelFile.locate(
                NGramTableFile.fileName, environmentVariable: NGramTableFile.environmentVariable),
            profiles: InstalledModelFile.locate(
                NGramProfileFile.fileName, environmentVariable: NGramProfileFile.environmentVariable))
        let names = PersonNames(
            located: InstalledModelFile.locate(
                PersonNames.fileName, environmentVariable: PersonNames.environmentVariable))
        var timings = (extract: UInt64(0), language: UInt64(0), classify: UInt64(0), summarize: UInt64(0))
        var chain: [UInt64] = []
        for _ in 0..<rounds {
            for (name, bytes) in samples {
                let start = DispatchTime.now().uptimeNanoseconds
                let extraction = try DocumentExtractor.extract(
                    bytes: bytes, name: name, contentTypeHint: nil, contentHash: "", languages: languages, names: names)
                let extracted = DispatchTime.now().uptimeNanoseconds
                _ = languages.identify(extraction.text)
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
        let plain = samples.filter { $0.0.hasSuffix(".txt") }
        let prose = (plain.isEmpty ? samples : plain).map(\.1)
        let large = Self.largeText(from: prose, bytes: largeBytes)
        let largeSeconds = try Self.secondsToExtract(large, languages: languages, names: names)
        let huge = Self.largeText(from: prose, bytes: hugeBytes)
        let hugeSeconds = try Self.secondsToExtract(huge, languages: languages, names: names)
        return Figures(
            documents: chain.count, averageBytes: samples.map(\.1.count).reduce(0, +) / samples.count,
            classifierModel: modelName, extractPerSecond: rate(timings.extract),
            languagePerSecond: rate(timings.language),
            classifyPerSecond: rate(timings.classify), summarizePerSecond: rate(timings.summarize),
            chainPerSecond: rate(chain.reduce(0, +)), chain: LatencySummary(nanos: chain),
            largeTextBytes: large.count, largeTextSeconds: largeSeconds, hugeTextBytes: huge.count,
            hugeTextSeconds: hugeSeconds)
    }

    /// One plain-text document through the extractor, timed.
    static func secondsToExtract(_ text: Data, languages: LanguageIdentifier, names: PersonNames) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try DocumentExtractor.extract(
            bytes: text, name: "large.txt", contentTypeHint: nil, contentHash: "", languages: languages, names: names)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The samples' text repeated with blank lines between them up to `bytes`: real prose with
    /// names and dates, the shape of a long report. (With the Markdown seed in it the content
    /// sniffer would read the whole as Markdown.)
    static func largeText(from samples: [Data], bytes: Int) -> Data {
        let prose = samples.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n\n") + "\n\n"
        var text = Data()
        text.reserveCapacity(bytes + prose.utf8.count)
        while text.count < bytes { text.append(contentsOf: prose.utf8) }
        return text.prefix(bytes)
    }

    /// The default model installed next to this executable, else Naive Bayes on docpipe's own passages.
    static func classifier() throws -> ((String) -> TopicPrediction, String) {
        if let path = InstalledModelFile.besideExecutable("topics-model.json")?.path,
            let data = FileManager.default.contents(atPath: path)
        {
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
