import DocProtocol
import Foundation
import TextAnalysis
import WorkerKit

/// Extractive summary (TextRank) of a few sentences, plus keywords.
struct SummarizerWorker: DocpipeWorker {
    let service = "summarizer"
    let sentences: Int

    func process(_ request: StageRequest) async throws -> JSONValue {
        let text = request.text
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StageFailure(.unprocessable, reason: "no_text", message: "no text to summarize (did the extractor run?)")
        }
        let title = request.results["extractor"]?["title"]?.stringValue
        let wanted = Int(request.document.metadata["summary_sentences"] ?? "") ?? sentences
        return try StageOutput.encode(Summarizer.summarize(text, sentences: max(1, min(wanted, 10)), title: title))
    }
}

await WorkerRunner.main(summary: "docpipe summarizer: picks the most central sentences (TextRank) and keywords.") {
    _ in SummarizerWorker(sentences: 3)
}
