import Foundation
import Testing
import TextAnalysis

@testable import DocumentFormats

/// The pure parts of OCR: Tesseract's TSV, confidences, language choice, which PDF pages are
/// scans, image headers. The real tesseract runs in `OCRIntegrationTests`.
struct OCRTests {
    static let header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"

    static func row(
        _ level: Int, _ page: Int, _ block: Int, _ par: Int, _ line: Int, _ word: Int, _ conf: Double, _ text: String
    ) -> String {
        "\(level)\t\(page)\t\(block)\t\(par)\t\(line)\t\(word)\t10\t10\t50\t20\t\(conf)\t\(text)"
    }

    @Test func tsvRebuildsLinesParagraphsAndBlocks() {
        let tsv =
            [
                Self.header,
                Self.row(1, 1, 0, 0, 0, 0, -1, ""),
                Self.row(2, 1, 1, 0, 0, 0, -1, ""),
                Self.row(5, 1, 1, 1, 1, 1, 96.2, "Ministers"),
                Self.row(5, 1, 1, 1, 1, 2, 92.6, "met"),
                Self.row(5, 1, 1, 1, 2, 1, 95.0, "in"),
                Self.row(5, 1, 1, 1, 2, 2, 90.0, "Lisbon."),
                Self.row(5, 1, 1, 2, 1, 1, 80.0, "Next"),
                Self.row(5, 1, 2, 1, 1, 1, 70.0, "Footer"),
                Self.row(5, 1, 2, 1, 1, 2, 95.0, " "), // a blank word: no text, no confidence
            ].joined(separator: "\n") + "\n"
        let pages = TesseractTSV.parse(tsv)
        #expect(pages.count == 1)
        #expect(pages[0].number == 1)
        #expect(pages[0].text == "Ministers met\nin Lisbon.\n\nNext\n\nFooter")
        #expect(pages[0].confidences == [96.2, 92.6, 95.0, 90.0, 80.0, 70.0])
    }

    @Test func tsvSplitsPagesAndKeepsEmptyOnes() {
        let tsv = [
            Self.header,
            Self.row(1, 1, 0, 0, 0, 0, -1, ""),
            Self.row(5, 1, 1, 1, 1, 1, 90, "One"),
            Self.row(1, 2, 0, 0, 0, 0, -1, ""),
            Self.row(1, 3, 0, 0, 0, 0, -1, ""),
            Self.row(5, 3, 1, 1, 1, 1, 50, "Three"),
            "Warning: Invalid resolution 0 dpi. Using 70 instead.",
            "5\tx\t1",
        ].joined(separator: "\n")
        let pages = TesseractTSV.parse(tsv)
        #expect(pages.map(\.number) == [1, 2, 3])
        #expect(pages.map(\.text) == ["One", "", "Three"])
        #expect(TesseractTSV.parse("").isEmpty)
        #expect(TesseractTSV.parse(Self.header).isEmpty)
    }

