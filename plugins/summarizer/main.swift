import DocProtocol
import Foundation
import TextAnalysis
import WorkerKit

/// Extractive summary (TextRank) of a few sentences, plus keywords.
struct SummarizerWorker: DocpipeWorker {
    let service = "summarizer"
    let sentences: Int

    func process(_ request: StageRequest) async throws -> JSONValue {
        let extracted = try request.output(of: ExtractorOutput.self)
        let text = extracted?.text ?? request.rawText
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StageFailure(
                .unprocessable, reason: "no_text", message: "no text to summarize (did the extractor run?)")
        }
        let title = extracted?.title
        let metadata = request.document.metadata
        let wanted = Int(metadata["summary_sentences"] ?? "") ?? sentences
        // summary_ratio (0–1) asks for a share of the text's sentences instead of a count.
        let ratio = Double(metadata["summary_ratio"] ?? "").flatMap { $0 > 0 && $0 <= 1 ? $0 : nil }
        let summary = Summarizer.summarize(text, sentences: max(1, min(wanted, 10)), ratio: ratio, title: title)
        return try JSONValue(encoding: SummarizerOutput(summary))
    }
}

await WorkerRunner.main(summary: "docpipe summarizer: picks the most central sentences (TextRank) and keywords.") {
    _ in SummarizerWorker(sentences: 3)
}
