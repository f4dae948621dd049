import DocProtocol
import Foundation
import Testing

/// A real PDF through poppler's pdftotext in the extractor worker, then the summarizer: lines
/// wrapped at the margin and a hyphenated word come back as whole sentences, and the file's
/// CreationDate is metadata, not a date the text mentions.
@Suite(.serialized)
struct PDFMetadataIntegrationTests {
    static let config = #"{"pipelines": {"read": {"stages": ["extractor", "summarizer"]}}}"#

    @Test(.timeLimit(.minutes(2)))
    func wrappedLinesBecomeWholeSentencesAndFileDatesStayMetadata() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(Self.config)
        try cluster.startBroker()
        try cluster.startWorker("extractor")
        try cluster.startWorker("summarizer")
        try cluster.waitUntil("workers registered", timeout: 30) { try cluster.status().workers == 2 }

        let pdf = ExtractorFormatIntegrationTests.pdf(
            lines: [
                "The harbour authority handled more cargo in 2023 than in any year before, and the",
                "new container terminal, which opened in the spring, was busy from its very first",
                "day. Traffic rose in every month of the year, and this remarkable exam-",
                "ple of growth was noted by ministers at their meeting in the capital city.",
                "The board thanks the staff of the terminal for their work during the year.",
            ],
            title: "Harbour report", author: "Lars Holm")
        let client = try cluster.client()
        let job = try client.submit(SubmitRequest(pipeline: "read", document: Document(bytes: pdf, name: "report.pdf")))
            .jobID
        let status = try client.waitForJob(job, timeoutMs: 60_000)
        #expect(status.state == .done, "\(String(describing: status.error))")

        let extraction = try #require(status.results["extractor"])
        let text = extraction["text"]?.stringValue ?? ""
        #expect(
            text.contains(
                "and the new container terminal, which opened in the spring, was busy from its very first day."),
            "\(text)")
        #expect(text.contains("this remarkable example of growth"), "\(text)")
        #expect(extraction["title"]?.stringValue == "Harbour report")
        #expect(extraction["metadata"]?["created"]?.stringValue?.hasPrefix("2024-03-05") == true)
        let dates = extraction["dates"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(dates == ["2023"])
        let mentions = extraction["date_mentions"]?.arrayValue ?? []
        #expect(mentions.first?["date"]?.stringValue == "2023")
        #expect(mentions.first?["confidence"]?.doubleValue == 0.8)

        let sentences = status.results["summarizer"]?["sentences"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(!sentences.isEmpty)
        for sentence in sentences {
            #expect(
                sentence.first?.isUppercase == true && sentence.hasSuffix("."),
                "a sentence cut at a line wrap: \(sentence)")
        }
    }
}
