import Foundation

/// Documents for the OCR tests, made here: a PDF with known words in a standard font, rendered to
/// PNG, JPEG or TIFF by poppler's `pdftoppm`, and image-only ("scanned") PDFs that embed such a
/// rendering as their only content.
enum OCRFixtures {
    /// Why this machine cannot run the OCR tests, or nil: tesseract with its English, German and
    /// French models, and pdftoppm, must be installed.
    static let unavailable: String? = {
        let missing = ["tesseract", "pdftoppm"].filter { tool in
            !["/usr/bin", "/usr/local/bin"].contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
        guard missing.isEmpty else {
            return "\(missing.joined(separator: " and ")) not installed (apt-get install tesseract-ocr poppler-utils)"
        }
        let tesseract = ["/usr/bin/tesseract", "/usr/local/bin/tesseract"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }!
        guard let listing = try? runCommand(URL(fileURLWithPath: tesseract), ["--list-langs"], timeout: 30) else {
            return "tesseract --list-langs did not answer"
        }
        let models = Set(listing.output.split(whereSeparator: \.isNewline).map(String.init))
        let packs = ["eng", "deu", "fra"].filter { !models.contains($0) }.map { "tesseract-ocr-\($0)" }
        return packs.isEmpty
            ? nil
            : "tesseract's language packs \(packs.joined(separator: ", ")) are not installed (apt-get install \(packs.joined(separator: " ")))"
    }()

    /// A PDF (US letter) with each page's lines in 16-point Helvetica. Latin-1 letters (ü, é) are
    /// written as WinAnsi octal escapes, so the page shows them as they are. `rotate` (90, 180, 270)
    /// turns the pages as a viewer, and `pdftoppm`, shows them: a scan fed in sideways.
    static func textPDF(pages: [[String]], rotate: Int = 0) -> Data {
        var objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [\((0..<pages.count).map { "\(4 + 2 * $0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ]
        for (index, lines) in pages.enumerated() {
            let stream =
                "BT /F1 16 Tf 72 700 Td 22 TL " + lines.map { "(\(pdfString($0))) '" }.joined(separator: " ") + " ET"
            objects.append(
                "<< /Type /Page /Parent 2 0 R /Rotate \(rotate) /MediaBox [0 0 612 792] /Contents \(5 + 2 * index) 0 R "
                    + "/Resources << /Font << /F1 3 0 R >> >> >>")
            objects.append("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream")
        }
        return assemble(objects.map { Data($0.utf8) })
    }

    /// A PDF whose pages are images only, like a scanner's: each page is `pdftoppm`'s JPEG of
    /// the matching page of `textPDF(pages:)`, drawn over the whole page, with no text layer. Pages
    /// numbered in `textPages` (1-based) are ordinary text pages instead.
    static func scannedPDF(pages: [[String]], textPages: Set<Int> = [], in folder: URL) throws -> Data {
        let width = 1275
        let height = 1650 // 150 dpi on US letter
        var objects = [
            Data("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Data(
                "<< /Type /Pages /Kids [\((0..<pages.count).map { "\(3 + 3 * $0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>"
                    .utf8),
        ]
        for (index, lines) in pages.enumerated() {
            let page = 3 + 3 * index
            if textPages.contains(index + 1) {
                let stream =
                    "BT /F1 16 Tf 72 700 Td 22 TL " + lines.map { "(\(pdfString($0))) '" }.joined(separator: " ")
                    + " ET"
                objects.append(
                    Data(
                        ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents \(page + 1) 0 R "
                            + "/Resources << /Font << /F1 \(page + 2) 0 R >> >> >>").utf8))
                objects.append(Data("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream".utf8))
                objects.append(
                    Data("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8))
                continue
            }
            // Colour, not -gray: poppler 22's pdftoppm writes three-component JPEGs even when asked for grey.
            let jpeg = try render(
                textPDF(pages: [lines]), as: "jpeg", in: folder,
                extra: [
                    "-scale-to-x", String(width), "-scale-to-y", String(height),
                ])
            let draw = "q 612 0 0 792 0 0 cm /Scan Do Q"
            objects.append(
                Data(
                    ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents \(page + 1) 0 R "
                        + "/Resources << /XObject << /Scan \(page + 2) 0 R >> >> >>").utf8))
            objects.append(Data("<< /Length \(draw.utf8.count) >>\nstream\n\(draw)\nendstream".utf8))
            var image = Data(
                ("<< /Type /XObject /Subtype /Image /Width \(width) /Height \(height) /ColorSpace /DeviceRGB "
                    + "/BitsPerComponent 8 /Filter /DCTDecode /Length \(jpeg.count) >>\nstream\n").utf8)
            image += jpeg + Data("\nendstream".utf8)
            objects.append(image)
        }
        return assemble(objects)
    }

    /// The first page of `pdf` rendered by `pdftoppm` (`png`, `jpeg` or `tiff`) at 200 dpi unless `extra` says otherwise.
    static func render(_ pdf: Data, as format: String, in folder: URL, extra: [String] = ["-r", "200"]) throws -> Data {
        let name = "render-\(UUID().uuidString.prefix(8))"
        let input = folder.appendingPathComponent("\(name).pdf")
        try pdf.write(to: input)
        let stem = folder.appendingPathComponent(name)
        let run = try runCommand(
            URL(fileURLWithPath: "/usr/bin/pdftoppm"),
            ["-\(format)", "-singlefile"] + extra + [input.path, stem.path],
            timeout: 60)
        guard run.status == 0 else { throw TestFailure("pdftoppm -\(format) failed: \(run.errors)") }
        let suffix = ["jpeg": "jpg", "tiff": "tif"][format] ?? format
        return try Data(contentsOf: stem.appendingPathExtension(suffix))
    }

    /// PDF string-literal text: ( ) \ escaped, Latin-1 letters as octal.
    private static func pdfString(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "(", ")", "\\": out += "\\\(scalar)"
            case _ where scalar.value < 0x80: out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x100: out += "\\" + String(scalar.value, radix: 8)
            default: out += "?"
            }
        }
        return out
    }

    /// Numbered objects with a cross-reference table whose offsets are counted, not guessed.
    private static func assemble(_ objects: [Data]) -> Data {
        var pdf = Data("%PDF-1.4\n%\u{E2}\u{E3}\n".utf8)
        var offsets: [Int] = []
        for (number, body) in objects.enumerated() {
            offsets.append(pdf.count)
            pdf += Data("\(number + 1) 0 obj\n".utf8) + body + Data("\nendobj\n".utf8)
        }
        let xref = pdf.count
        var tail = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { tail += String(format: "%010d 00000 n \n", offset) }
        tail += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return pdf + Data(tail.utf8)
    }
}
