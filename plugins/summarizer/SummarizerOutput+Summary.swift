import DocProtocol
import TextAnalysis

/// The summarizer answers with DocProtocol's `SummarizerOutput`, the type the storage writer decodes;
/// TextAnalysis keeps its own `Summary` (it knows nothing of the protocol).
extension SummarizerOutput {
    init(_ summary: Summary) {
        self.init(
            summary: summary.summary, sentences: summary.sentences, keywords: summary.keywords,
            method: summary.method)
    }
}