    @Test func meanConfidenceWeighsEveryWordOnce() {
        let pages = [
            TesseractTSV.Page(number: 1, text: "a b c", confidences: [90, 90, 90]),
            TesseractTSV.Page(number: 2, text: "d", confidences: [50]),
        ]
        // (90 × 3 + 50) / 4 = 80, not the mean of the page means (70).
        #expect(TesseractTSV.meanConfidence(pages) == 0.8)
        #expect(TesseractTSV.meanConfidence([TesseractTSV.Page(number: 1, text: "", confidences: [])]) == nil)
        let report = OCRReport(engine: "tesseract 5.3.0", languages: ["eng"], pages: pages, pagesSkipped: 2)
        #expect(
            report
                == OCRReport(
                    engine: "tesseract 5.3.0", languages: ["eng"], meanConfidence: 0.8, pages: 2, words: 4,
                    pagesSkipped: 2))
        #expect(OCRReport(engine: "t", languages: [], pages: []).meanConfidence == 0)
        #expect(OCRReport(engine: "t", languages: [], pages: []).pagesSkipped == nil)
    }

    @Test func engineNameFromVersionOutput() {
        #expect(OCRReport.engineName(versionOutput: "tesseract 5.3.0\n leptonica-1.82.0\n") == "tesseract 5.3.0")
        #expect(OCRReport.engineName(versionOutput: "") == "tesseract")
        #expect(OCRReport.engineName(versionOutput: "something else") == "tesseract")
    }

    @Test func languageNamesMapToTesseractModels() {
        #expect(OCRLanguages.tesseractName("de") == "deu")
        #expect(OCRLanguages.tesseractName("pt-BR") == "por")
        #expect(OCRLanguages.tesseractName("zh") == "chi_sim")
        #expect(OCRLanguages.tesseractName("FR") == "fra")
        #expect(OCRLanguages.tesseractName("deu") == "deu")
        #expect(OCRLanguages.tesseractName("so") == nil) // no Somali model
        #expect(OCRLanguages.tesseractName("x1") == nil)
        // Every language the identifier knows has a model, except the few Tesseract lacks.
        let identified =
            "af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv mk ml mr ne nl no pa pl pt ro ru sk sl so sq sv sw ta te th tl tr uk ur vi zh"
        let missing = identified.split(separator: " ").filter { OCRLanguages.tesseractName(String($0)) == nil }
        #expect(missing == ["so"])
    }

    @Test func commandLineReadsAnyOrientationWhenOSDIsInstalled() {
        let listing = "List of available languages in \"/usr/share/tesseract-ocr/5/tessdata/\" (2):\neng\nosd\n"
        #expect(TesseractCommand.hasOrientationModel(listing))
        #expect(!TesseractCommand.hasOrientationModel("List of available languages (1):\neng\n"))
        #expect(
            TesseractCommand.arguments(image: "/t/p.png", languages: ["deu", "eng"], orientationModel: true)
                == ["/t/p.png", "stdout", "-l", "deu+eng", "--psm", "1", "tsv"])
        #expect(
            TesseractCommand.arguments(image: "/t/p.png", languages: ["eng"], orientationModel: false)
                == ["/t/p.png", "stdout", "-l", "eng", "--psm", "3", "tsv"])
    }

    @Test func installedModelsFromListLangs() {
        let listing =
            "List of available languages in \"/usr/share/tesseract-ocr/5/tessdata/\" (4):\ndeu\neng\nfra\nosd\n"
        #expect(OCRLanguages.parseInstalled(listing) == ["deu", "eng", "fra"])
        #expect(OCRLanguages.parseInstalled("").isEmpty)
    }

    @Test func hintPicksInstalledModelsOnly() {
        let installed: Set = ["deu", "eng", "fra"]
        #expect(OCRLanguages.fromHint("de", installed: installed) == ["deu"])
        #expect(OCRLanguages.fromHint("de,en", installed: installed) == ["deu", "eng"])
        #expect(OCRLanguages.fromHint("fra+deu+fra", installed: installed) == ["fra", "deu"])
        #expect(OCRLanguages.fromHint("ru", installed: installed) == []) // not installed: detect instead
        #expect(OCRLanguages.fromHint(nil, installed: installed) == [])
        #expect(OCRLanguages.fromHint("", installed: installed) == [])
    }

    @Test func secondPassOnlyForAnotherInstalledLanguage() {
        let installed: Set = ["deu", "eng", "fra"]
        #expect(OCRLanguages.secondPass(detected: "de", used: ["eng"], installed: installed) == ["deu"])
        #expect(OCRLanguages.secondPass(detected: "en", used: ["eng"], installed: installed) == nil)
        #expect(OCRLanguages.secondPass(detected: "ru", used: ["eng"], installed: installed) == nil)
        #expect(OCRLanguages.secondPass(detected: "und", used: ["eng"], installed: installed) == nil)
    }

    @Test func scannedPagesAreThoseWithoutText() {
        let text =
            "Page one has a proper paragraph of text.\u{0C}  7 \u{0C}\u{0C}Third page: more than enough words here.\u{0C}"
        #expect(ScannedPages.pagesToRead(text: text, pageCount: 4) == [2, 3])
        #expect(!ScannedPages.isScanned(text: text, pageCount: 4))
        // pdftotext of an image-only PDF: form feeds only; pages past the text are empty too.
        #expect(ScannedPages.pagesToRead(text: "\u{0C}\u{0C}", pageCount: 3) == [1, 2, 3])
        #expect(ScannedPages.isScanned(text: "\u{0C}\u{0C}", pageCount: 3))
        #expect(ScannedPages.isScanned(text: "scan0001.tif\u{0C}", pageCount: 1)) // a stamped file name is no text
        #expect(ScannedPages.isScanned(text: "- 1 -\u{0C}", pageCount: 1))
        #expect(ScannedPages.pagesToRead(text: "", pageCount: 0) == [1])
    }

    @Test func ocrTextReplacesOnlyScannedPages() {
        let layer = "Own text of page one.\u{0C}\u{0C}Page three.\u{0C}"
        let merged = ScannedPages.merge(layer: layer, ocr: [2: "Read by OCR."], pageCount: 3)
        #expect(
            merged.split(separator: "\u{0C}").map(String.init) == [
                "Own text of page one.", "Read by OCR.", "Page three.",
            ])
    }

    @Test func pageSizesAndRenderResolution() {
        let info =
            "Pages:           2\nPage    1 size:  612 x 792 pts (letter)\nPage    1 rot:   0\nPage    2 size:  2384 x 3370 pts (A0)\n"
        let sizes = ScannedPages.parsePageSizes(info)
        #expect(sizes[1]?.width == 612 && sizes[1]?.height == 792)
        #expect(sizes[2]?.height == 3370)
        #expect(ScannedPages.parsePageSizes("Page size:       595.28 x 841.89 pts (A4)\n")[1]?.width == 595.28)
        #expect(ScannedPages.renderDPI(width: 612, height: 792) == 300)
        // An A0 page at 300 dpi would be 14,000 pixels high; it is rendered within 5,000.
        #expect(ScannedPages.renderDPI(width: 2384, height: 3370) == 106)
        #expect(ScannedPages.renderDPI(width: 1e9, height: 1e9) == 72)
        #expect(ScannedPages.renderDPI(width: 0, height: 0) == 300)
    }
}
