import DocumentFormats
import Foundation
import Testing
import TextAnalysis

private func extract(_ bytes: Data, name: String? = nil, hint: String? = nil) throws(ExtractionError) -> Extraction {
    try DocumentExtractor.extract(bytes: bytes, name: name, contentTypeHint: hint, contentHash: "sha256:t")
}

@Suite struct MessageAndTableTests {
    static let multipart = """
        Return-Path: <anna@example.org>
        From: =?UTF-8?Q?Anna_M=C3=BCller?= <anna@example.org>
        To: team@example.org
        Cc: Bob <bob@example.org>
        Subject: =?UTF-8?B?UmVwb3J0OiBUcmFkZSB0YWxrcyBpbiBHZW5ldmE=?=
        Date: Tue, 5 Mar 2024 10:15:00 +0100
        Message-ID: <abc123@example.org>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        This is a multi-part message in MIME format.
        --outer
        Content-Type: multipart/alternative; boundary=inner

        --inner
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        The trade talks in Geneva resumed on Monday. Delegates from Japan and Canada =
        met for six hours =E2=80=94 longer than planned.
        --inner
        Content-Type: text/html; charset=utf-8

        <p>HTML copy that must not be used when plain text exists.</p>
        --inner--
        --outer
        Content-Type: text/plain; charset=iso-8859-1
        Content-Transfer-Encoding: base64

        TmV4dCBtZWV0aW5nIGluIFr8cmljaC4=
        --outer
        Content-Type: application/pdf; name="agenda.pdf"
        Content-Disposition: attachment; filename="agenda.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --outer--
        """

    @Test func multipartEmail() throws {
        let bytes = Data(Self.multipart.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let extraction = try extract(bytes, name: "message.eml")
        #expect(extraction.contentType == "message/rfc822")
        #expect(extraction.title == "Report: Trade talks in Geneva")
        #expect(extraction.author == "Anna Müller")
        #expect(
            extraction.text
                == "The trade talks in Geneva resumed on Monday. Delegates from Japan and Canada met for six hours — longer than planned.\n\nNext meeting in Zürich."
        )
        #expect(extraction.dates.first == "2024-03-05")
        #expect(extraction.metadata["to"] == "team@example.org")
        #expect(extraction.metadata["cc"] == "Bob <bob@example.org>")
        #expect(extraction.metadata["message_id"] == "<abc123@example.org>")
        #expect(extraction.metadata["attachments"] == "agenda.pdf")
        #expect(extraction.entities.contains { $0.text == "Geneva" })
    }

    @Test func emailDetectedWithoutName() throws {
        let message =
            "From: a@b.c\nTo: d@e.f\nSubject: Lunch\nDate: 1 Jun 2023 12:00:00 +0000\n\nSee you at noon in the canteen today.\n"
        #expect(ContentTypeDetector.detect(bytes: Data(message.utf8), name: nil, hint: nil) == .email)
        let extraction = try extract(Data(message.utf8))
        #expect(extraction.title == "Lunch")
        #expect(extraction.author == "a@b.c")
        #expect(extraction.text == "See you at noon in the canteen today.")
        // Prose that merely mentions "From:" is not a message.
        let prose = "From: the editors\nWe are glad to present the new issue of the journal.\n"
        #expect(ContentTypeDetector.detect(bytes: Data(prose.utf8), name: nil, hint: nil) == .plainText)
    }

