import DocumentFormats
import Foundation
import Testing
import TextAnalysis

private func extract(_ bytes: Data) throws(ExtractionError) -> Extraction {
    try DocumentExtractor.extract(bytes: bytes, name: "note.txt", contentTypeHint: nil, contentHash: "h")
}

@Suite struct EncodingTests {
    static let french = "Le café de la gare a fermé à Noël. Les habitués étaient déçus."

    @Test func utf8WithAndWithoutBOM() throws {
        #expect(try extract(Data(Self.french.utf8)).text == Self.french)
        #expect(try extract(Data(Self.french.utf8)).metadata["encoding"] == nil)
        #expect(try extract(Data([0xEF, 0xBB, 0xBF]) + Data(Self.french.utf8)).text == Self.french)
    }

    @Test func utf16WithBOMAndWithout() throws {
        for (encoding, bom, name) in [
            (String.Encoding.utf16LittleEndian, [UInt8]([0xFF, 0xFE]), "utf-16le"),
            (.utf16BigEndian, [0xFE, 0xFF], "utf-16be"),
        ] {
            let body = Self.french.data(using: encoding)!
            let marked = try extract(Data(bom) + body)
            #expect(marked.text == Self.french)
            #expect(marked.metadata["encoding"] == name)
            let unmarked = try extract(body)
            #expect(unmarked.text == Self.french)
            #expect(unmarked.metadata["encoding"] == name)
        }
    }

    @Test func latin1AndWindows1252() throws {
        let latin1 = Self.french.data(using: .isoLatin1)!
        let fromLatin1 = try extract(latin1)
        #expect(fromLatin1.text == Self.french)
        #expect(fromLatin1.metadata["encoding"] == "iso-8859-1")
        #expect(fromLatin1.language == "fr")
        // 0x80 is € and 0x93/0x94 are curly quotes only in Windows-1252.
        let cp1252 = Data([
            0x49, 0x6C, 0x20, 0x63, 0x6F, 0xFB, 0x74, 0x65, 0x20, 0x35, 0x80, 0x2C, 0x20, 0x93, 0x63, 0x68, 0x65, 0x72,
            0x94, 0x2E,
        ])
        let fromCP1252 = try extract(cp1252)
        #expect(fromCP1252.text == "Il coûte 5€, “cher”.")
        #expect(fromCP1252.metadata["encoding"] == "windows-1252")
    }

    @Test func mostlyHighBytesAreNotGuessed() {
        // Cyrillic in a single-byte code page: reading it as Western European would be gibberish.
        let cp1251 = Data((0..<60).map { UInt8(0xC0 + $0 % 32) } + [0x20, 0x2E])
        do {
            _ = try extract(cp1251)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("code page") || error.description.contains("binary"))
        }
    }
}
