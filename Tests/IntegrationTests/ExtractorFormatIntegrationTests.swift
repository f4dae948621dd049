import DocProtocol
import Foundation
import Testing

/// Formats that need the extractor worker itself (PDF through poppler's tools in a subprocess),
/// and clear failures for broken ones, through a real broker and worker.
@Suite(.serialized)
struct ExtractorFormatIntegrationTests {
    static let config = #"{"pipelines": {"extract": {"stages": ["extractor"]}}}"#

    /// A minimal valid PDF 1.4 with one page of text; the xref offsets are computed, not guessed.
    static func pdf(lines: [String], title: String, author: String) -> Data {
        let stream = "BT /F1 12 Tf 72 720 Td 14 TL " + lines.map { "(\($0)) '" }.joined(separator: " ") + " ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Title (\(title)) /Author (\(author)) /CreationDate (D:20240305093000Z) >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (number, body) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(number + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 6 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(pdf.utf8)
    }

    private func startCluster(workerPrefix: [String] = []) throws -> TestCluster {
        let cluster = try TestCluster()
        try cluster.writeBrokerConfig(Self.config)
        try cluster.startBroker()
        if workerPrefix.isEmpty {
            try cluster.startWorker("extractor")
        } else {
            try cluster.start(
                URL(fileURLWithPath: "/usr/bin/env"),
                workerPrefix + [TestPaths.executable("docpipe-extractor").path, "--broker", cluster.endpoint],
                label: "extractor")
        }
        try cluster.waitUntil("extractor registered", timeout: 30) { try cluster.status().workers == 1 }
        return cluster
    }

    private func extract(_ cluster: TestCluster, _ bytes: Data, name: String) throws -> JobStatus {
        let client = try cluster.client()
        let job = try client.submit(SubmitRequest(pipeline: "extract", document: Document(bytes: bytes, name: name)))
            .jobID
        return try client.waitForJob(job, timeoutMs: 60_000)
    }

    @Test(.timeLimit(.minutes(2)))
    func pdfTextAndInfoThroughPoppler() throws {
        let cluster = try startCluster()
        defer { cluster.stop() }
        let pdf = Self.pdf(
            lines: ["Ministers met in Lisbon on 4 April 2024.", "They agreed to expand rail links with Spain."],
            title: "Rail summit", author: "Ana Costa")
        let status = try extract(cluster, pdf, name: "summit.bin")
        #expect(status.state == .done, "\(String(describing: status.error))")
        let result = try #require(status.results["extractor"])
        #expect(result["content_type"]?.stringValue == "application/pdf")
        #expect(result["title"]?.stringValue == "Rail summit")
        #expect(result["author"]?.stringValue == "Ana Costa")
        let text = result["text"]?.stringValue ?? ""
        #expect(text.contains("Ministers met in Lisbon on 4 April 2024."))
        #expect(text.contains("They agreed to expand rail links with Spain."))
        #expect(result["metadata"]?["pages"]?.stringValue == "1")
        #expect(result["language"]?.stringValue == "en")
    }

    @Test(.timeLimit(.minutes(2)))
    func brokenDocumentsFailClearlyAndTheWorkerCarriesOn() throws {
        let cluster = try startCluster()
        defer { cluster.stop() }
        let good = Self.pdf(lines: ["A short page of text."], title: "T", author: "A")
        let cases: [(Data, String, String)] = [
            (Data("%PDF-1.7\n1 0 obj << /Kids [ garbage".utf8), "broken.pdf", "PDF"),
            (good.prefix(good.count / 3), "cut.pdf", "PDF"),
            (
                Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]) + Data(repeating: 0x41, count: 200), "cut.docx",
                "DOCX"
            ),
        ]
        for (bytes, name, format) in cases {
            let status = try extract(cluster, bytes, name: name)
            #expect(status.state == .failed, "\(name) should fail")
            #expect(status.error?.reason == "unreadable_document", "\(name): \(String(describing: status.error))")
            #expect(status.error?.message.contains(format) == true, "\(name): \(status.error?.message ?? "")")
        }
        // Still serving after the failures.
        let after = try extract(
            cluster, Data("From: a@b.c\nSubject: Still here\n\nThe worker is fine.".utf8), name: "m.eml")
        #expect(after.state == .done)
        #expect(after.results["extractor"]?["title"]?.stringValue == "Still here")
    }

    @Test(.timeLimit(.minutes(2)))
    func missingPopplerIsNamedInTheError() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent(
            "no-poppler-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let cluster = try startCluster(workerPrefix: ["DOCPIPE_POPPLER_DIR=\(empty.path)"])
        defer { cluster.stop() }
        let status = try extract(cluster, Self.pdf(lines: ["Text."], title: "T", author: "A"), name: "a.pdf")
        #expect(status.state == .failed)
        #expect(status.error?.reason == "unsupported_format")
        #expect(status.error?.message.contains("poppler-utils") == true, "\(status.error?.message ?? "")")
    }
}
