import DocProtocol
import DocumentFormats
import TextAnalysis

/// The extractor's answer is DocProtocol's `ExtractorOutput`, the type every later stage decodes; the
/// analysis libraries keep their own `Extraction` (they know nothing of the protocol), and this is the one
/// place the two meet. Field for field, so the wire JSON is what the extractor has always sent.
extension ExtractorOutput {
    init(_ extraction: Extraction) {
        self.init(
            contentType: extraction.contentType, text: extraction.text, title: extraction.title,
            source: extraction.source, author: extraction.author, language: extraction.language,
            wordCount: extraction.wordCount, sentenceCount: extraction.sentenceCount, dates: extraction.dates,
            dateMentions: extraction.dateMentions?.map { DateMention(date: $0.date, confidence: $0.confidence) },
            entities: extraction.entities.map { Entity(text: $0.text, type: EntityType($0.type), count: $0.count) },
            contentHash: extraction.contentHash, metadata: extraction.metadata,
            ocr: extraction.ocr.map {
                OCR(
                    engine: $0.engine, languages: $0.languages, meanConfidence: $0.meanConfidence, pages: $0.pages,
                    words: $0.words, pagesSkipped: $0.pagesSkipped)
            })
    }
}

extension ExtractorOutput.EntityType {
    /// A switch rather than `rawValue`, so a kind added to TextAnalysis fails to compile here instead of
    /// quietly turning into `other`.
    init(_ type: TextAnalysis.EntityType) {
        switch type {
        case .person: self = .person
        case .organization: self = .organization
        case .place: self = .place
        case .other: self = .other
        }
    }
}
