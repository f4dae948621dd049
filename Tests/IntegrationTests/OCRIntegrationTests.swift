import DocProtocol
import Foundation
import Testing

/// Scans and images through the real extractor worker and the real tesseract: text rendered to
/// PNG, JPEG and TIFF and into image-only PDFs here, read back by OCR, with the output saying so
/// and how confident the engine was. Without tesseract the tests fail with the reason (see
/// `SkipPolicy`; `DOCPIPE_ALLOW_SKIP=OCRIntegrationTests` excuses them off CI).
@Suite(.serialized, .enabled(if: !SkipPolicy.excused("OCRIntegrationTests", because: OCRFixtures.unavailable)))
struct OCRIntegrationTests {
    static let config =
        #"{"pipelines": {"extract": {"stages": ["extractor"]}, "keep": {"stages": ["extractor", "storage-writer"]}}}"#

    static let rail = [
        "Ministers met in Lisbon on 4 April 2024 to discuss",
        "the railway between Portugal and Spain. They agreed",
        "to build faster links before the end of the decade.",
    ]

    private func startCluster(environment: [String: String] = [:], arguments: [String] = []) throws -> TestCluster {
        if let reason = OCRFixtures.unavailable {
            throw TestFailure("this machine cannot run the OCR tests: \(reason)")
        }
        let cluster = try TestCluster()
        try cluster.writeBrokerConfig(Self.config)
        try cluster.startBroker()
        if environment.isEmpty {
            try cluster.startWorker("extractor", arguments)
        } else {
            try cluster.start(
                URL(fileURLWithPath: "/usr/bin/env"),
                environment.map { "\($0)=\($1)" } + [
                    TestPaths.executable("docpipe-extractor").path, "--broker", cluster.endpoint,
                ]
                    + arguments,
                label: "extractor")
        }
        try cluster.waitUntil("extractor registered", timeout: 30) { try cluster.status().workers == 1 }
        return cluster
    }

    private func extract(_ cluster: TestCluster, _ bytes: Data, name: String, language: String? = nil) throws
        -> JobStatus
    {
        var document = Document(bytes: bytes, name: name)
        if let language { document.metadata["language"] = language }
        // An uncompressed TIFF page is ~15 MB of base64: a debug build on a busy machine takes more than the
        // usual 3 s to read, journal and acknowledge it.
        let job = try cluster.client(timeoutMs: 20_000).submit(SubmitRequest(pipeline: "extract", document: document))
            .jobID
        return try cluster.client().waitForJob(job, timeoutMs: 120_000)
    }