    @Test func htmlOnlyEmailAndBrokenMessage() throws {
        let html =
            "From: x@y.z\nSubject: News\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Only <b>HTML</b> here.</p></body></html>"
        #expect(try extract(Data(html.utf8), name: "a.eml").text == "Only HTML here.")
        #expect(throws: ExtractionError.malformed(format: "e-mail", detail: "no From, Subject or Date header")) {
            try extract(Data("just some words without headers".utf8), name: "broken.eml")
        }
        // A multipart with no closing boundary and an endless nesting claim still ends.
        let unterminated =
            "From: a@b.c\nSubject: S\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nKept text here.\n"
        #expect(try extract(Data(unterminated.utf8)).text == "Kept text here.")
    }

    @Test func csvWithQuotesAndHeader() throws {
        let csv =
            "city,country,note\nBerlin,Germany,\"Capital, and largest city\"\n\"Porto\",Portugal,\"He said \"\"hi\"\"\nthen left\"\n"
        let extraction = try extract(Data(csv.utf8), name: "cities.csv")
        #expect(extraction.contentType == "text/csv")
        #expect(
            extraction.text
                == "city | country | note\nBerlin | Germany | Capital, and largest city\nPorto | Portugal | He said \"hi\"\nthen left"
        )
        #expect(extraction.metadata["columns"] == "city, country, note")
        #expect(extraction.metadata["rows"] == "2")
        #expect(extraction.entities.contains { $0.text == "Germany" })
        let semicolons = try extract(Data("a;b\n1;2\n3;4\n".utf8), hint: "text/csv")
        #expect(semicolons.metadata["delimiter"] == ";")
        #expect(semicolons.text == "a | b\n1 | 2\n3 | 4")
    }

    @Test func rtfTextInfoAndEscapes() throws {
        let rtf = #"""
            {\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Helvetica;}}{\colortbl;\red255\green0\blue0;}
            {\info{\title Council vote in Vienna}{\author Maria Gruber}{\creatim\yr2022\mo6\dy14\hr9\min30}}
            {\*\generator Test 1.0;}\pard\plain\f0 The council in Vienna voted on Tuesday.\par
            Prices fell by 5\'80 per ton \endash\~a caf\'e9 owner said \u8220?fine\u8221?.\par
            {\field{\*\fldinst HYPERLINK "http://hidden.example"}{\fldrslt visible link}}\par
            Braces \{ and \} and a backslash \\.\par}
            """#
        let extraction = try extract(Data(rtf.utf8))
        #expect(extraction.contentType == "application/rtf")
        #expect(extraction.title == "Council vote in Vienna")
        #expect(extraction.author == "Maria Gruber")
        #expect(extraction.dates.isEmpty)
        #expect(extraction.metadata["created"] == "2022-06-14")
        #expect(
            extraction.text
                == "The council in Vienna voted on Tuesday.\n\nPrices fell by 5€ per ton –\u{00A0}a café owner said “fine”.\n\nvisible link\n\nBraces { and } and a backslash \\."
        )
        #expect(throws: ExtractionError.self) { try RTFText.content(of: "not rtf") }
        // Deep nesting and a cut-off file end without a crash.
        let deep = "{\\rtf1 " + String(repeating: "{", count: 50_000) + "deep text"
        #expect(try extract(Data(deep.utf8)).text == "deep text")
    }

    @Test func pdfIsDetectedAndLeftToTheWorker() throws {
        let pdf = Data("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".utf8)
        #expect(ContentTypeDetector.detect(bytes: pdf, name: "a.txt", hint: nil) == .pdf)
        #expect(ContentTypeDetector.detect(bytes: Data("junk\n".utf8) + pdf, name: nil, hint: nil) == .pdf)
        do {
            _ = try extract(pdf)
            Issue.record("expected unsupported")
        } catch {
            guard case .unsupported = error else {
                Issue.record("wrong error \(error)")
                return
            }
        }
    }

    @Test func pdfToolOutputBecomesContent() throws {
        let info = """
            Title:           Annual report 2023
            Author:          Jane Roe
            Creator:         Writer
            Producer:        LibreOffice 7.5
            CreationDate:    2024-01-15T10:00:00+01
            Pages:           2
            Encrypted:       no
            Keywords:
            """
        let content = try PDFText.content(text: "First page text.\n\u{0C}Second page text.\n\u{0C}", info: info)
        #expect(content.text == "First page text.\n\nSecond page text.")
        #expect(content.title == "Annual report 2023")
        #expect(content.author == "Jane Roe")
        #expect(content.metadata["pages"] == "2")
        #expect(content.metadata["keywords"] == nil)
        let extraction = try DocumentExtractor.analyze(content, kind: .pdf, contentHash: "h")
        #expect(extraction.contentType == "application/pdf")
        #expect(extraction.dates.isEmpty) // CreationDate is the file's date, not one the text mentions
        #expect(extraction.metadata["created"] == "2024-01-15T10:00:00+01")
        #expect(throws: ExtractionError.empty) { try PDFText.content(text: "\u{0C}\n \u{0C}", info: "") }
    }
}
