import DocumentFormats
import Foundation
import Testing
import TextAnalysis

private func extract(_ text: String, name: String? = nil, hint: String? = nil) throws -> Extraction {
    try DocumentExtractor.extract(bytes: Data(text.utf8), name: name, contentTypeHint: hint, contentHash: "sha256:test")
}

@Suite struct ExtractorFormatTests {
    @Test func plainTextWithBOMAndByline() throws {
        let bytes =
            Data([0xEF, 0xBB, 0xBF])
            + Data(
                "Storm hits the coast | Reuters\nBy Jane Doe\n\nA storm hit the coast of Portugal on 5 March 2024. Many roads were closed.\n"
                    .utf8)
        let extraction = try DocumentExtractor.extract(
            bytes: bytes, name: "storm.txt", contentTypeHint: nil, contentHash: "sha256:x")
        #expect(extraction.contentType == "text/plain")
        #expect(extraction.text.hasPrefix("Storm hits"))
        #expect(extraction.title == "Storm hits the coast")
        #expect(extraction.source == "Reuters")
        #expect(extraction.author == "Jane Doe")
        #expect(extraction.dates == ["2024-03-05"])
        #expect(extraction.entities.contains { $0.text == "Portugal" && $0.type == .place })
    }

    @Test func plainTextFirstLineSentenceIsNotATitle() throws {
        let extraction = try extract("This is just a sentence that ends with a period.\nAnd another one follows here.")
        #expect(extraction.title == nil)
        #expect(extraction.source == nil)
    }

    @Test func markdown() throws {
        let markdown = """
            # Budget talks resume in **Brussels**

            The [European Commission](https://ec.europa.eu) said on *Monday* that talks would resume.
            - First point with `code`
            - Second point

            ```swift
            let hidden = "code is dropped"
            ```
            > A quoted line with ![a chart](chart.png) inside.
            """
        let extraction = try extract(markdown, name: "notes.md")
        #expect(extraction.contentType == "text/markdown")
        #expect(extraction.title == "Budget talks resume in Brussels")
        #expect(extraction.text.contains("The European Commission said on Monday that talks would resume."))
        #expect(extraction.text.contains("First point with code"))
        #expect(extraction.text.contains("A quoted line with a chart inside."))
        #expect(!extraction.text.contains("hidden"))
        #expect(!extraction.text.contains("](") && !extraction.text.contains("**") && !extraction.text.contains("#"))
    }