    /// The output's text (whitespace runs made single spaces) and its `ocr` object, or a recorded failure.
    private func readBack(_ status: JobStatus, _ label: String) throws -> (
        text: String, ocr: JSONValue, result: JSONValue
    ) {
        #expect(status.state == .done, "\(label): \(String(describing: status.error))")
        let result = try #require(status.results["extractor"], "\(label): no extractor output")
        let text = (result["text"]?.stringValue ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let ocr = try #require(result["ocr"], "\(label): the output does not say the text came from OCR: \(result)")
        #expect(ocr["engine"]?.stringValue?.hasPrefix("tesseract") == true, "\(label): \(ocr)")
        let confidence = ocr["mean_confidence"]?.doubleValue ?? -1
        #expect(confidence > 0.75 && confidence <= 1, "\(label): mean confidence \(confidence)")
        #expect((ocr["words"]?.intValue ?? 0) >= 10, "\(label): \(ocr)")
        return (text, ocr, result)
    }

    @Test(.timeLimit(.minutes(3)))
    func pngJpegAndTiffComeBackAsText() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try startCluster()
        defer { cluster.stop() }
        let page = OCRFixtures.textPDF(pages: [Self.rail])
        for (format, type) in [("png", "image/png"), ("jpeg", "image/jpeg"), ("tiff", "image/tiff")] {
            let image = try OCRFixtures.render(page, as: format, in: folder)
            let (text, ocr, result) = try readBack(try extract(cluster, image, name: "scan.\(format)"), format)
            #expect(result["content_type"]?.stringValue == type)
            for phrase in [
                "Ministers met in Lisbon on 4 April 2024", "between Portugal and Spain",
                "before the end of the decade.",
            ] {
                #expect(text.contains(phrase), "\(format): '\(phrase)' not in: \(text)")
            }
            // Lines wrapped on the page are one paragraph again.
            #expect(text.contains("to discuss the railway"), "\(format): \(text)")
            #expect(ocr["languages"]?.arrayValue?.compactMap(\.stringValue) == ["eng"])
            #expect(ocr["pages"]?.intValue == 1)
            #expect(result["language"]?.stringValue == "en")
            #expect(result["metadata"]?["width"]?.stringValue == "1700", "\(format): \(result["metadata"] ?? .null)")
            #expect(result["dates"]?.arrayValue?.compactMap(\.stringValue).contains("2024-04-04") == true)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func sidewaysAndUpsideDownScansReadAsUpright() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try startCluster()
        defer { cluster.stop() }
        for degrees in [90, 180] {
            let image = try OCRFixtures.render(
                OCRFixtures.textPDF(pages: [Self.rail], rotate: degrees), as: "png", in: folder)
            let (text, _, _) = try readBack(
                try extract(cluster, image, name: "turned-\(degrees).png"), "turned \(degrees)°")
            #expect(text.contains("Ministers met in Lisbon on 4 April 2024"), "\(degrees)°: \(text)")
            #expect(text.contains("before the end of the decade."), "\(degrees)°: \(text)")
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func scannedPdfPagesAreReadByOCRAndTextPagesKeepTheirText() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try startCluster()
        defer { cluster.stop() }
        let second = ["The harbour board approved the new quay on Friday.", "Work starts in the spring."]
        let scanned = try OCRFixtures.scannedPDF(pages: [Self.rail, second], in: folder)
        let (text, ocr, result) = try readBack(try extract(cluster, scanned, name: "scan.pdf"), "scanned PDF")
        #expect(result["content_type"]?.stringValue == "application/pdf")
        #expect(ocr["pages"]?.intValue == 2)
        #expect(ocr["pages_skipped"] == nil)
        #expect(result["metadata"]?["pages"]?.stringValue == "2")
        let first = try #require(text.range(of: "between Portugal and Spain"), "page 1 missing: \(text)")
        let later = try #require(text.range(of: "approved the new quay on Friday"), "page 2 missing: \(text)")
        #expect(first.lowerBound < later.lowerBound, "pages out of order: \(text)")

        // A text page then a scanned page: only the scan is read by OCR, the text page keeps its text layer.
        let mixed = try OCRFixtures.scannedPDF(pages: [Self.rail, second], textPages: [1], in: folder)
        let both = try readBack(try extract(cluster, mixed, name: "mixed.pdf"), "mixed PDF")
        #expect(both.ocr["pages"]?.intValue == 1, "\(both.ocr)")
        #expect(both.text.contains("Ministers met in Lisbon on 4 April 2024 to discuss the railway"), "\(both.text)")
        #expect(both.text.contains("approved the new quay on Friday"), "\(both.text)")

        // A PDF with text on every page does not go through OCR at all.
        let textOnly = try extract(cluster, OCRFixtures.textPDF(pages: [Self.rail]), name: "text.pdf")
        #expect(textOnly.state == .done)
        #expect(textOnly.results["extractor"]?["ocr"] == nil, "a text PDF went through OCR")
    }

    @Test(.timeLimit(.minutes(3)))
    func scannedPagesPastTheLimitAreCountedAsSkipped() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try startCluster(arguments: ["--ocr-max-pages", "2"])
        defer { cluster.stop() }
        let pages = [
            ["The first page is about harbours."], ["The second page is about railways."],
            ["The third page is about airports."],
        ]
        let scanned = try OCRFixtures.scannedPDF(pages: pages, in: folder)
        let (text, ocr, _) = try readBack(try extract(cluster, scanned, name: "three.pdf"), "three pages, limit two")
        #expect(ocr["pages"]?.intValue == 2, "\(ocr)")
        #expect(ocr["pages_skipped"]?.intValue == 1, "\(ocr)")
        #expect(text.contains("about harbours") && text.contains("about railways"), "\(text)")
        #expect(!text.contains("airports"), "\(text)")
    }

    @Test(.timeLimit(.minutes(3)))
    func languageFromAFirstPassOrFromTheHint() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try startCluster()
        defer { cluster.stop() }
        let german = OCRFixtures.textPDF(pages: [
            [
                "Die Bürgerinnen und Bürger der Stadt haben am Sonntag",
                "über den neuen Haushalt abgestimmt. Der Gemeinderat",
                "wird die Ergebnisse in der nächsten Woche prüfen.",
            ]
        ])
        let detected = try readBack(
            try extract(cluster, try OCRFixtures.render(german, as: "png", in: folder), name: "brief.png"), "German")
        #expect(detected.ocr["languages"]?.arrayValue?.compactMap(\.stringValue) == ["deu"], "\(detected.ocr)")
        #expect(detected.result["language"]?.stringValue == "de")
        for word in ["Bürgerinnen", "über", "nächsten", "prüfen"] {
            #expect(detected.text.contains(word), "'\(word)' not in: \(detected.text)")
        }

        let french = OCRFixtures.textPDF(pages: [
            [
                "Le conseil municipal a présenté le budget de l'année",
                "prochaine. Les élus voteront la semaine prochaine.",
            ]
        ])
        let hinted = try readBack(
            try extract(
                cluster, try OCRFixtures.render(french, as: "png", in: folder), name: "lettre.png", language: "fr"),
            "French")
        #expect(hinted.ocr["languages"]?.arrayValue?.compactMap(\.stringValue) == ["fra"], "\(hinted.ocr)")
        #expect(hinted.text.contains("présenté le budget de l'année prochaine"), "\(hinted.text)")
        #expect(hinted.text.contains("Les élus voteront"), "\(hinted.text)")
    }

