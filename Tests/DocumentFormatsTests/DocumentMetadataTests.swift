import DocumentFormats
import Foundation
import Testing
import TextAnalysis

private func extract(_ bytes: Data, name: String? = nil) throws(ExtractionError) -> Extraction {
    try DocumentExtractor.extract(bytes: bytes, name: name, contentTypeHint: nil, contentHash: "sha256:t")
}

/// Office files as users save them: no title property, headings typed in, a creation date
/// inherited from the template.
private enum UntitledOffice {
    static let wordNamespace = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

    static func docx(
        paragraphs: [(style: String?, text: String)], styles: String?, created: String = "2012-01-10T08:00:00Z"
    )
        throws -> Data
    {
        let body = paragraphs.map { paragraph in
            let properties = paragraph.style.map { "<w:pPr><w:pStyle w:val=\"\($0)\"/></w:pPr>" } ?? ""
            return "<w:p>\(properties)<w:r><w:t xml:space=\"preserve\">\(paragraph.text)</w:t></w:r></w:p>"
        }.joined()
        let document = "<?xml version=\"1.0\"?><w:document \(wordNamespace)><w:body>\(body)</w:body></w:document>"
        let core = """
            <?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title></dc:title>\
            <dc:creator>Template Author</dc:creator><dcterms:created>\(created)</dcterms:created>\
            <dcterms:modified>2024-05-02T16:20:00Z</dcterms:modified></cp:coreProperties>
            """
        var parts = [
            ("[Content_Types].xml", DocumentFixtures.contentTypes), ("word/document.xml", document),
            ("docProps/core.xml", core),
        ]
        if let styles {
            parts.append(("word/styles.xml", "<?xml version=\"1.0\"?><w:styles \(wordNamespace)>\(styles)</w:styles>"))
        }
        return try DocumentFixtures.zip(parts)
    }

    /// German Word: style ids are localised, the built-in names are not.
    static let germanStyles = """
        <w:style w:type="paragraph" w:styleId="Standard"><w:name w:val="Normal"/></w:style>\
        <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Standard"/>\
        <w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>\
        <w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style>\
        <w:style w:type="paragraph" w:styleId="Hausstil"><w:name w:val="House heading"/><w:basedOn w:val="berschrift1"/></w:style>
        """

    static func odt(body: String, automaticStyles: String = "", title: String? = nil) throws -> Data {
        let content = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" \
            xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">\
            <office:automatic-styles>\(automaticStyles)</office:automatic-styles>\
            <office:body><office:text>\(body)</office:text></office:body></office:document-content>
            """
        let meta = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\
            <office:meta>\(title.map { "<dc:title>\($0)</dc:title>" } ?? "")\
            <meta:creation-date>2011-06-01T09:00:00</meta:creation-date><dc:date>2024-02-20T11:00:00</dc:date>\
            </office:meta></office:document-meta>
            """
        return try DocumentFixtures.zip([
            ("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", content), ("meta.xml", meta),
        ])
    }
}

@Suite struct DocumentMetadataTests {
    // MARK: titles from headings

    @Test func docxTitleFromFirstTopHeadingThroughLocalisedStyles() throws {
        let docx = try UntitledOffice.docx(
            paragraphs: [
                ("Standard", "Entwurf, nur intern"),
                ("berschrift2", "Vorbemerkung"),
                ("berschrift1", "Haushalt des Hafens 2025"),
                ("Standard", "Der Hafen von Kiel plant für 2025 höhere Ausgaben."),
                ("berschrift1", "Anhang"),
            ],
            styles: UntitledOffice.germanStyles)
        let extraction = try extract(docx)
        #expect(extraction.title == "Haushalt des Hafens 2025")
        // A style based on a heading style is a heading too.
        let house = try UntitledOffice.docx(
            paragraphs: [("Standard", "Body."), ("Hausstil", "Harbour plan")], styles: UntitledOffice.germanStyles)
        #expect(try extract(house).title == "Harbour plan")
    }

    @Test func docxTitleStyleWinsAndWorksWithoutStylesPart() throws {
        let docx = try UntitledOffice.docx(
            paragraphs: [("Heading1", "Summary"), ("Title", "Rail links to Spain"), (nil, "Ministers met in Lisbon.")],
            styles: nil)
        #expect(try extract(docx).title == "Rail links to Spain")
        let plain = try UntitledOffice.docx(
            paragraphs: [(nil, "Only body text here."), (nil, "More text.")], styles: nil)
        #expect(try extract(plain).title == nil)
    }