    @Test func html() throws {
        let html = """
            <!DOCTYPE html><html><head><title>Ignored title - Site</title>
            <meta property="og:title" content="Leaders meet in Paris &amp; Berlin">
            <meta name="author" content="Max Mustermann">
            <meta property="article:published_time" content="2024-11-02T08:00:00Z">
            <style>body { color: red }</style><script>var x = "<p>not text</p>";</script></head>
            <body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
            <!-- a comment -->
            <h1>Leaders meet</h1><p>The leaders met in Paris on Friday.&nbsp;They spoke about trade &mdash; and more.</p>
            <p>Talks continue in Berlin next week.<br>Details follow.</p>
            <div hidden>secret</div>
            </body></html>
            """
        let extraction = try extract(html)
        #expect(extraction.contentType == "text/html")
        #expect(extraction.title == "Leaders meet in Paris & Berlin")
        #expect(extraction.author == "Max Mustermann")
        #expect(extraction.dates.first == "2024-11-02")
        #expect(
            extraction.text
                == "Leaders meet\n\nThe leaders met in Paris on Friday. They spoke about trade — and more.\n\nTalks continue in Berlin next week.\nDetails follow."
        )
        for hidden in ["Home", "color", "not text", "comment", "secret", "Ignored"] {
            #expect(!extraction.text.contains(hidden), "leaked: \(hidden)")
        }
    }

    @Test func htmlTitleFallbacks() throws {
        let titled = try extract(
            "<html><head><title>Plain title | Example News</title></head><body><p>Body text here.</p></body></html>")
        #expect(titled.title == "Plain title")
        #expect(titled.source == "Example News")
        let headed = try extract("<html><body><h1>Heading &quot;one&quot;</h1><p>Body text here.</p></body></html>")
        #expect(headed.title == "Heading \"one\"")
    }

    @Test func unbalancedHTMLKeepsText() throws {
        let extraction = try extract("<html><body><nav>menu<p>Real text survives here.</p>", hint: "text/html")
        #expect(extraction.text.contains("Real text survives here."))
        let broken = try extract("<div><p>One <b>two</i> three <a href='x>four</div")
        #expect(broken.text.contains("One two three"))
    }

    @Test func json() throws {
        let json = """
            {"id": 7, "headline": "Rates rise again", "author": {"name": "Ann Lee"}, "publisher": "Daily Ledger",
             "datePublished": "2023-07-14", "body": "The central bank raised rates in July 2023. Markets fell."}
            """
        let extraction = try extract(json)
        #expect(extraction.contentType == "application/json")
        #expect(extraction.title == "Rates rise again")
        #expect(extraction.author == "Ann Lee")
        #expect(extraction.source == "Daily Ledger")
        #expect(extraction.text == "The central bank raised rates in July 2023. Markets fell.")
        #expect(extraction.dates == ["2023-07-14", "2023-07"])
    }

    @Test func jsonWithoutKnownFieldsConcatenatesStrings() throws {
        let extraction = try extract(
            #"{"a": {"x": "First string value here."}, "b": ["Second string value.", "https://x.y/z"], "n": 3}"#)
        #expect(extraction.text == "First string value here.\n\nSecond string value.")
    }

    @Test func invalidJSONNamedJSONIsText() throws {
        let extraction = try extract("{ not json at all, just braces }", name: "x.json")
        #expect(extraction.contentType == "text/plain")
    }

    @Test func errors() throws {
        #expect(throws: ExtractionError.empty) { try extract("") }
        #expect(throws: ExtractionError.empty) { try extract("  \n\t \n") }
        #expect(throws: ExtractionError.empty) { try extract("<html><script>only()</script></html>") }
        // Images are read by OCR, which needs the worker's tesseract; a GIF is not read at all.
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])
        #expect(
            throws: ExtractionError.unsupported(
                "PNG images are read by OCR with tesseract, which the docpipe-extractor worker runs")
        ) {
            try DocumentExtractor.extract(bytes: png, name: "a.txt", contentTypeHint: nil, contentHash: "")
        }
        #expect(throws: ExtractionError.binary("GIF image")) {
            try DocumentExtractor.extract(
                bytes: Data("GIF89a".utf8) + Data([0, 1, 0, 1]), name: nil, contentTypeHint: nil, contentHash: "")
        }
        do {
            _ = try DocumentExtractor.extract(
                bytes: Data([0x41, 0x00, 0x42, 0x43]), name: nil, contentTypeHint: nil, contentHash: "")
            Issue.record("expected binary error")
        } catch {
            guard case .binary = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(error.description.contains("binary"))
        }
        // Latin-1 is read as such (EncodingTests); bytes that fit no common encoding are refused clearly.
        let greek = Data("Caf".utf8) + Data((0..<40).map { 0xC0 + UInt8($0 % 30) }) + Data(" text.".utf8)
        do {
            _ = try DocumentExtractor.extract(bytes: greek, name: nil, contentTypeHint: nil, contentHash: "")
            Issue.record("expected undecodable error")
        } catch {
            guard case .undecodable = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(error.description.contains("UTF-8"))
        }
    }

    @Test func contentTypeDetectionOrder() {
        let html = Data("<!doctype html><p>x</p>".utf8)
        #expect(ContentTypeDetector.detect(bytes: html, name: "a.txt", hint: "text/plain") == .html)
        #expect(ContentTypeDetector.detect(bytes: Data("[1, 2, 3]".utf8), name: nil, hint: nil) == .json)
        #expect(
            ContentTypeDetector.detect(bytes: Data("[citation needed] text".utf8), name: nil, hint: nil) == .plainText)
        #expect(
            ContentTypeDetector.detect(bytes: Data("# Title\n\nSome **bold** text".utf8), name: nil, hint: nil)
                == .markdown)
        #expect(ContentTypeDetector.detect(bytes: Data("plain words".utf8), name: "a.md", hint: nil) == .markdown)
        #expect(
            ContentTypeDetector.detect(bytes: Data("plain words".utf8), name: nil, hint: "text/html; charset=utf-8")
                == .html)
        #expect(ContentTypeDetector.detect(bytes: Data("plain words".utf8), name: nil, hint: nil) == .plainText)
        #expect(
            ContentTypeDetector.detect(bytes: Data([0x89, 0x50, 0x4E, 0x47, 0, 0]), name: "x.txt", hint: nil) == .png)
        // An image is what its bytes say, never a name or hint alone.
        #expect(ContentTypeDetector.detect(bytes: Data("plain words".utf8), name: nil, hint: "image/png") == .plainText)
        #expect(ContentTypeDetector.detect(bytes: Data("plain words".utf8), name: "scan.tiff", hint: nil) == .binary)
    }

    @Test func utf16WithBOMDecodes() throws {
        var bytes = Data([0xFF, 0xFE])
        bytes.append("Hello from a UTF-16 file. It has two sentences.".data(using: .utf16LittleEndian)!)
        let extraction = try DocumentExtractor.extract(bytes: bytes, name: nil, contentTypeHint: nil, contentHash: "")
        #expect(extraction.text == "Hello from a UTF-16 file. It has two sentences.")
        #expect(extraction.sentenceCount == 2)
    }
}