    /// The operator's way to give the language: `docpipe submit --language`, which must reach OCR as the
    /// document's metadata; `docpipe show` then says the text was read by OCR, and how surely. A language
    /// that is not one is refused before anything is sent.
    @Test(.timeLimit(.minutes(3)))
    func submitLanguageReachesOCRAndShowSaysTheTextWasRead() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try startCluster()
        defer { cluster.stop() }
        try cluster.startWorker("storage-writer")
        try cluster.waitUntil("storage writer registered", timeout: 30) { try cluster.status().workers == 2 }
        let french = OCRFixtures.textPDF(pages: [
            [
                "Le conseil municipal a présenté le budget de l'année",
                "prochaine. Les élus voteront la semaine prochaine.",
            ]
        ])
        let image = folder.appendingPathComponent("lettre.png")
        try OCRFixtures.render(french, as: "png", in: folder).write(to: image)

        let refused = try cluster.docpipe(["submit", image.path, "--pipeline", "keep", "--language", "french!"])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("--language wants ISO 639-1 codes"), "\(refused.errors)")
        #expect(try cluster.status().jobs.accepted == 0, "nothing may be sent for a bad --language")

        let submitted = try cluster.docpipe(
            ["submit", image.path, "--pipeline", "keep", "--language", "fr", "--meta", "source=archive", "--wait"],
            timeout: 120)
        #expect(submitted.status == 0, "\(submitted.output) \(submitted.errors)")
        let documentID = try #require(
            submitted.output.split(separator: "\n").first { $0.hasPrefix("accepted ") }?.split(separator: " ")[2],
            "no accepted line in: \(submitted.output)")
        let shown = try runCommand(
            TestPaths.executable("docpipe"), ["show", String(documentID), "--data", cluster.dataFolder], timeout: 20)
        #expect(shown.status == 0, "\(shown.errors)")
        let ocrLine = shown.output.split(separator: "\n").first { $0.hasPrefix("ocr:") }.map(String.init) ?? ""
        // Read with the French model straight away: the hint came through, no English first pass decided it.
        #expect(ocrLine.contains("tesseract") && ocrLine.contains("(fra)"), "\(shown.output)")
        #expect(ocrLine.contains("1 page") && ocrLine.contains("mean confidence"), "\(ocrLine)")
        let json = try runCommand(
            TestPaths.executable("docpipe"), ["show", String(documentID), "--data", cluster.dataFolder, "--json"],
            timeout: 20)
        let stored = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let metadata = stored?["metadata"] as? [String: String]
        #expect(metadata == ["language": "fr", "source": "archive"], "\(json.output)")
    }

    @Test(.timeLimit(.minutes(2)))
    func brokenAndHugeImagesFailClearlyAndTheWorkerCarriesOn() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = try startCluster()
        defer { cluster.stop() }
        let png = try OCRFixtures.render(OCRFixtures.textPDF(pages: [Self.rail]), as: "png", in: folder)
        // The header is whole, the pixel data cut short: tesseract itself fails on it.
        let cut = try extract(cluster, png.prefix(png.count / 3), name: "cut.png")
        #expect(cut.state == .failed)
        #expect(cut.error?.reason == "unreadable_document", "\(String(describing: cut.error))")
        #expect(cut.error?.message.contains("tesseract could not read it") == true, "\(cut.error?.message ?? "")")

        var huge = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8))
        // 60000 × 60000 pixels.
        huge += Data([0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60, 8, 0, 0, 0, 0]) + Data(repeating: 0, count: 64)
        let tooBig = try extract(cluster, huge, name: "huge.png")
        #expect(tooBig.state == .failed)
        #expect(tooBig.error?.reason == "document_too_large", "\(String(describing: tooBig.error))")
        #expect(tooBig.error?.message.contains("60000 × 60000") == true, "\(tooBig.error?.message ?? "")")

        let tiny = try extract(cluster, png.prefix(20), name: "header.png")
        #expect(tiny.error?.reason == "unreadable_document", "\(String(describing: tiny.error))")

        let after = try readBack(try extract(cluster, png, name: "fine.png"), "after the failures")
        #expect(after.text.contains("Ministers met in Lisbon"))
    }

    /// A tesseract that never finishes (a stand-in script that sleeps) is stopped at `--ocr-timeout`:
    /// the document fails as too large, the process is gone, and the worker serves the next document.
    @Test(.timeLimit(.minutes(2)))
    func aTesseractRunThatHangsIsStopped() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tools = folder.appendingPathComponent("slow-tesseract")
        try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
        let pidFile = folder.appendingPathComponent("tesseract.pid")
        let script = tools.appendingPathComponent("tesseract")
        try """
        #!/bin/sh
        case "$1" in
          --version) echo "tesseract 0.0-hang" ;;
          --list-langs) printf 'List of available languages (1):\neng\n' ;;
          *) echo $$ > \(pidFile.path); exec sleep 300 ;;
        esac
        """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let png = try OCRFixtures.render(OCRFixtures.textPDF(pages: [Self.rail]), as: "png", in: folder)
        let cluster = try startCluster(
            environment: ["DOCPIPE_TESSERACT_DIR": tools.path], arguments: ["--ocr-timeout", "2"])
        defer { cluster.stop() }

        let started = Date()
        let status = try extract(cluster, png, name: "hangs.png")
        let took = Date().timeIntervalSince(started)
        #expect(status.state == .failed)
        #expect(status.error?.reason == "document_too_large", "\(String(describing: status.error))")
        #expect(status.error?.message.contains("did not finish") == true, "\(status.error?.message ?? "")")
        #expect(took < 20, "the hung run held the document \(took) s")
        let pid = try #require(
            Int32(
                (try? String(contentsOf: pidFile, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""), "the stand-in tesseract never ran")
        try cluster.waitUntil("the hung tesseract to be gone", timeout: 10) { kill(pid, 0) != 0 }

        let text = try extract(cluster, OCRFixtures.textPDF(pages: [Self.rail]), name: "text.pdf")
        #expect(text.state == .done, "\(String(describing: text.error))")
    }

    @Test(.timeLimit(.minutes(2)))
    func missingTesseractIsNamedInTheError() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("no-tesseract")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let png = try OCRFixtures.render(OCRFixtures.textPDF(pages: [Self.rail]), as: "png", in: folder)
        let scanned = try OCRFixtures.scannedPDF(pages: [Self.rail], in: folder)
        let cluster = try startCluster(environment: ["DOCPIPE_TESSERACT_DIR": empty.path])
        defer { cluster.stop() }
        for (bytes, name) in [(png, "a.png"), (scanned, "scan.pdf")] {
            let status = try extract(cluster, bytes, name: name)
            #expect(status.state == .failed, "\(name)")
            #expect(status.error?.reason == "unsupported_format", "\(name): \(String(describing: status.error))")
            #expect(
                status.error?.message.contains("apt-get install tesseract-ocr") == true,
                "\(name): \(status.error?.message ?? "")")
        }
        // A PDF with a text layer needs no OCR, so it is still read; one with a scanned page among text
        // pages keeps its text (without OCR, and without saying it was OCR'd).
        let text = try extract(cluster, OCRFixtures.textPDF(pages: [Self.rail]), name: "text.pdf")
        #expect(text.state == .done, "\(String(describing: text.error))")
        let mixed = try OCRFixtures.scannedPDF(pages: [Self.rail, ["A scanned page."]], textPages: [1], in: folder)
        let partly = try extract(cluster, mixed, name: "mixed.pdf")
        #expect(partly.state == .done, "\(String(describing: partly.error))")
        #expect(partly.results["extractor"]?["text"]?.stringValue?.contains("Ministers met in Lisbon") == true)
        #expect(partly.results["extractor"]?["ocr"] == nil)
    }
}
