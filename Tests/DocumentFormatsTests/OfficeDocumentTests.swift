import DocumentFormats
import Foundation
import Testing
import TextAnalysis

private func extract(_ bytes: Data, name: String? = nil, limits: ArchiveLimits = .standard) throws(ExtractionError)
    -> Extraction
{
    try DocumentExtractor.extract(
        bytes: bytes, name: name, contentTypeHint: nil, contentHash: "sha256:t", limits: limits)
}

@Suite struct OfficeDocumentTests {
    static let paragraphs = [
        "The board of Nordwind Energy met in Hamburg on 12 February 2024.",
        "Revenue rose by a tenth, and the company plans two new wind parks in Denmark.",
    ]

    @Test func docxTextAndCoreProperties() throws {
        let extraction = try extract(try DocumentFixtures.docx(paragraphs: Self.paragraphs), name: "report.bin")
        #expect(extraction.contentType == ContentKind.docx.rawValue)
        #expect(extraction.title == "Quarterly outlook")
        #expect(extraction.author == "Erika Musterfrau")
        #expect(extraction.text.hasPrefix(Self.paragraphs[0] + "\n\n" + Self.paragraphs[1]))
        #expect(extraction.text.contains("Split run\tafter tab & more."))
        #expect(extraction.text.hasSuffix("Cell one"))
        #expect(!extraction.text.contains("HYPERLINK"))
        // The file's creation date is metadata, not a date the text mentions.
        #expect(extraction.dates == ["2024-02-12"])
        #expect(extraction.metadata["created"] == "2024-03-05T09:30:00Z")
        #expect(extraction.metadata["modified"] == "2024-04-01T12:00:00Z")
        #expect(extraction.language == "en")
        #expect(extraction.entities.contains { $0.text == "Hamburg" })
    }

    @Test func odtTextAndMeta() throws {
        let extraction = try extract(try DocumentFixtures.odt(paragraphs: Self.paragraphs))
        #expect(extraction.contentType == ContentKind.odt.rawValue)
        #expect(extraction.title == "Harbour plans")
        #expect(extraction.author == "Lars Holm")
        #expect(extraction.text.hasPrefix("Harbour expansion approved\n\n" + Self.paragraphs[0]))
        #expect(extraction.text.hasSuffix("Two   spaces\tand a span."))
        #expect(extraction.dates == ["2024-02-12"])
        #expect(extraction.metadata["created"] == "2023-11-20T08:00:00")
        #expect(extraction.metadata["modified"] == "2023-12-01T10:00:00")
    }

    @Test func detectionByContainerNotName() throws {
        let docx = try DocumentFixtures.docx(paragraphs: ["Text."])
        #expect(ContentTypeDetector.detect(bytes: docx, name: "x.txt", hint: "text/plain") == .docx)
        let odt = try DocumentFixtures.odt(paragraphs: ["Text."])
        #expect(ContentTypeDetector.detect(bytes: odt, name: "x.docx", hint: nil) == .odt)
        let plainZip = try DocumentFixtures.zip([("notes.txt", "hello")])
        #expect(ContentTypeDetector.detect(bytes: plainZip, name: "x.zip", hint: nil) == .binary)
        #expect(throws: ExtractionError.binary("a ZIP archive")) { try extract(plainZip) }
        let xlsx = try DocumentFixtures.zip([
            ("[Content_Types].xml", DocumentFixtures.contentTypes), ("xl/workbook.xml", "<w/>"),
        ])
        do {
            _ = try extract(xlsx, name: "book.xlsx")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("XLSX"))
        }
    }

    @Test func docxWithoutBodyIsMalformed() throws {
        let broken = try DocumentFixtures.zip([
            ("[Content_Types].xml", DocumentFixtures.contentTypes), ("word/document.xml", ""),
        ])
        #expect(throws: ExtractionError.empty) { try extract(broken) }
        let noBody = try DocumentFixtures.zip([("[Content_Types].xml", DocumentFixtures.contentTypes)])
        // Without word/document.xml the zip is not recognised as Word; the name says it was meant to be.
        #expect(throws: ExtractionError.binary("a ZIP archive")) { try extract(noBody, name: "x.docx") }
        #expect(throws: ExtractionError.malformed(format: "DOCX", detail: "word/document.xml is missing")) {
            try OfficeDocumentText.docx(noBody)
        }
    }

    @Test func xmlEntitiesAndDoctypeAreNotExpanded() throws {
        let document = """
            <?xml version="1.0"?><!DOCTYPE w [<!ENTITY lol "lollollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
            <w:document><w:body><w:p><w:r><w:t>Safe &lol2; text &#233;t&#xE9; &lt;ok&gt;.</w:t></w:r></w:p></w:body></w:document>
            """
        let docx = try DocumentFixtures.zip([
            ("[Content_Types].xml", DocumentFixtures.contentTypes), ("word/document.xml", document),
        ])
        let extraction = try extract(docx)
        #expect(extraction.text == "Safe &lol2; text été <ok>.")
    }
}