    @Test func docxCorePropertyTitleStillComesFirst() throws {
        let extraction = try extract(try DocumentFixtures.docx(paragraphs: ["Some text."]))
        #expect(extraction.title == "Quarterly outlook")
    }

    @Test func odtTitleFromHeadingOrTitleParagraph() throws {
        let headings = try UntitledOffice.odt(
            body: """
                <text:p text:style-name="P1">Draft</text:p>\
                <text:h text:outline-level="1">Harbour <text:span>expansion</text:span> approved</text:h>\
                <text:p>The harbour board approved the expansion.</text:p>\
                <text:h text:outline-level="1">Costs</text:h>
                """)
        #expect(try extract(headings).title == "Harbour expansion approved")
        // A Title paragraph, here through an automatic style, outranks headings.
        let titled = try UntitledOffice.odt(
            body: """
                <text:h text:outline-level="1">Background</text:h>\
                <text:p text:style-name="P7">Ferry timetable<text:s/>for winter</text:p><text:p>Ferries run less often.</text:p>
                """,
            automaticStyles: #"<style:style style:name="P7" style:family="paragraph" style:parent-style-name="Title"/>"#
        )
        #expect(try extract(titled).title == "Ferry timetable for winter")
        let named = try UntitledOffice.odt(
            body: #"<text:h text:outline-level="1">Heading</text:h><text:p>Body.</text:p>"#, title: "Meta title")
        #expect(try extract(named).title == "Meta title")
    }

    // MARK: RTF \info

    @Test func rtfTitleFromInfoGroupAsWordAndTextEditWriteIt() throws {
        let word = #"""
            {\rtf1\ansi\ansicpg1252\uc1\deff0\nouicompat{\fonttbl{\f0\fnil\fcharset0 Calibri;}}
            {\*\generator Riched20 10.0.19041}{\info{\title Harbour board minutes}{\author Lars Holm}{\operator Lars Holm}
            {\creatim\yr2013\mo2\dy1\hr8\min0}{\revtim\yr2024\mo3\dy5\hr9\min30}{\version2}{\edmins3}{\nofpages1}
            {\*\company Kiel Harbour}}\viewkind4\pard\sa200\sl276\slmult1\f0\fs22 The board met on Tuesday.\par
            }
            """#
        let extraction = try extract(Data(word.utf8), name: "minutes.rtf")
        #expect(extraction.title == "Harbour board minutes")
        #expect(extraction.author == "Lars Holm")
        #expect(extraction.metadata["company"] == "Kiel Harbour")
        #expect(extraction.text == "The board met on Tuesday.")
        let textEdit =
            "{\\rtf1\\ansi\\ansicpg1252\\cocoartf2639\n\\cocoatextscaling0\\cocoaplatform0"
            + "{\\fonttbl\\f0\\fswiss\\fcharset0 Helvetica;}\n{\\colortbl;\\red255\\green255\\blue255;}\n"
            + "{\\*\\expandedcolortbl;;}\n{\\info\n{\\title Caf\\'e9 r\\uc0\\u233 sum\\u233 }\n{\\author Ana Costa}}"
            + "\\paperw11900\\paperh16840\\margl1440\\margr1440\\vieww11520\\viewh8400\\viewkind0\n"
            + "\\pard\\tx566\\pardirnatural\\partightenfactor0\n\n\\f0\\fs24 \\cf0 Menu for the week.}"
        let mac = try extract(Data(textEdit.utf8))
        #expect(mac.title == "Café résumé")
        #expect(mac.author == "Ana Costa")
        #expect(mac.text == "Menu for the week.")
        // Runs wrapped in groups inside the title are still the title, not body text; an empty
        // title is no title.
        let wrapped = #"{\rtf1{\info{\title {\lang1033 Budget} {\b plan} 2025}{\author }}\pard Body text.\par}"#
        let nested = try extract(Data(wrapped.utf8))
        #expect(nested.title == "Budget plan 2025")
        #expect(nested.author == nil)
        #expect(nested.text == "Body text.")
    }

    // MARK: dates: the text's, and the file's

    @Test func fileDatesAreMetadataNotMentions() throws {
        let docx = try UntitledOffice.docx(
            paragraphs: [("Heading1", "Annual report 2024"), (nil, "Sales grew in March 2024 as 2000 stores opened.")],
            styles: nil)
        let extraction = try extract(docx)
        #expect(extraction.metadata["created"] == "2012-01-10T08:00:00Z")
        #expect(extraction.metadata["modified"] == "2024-05-02T16:20:00Z")
        #expect(!extraction.dates.contains("2012-01-10"))
        #expect(!extraction.dates.contains("2024-05-02"))
        #expect(extraction.dates == ["2024-03"])

        let odt = try UntitledOffice.odt(body: "<text:p>The ferry timetable for 2025 is out.</text:p>")
        let odtExtraction = try extract(odt)
        #expect(odtExtraction.dates == ["2025"])
        #expect(odtExtraction.metadata["created"] == "2011-06-01T09:00:00")

        let rtf = #"{\rtf1{\info{\creatim\yr2009\mo1\dy2}{\revtim\yr2024\mo1\dy3}}Nothing dated here.\par}"#
        let rtfExtraction = try extract(Data(rtf.utf8))
        #expect(rtfExtraction.dates.isEmpty)
        #expect(rtfExtraction.metadata["created"] == "2009-01-02")
        #expect(rtfExtraction.metadata["modified"] == "2024-01-03")
    }

    @Test func bareYearsAreDatesWithLowerConfidence() throws {
        let text = """
            Annual report 2026

            The fund, founded in 1997, grew on 5 March 2024 and again in June 2025. 2023 was a weak year.
            It paid $2019 per share to 2000 investors, shipped 1950 km of cable and wrote 2021 pages. Ref 10.2022 stays out.
            """
        let mentions = DateExtractor.mentions(in: text)
        #expect(mentions.map(\.date) == ["2026", "1997", "2024-03-05", "2025-06", "2023"])
        let confidence = Dictionary(uniqueKeysWithValues: mentions.map { ($0.date, $0.confidence) })
        #expect(confidence["2024-03-05"]! > confidence["2025-06"]!)
        #expect(confidence["2025-06"]! > confidence["1997"]!)
        #expect(confidence["1997"]! > confidence["2026"]!)
        #expect(confidence["2026"]! == confidence["2023"]!)
        // A bare year already given more fully is not listed again; one in a year context is.
        #expect(DateExtractor.dates(in: "Talks resume in June 2025. 2025 will be busy.") == ["2025-06"])
        #expect(DateExtractor.dates(in: "In June 2025 they met. Since 2025 the line runs.") == ["2025-06", "2025"])
        #expect(DateExtractor.dates(in: "The 2019-2022 plan; flight 2022-1999 is not one.") == ["2019", "2022"])
    }

    @Test func extractionCarriesDateMentionsInTheOrderOfDates() throws {
        let extraction = try extract(
            Data("Budget 2026\n\nThe council met on 4 April 2024 to plan until 2026.\n".utf8), name: "a.txt")
        #expect(extraction.dates == ["2026", "2024-04-04"])
        #expect(extraction.dateMentions?.map(\.date) == extraction.dates)
        #expect(extraction.dateMentions?.first?.confidence == 0.8) // "until 2026" outranks the bare heading year
    }

    // MARK: PDF line wraps

    static let pdftotextOutput = """
        Annual Report
        1 Introduction
        The harbour authority handled more cargo than in any previous year, and the new
        container terminal, which opened in the spring, was busy from the first day. This exam-
        ple of growth is well-known in the region, and the well-
        known figures are repeated here.
        The board thanks the staff.

        Highlights are:
        • more cargo
        • fewer accidents
        Revenue rose by a tenth as the terminal operator, Nordwind Logistics, moved its
        \u{0C}
        ships from Hamburg to the new quays over the summer.
        \u{0C}
        """

    @Test func pdfLinesAreReflowedBeforeSentenceSplitting() throws {
        let info =
            "Title:   Annual Report\nCreationDate:    2019-02-01T10:00:00+01\nModDate:   2024-01-15T10:00:00+01\n"
        let content = try PDFText.content(text: Self.pdftotextOutput, info: info)
        #expect(
            content.text == """
                Annual Report
                1 Introduction
                The harbour authority handled more cargo than in any previous year, and the new container terminal, \
                which opened in the spring, was busy from the first day. This example of growth is well-known in the \
                region, and the well-known figures are repeated here.
                The board thanks the staff.

                Highlights are:
                • more cargo
                • fewer accidents
                Revenue rose by a tenth as the terminal operator, Nordwind Logistics, moved its ships from Hamburg to \
                the new quays over the summer.
                """)
        let sentences = SentenceSplitter.split(content.text)
        #expect(
            sentences.contains(
                "The harbour authority handled more cargo than in any previous year, and the new container terminal, "
                    + "which opened in the spring, was busy from the first day."))
        #expect(
            sentences.contains(
                "This example of growth is well-known in the region, and the well-known figures are repeated here."))
        #expect(sentences.contains("1 Introduction"))
        let extraction = try DocumentExtractor.analyze(content, kind: .pdf, contentHash: "h")
        #expect(extraction.metadata["created"] == "2019-02-01T10:00:00+01")
        #expect(extraction.metadata["modified"] == "2024-01-15T10:00:00+01")
        #expect(extraction.dates.isEmpty)
    }

    @Test func pdfPageNumbersDoNotLandInsideSentences() throws {
        let text =
            "The ferry runs twice a day in\n\n12\n\u{0C}Page 13 of 40\nwinter and hourly in summer.\n- 13 -\n\u{0C}"
        #expect(
            try PDFText.content(text: text, info: "").text
                == "The ferry runs twice a day in winter and hourly in summer.")
    }

    @Test func placeholderTitlePropertiesGiveWayToHeadings() throws {
        let info = "Title:   Microsoft Word - harbour-minutes.docx\nPages: 1\n"
        #expect(try PDFText.content(text: "Minutes of the board.", info: info).title == "harbour-minutes")
        #expect(try PDFText.content(text: "Text.", info: "Title:   Untitled\n").title == nil)
        let odt = try UntitledOffice.odt(
            body: #"<text:h text:outline-level="1">Ferry timetable</text:h><text:p>Body.</text:p>"#, title: "Document1")
        #expect(try extract(odt).title == "Ferry timetable")
        let rtf = #"{\rtf1{\info{\title Untitled}}\pard Body.\par}"#
        #expect(try extract(Data(rtf.utf8)).title == nil)
    }

    @Test func docxTableOfContentsHeadingIsNotTheTitle() throws {
        let styles =
            UntitledOffice.germanStyles + """
                <w:style w:type="paragraph" w:styleId="Inhaltsverzeichnisberschrift"><w:name w:val="TOC Heading"/>\
                <w:basedOn w:val="berschrift1"/></w:style>
                """
        let docx = try UntitledOffice.docx(
            paragraphs: [
                ("Inhaltsverzeichnisberschrift", "Inhalt"), ("berschrift1", "Haushalt 2025"), ("Standard", "Text."),
            ],
            styles: styles)
        #expect(try extract(docx).title == "Haushalt 2025")
    }

    @Test func pdfReflowKeepsRealBreaksAndPages() throws {
        // Two pages that each end a sentence stay two paragraphs; an uppercase continuation
        // after a hyphen ("Anglo-Saxon") keeps its hyphen.
        let text = "First page ends here.\n\u{0C}Second page starts. The Anglo-\nSaxon chronicle is old.\n\u{0C}"
        let content = try PDFText.content(text: text, info: "")
        #expect(content.text == "First page ends here.\n\nSecond page starts. The Anglo-Saxon chronicle is old.")
    }
}

extension DocumentMetadataTests {
    /// Every page ending mid-sentence joins them all into one paragraph; that must stay linear.
    @Test func pdfReflowIsLinearWhenEveryPageRunsOn() throws {
        let line = "the committee reviewed the proposal in detail and agreed to continue the work on"
        let page = Array(repeating: line, count: 40).joined(separator: "\n")
        let text = Array(repeating: page, count: 1_500).joined(separator: "\n\u{0C}") // about 5 MB
        let clock = ContinuousClock()
        let started = clock.now
        let content = try PDFText.content(text: text, info: "")
        #expect(clock.now - started < .seconds(60)) // about 4 s in a debug build; quadratic joins took minutes
        #expect(!content.text.contains("\n"))
        #expect(content.text.utf8.count == text.utf8.count - 1_499) // "\n\u{0C}" between pages became " "
    }
}
