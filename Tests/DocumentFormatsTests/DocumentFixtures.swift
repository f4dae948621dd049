import Foundation
import ZIPFoundation

/// Documents built at test time: office files as small in-memory zips of XML parts, and zips
/// that lie about their sizes or explode.
enum DocumentFixtures {
    /// A zip of the given parts, deflated unless `stored`.
    static func zip(_ parts: [(path: String, text: String)], stored: Bool = false) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for part in parts {
            let data = Data(part.text.utf8)
            try archive.addEntry(
                with: part.path, type: .file, uncompressedSize: Int64(data.count),
                compressionMethod: stored ? .none : .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return archive.data ?? Data()
    }

    /// One entry of `size` zero bytes: deflate shrinks it about a thousandfold.
    static func zeroBomb(path: String, size: Int, extraParts: [(path: String, text: String)] = []) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for part in extraParts {
            let data = Data(part.text.utf8)
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate,
            bufferSize: 1 << 20
        ) { _, chunk in Data(count: chunk) }
        return archive.data ?? Data()
    }

    /// Rewrites every declared uncompressed size (local and central headers) to `size`, the way a
    /// hostile archive hides how big it will inflate.
    static func lyingAboutSizes(_ zip: Data, size: UInt32) -> Data {
        var bytes = [UInt8](zip)
        func patch(_ offset: Int) {
            for shift in 0..<4 { bytes[offset + shift] = UInt8((size >> (8 * UInt32(shift))) & 0xFF) }
        }
        var index = 0
        while index + 30 < bytes.count {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4B {
                if bytes[index + 2] == 0x03, bytes[index + 3] == 0x04 { patch(index + 22) }
                if bytes[index + 2] == 0x01, bytes[index + 3] == 0x02 { patch(index + 24) }
            }
            index += 1
        }
        return Data(bytes)
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
        """

    static func docx(paragraphs: [String], title: String = "Quarterly outlook", author: String = "Erika Musterfrau")
        throws -> Data
    {
        let body = paragraphs.map {
            "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr><w:r><w:t xml:space=\"preserve\">\($0)</w:t></w:r></w:p>"
        }
        .joined()
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)\
            <w:p><w:r><w:t>Split </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>run</w:t></w:r><w:r><w:tab/><w:t>after tab &amp; more.</w:t></w:r></w:p>\
            <w:p><w:r><w:instrText>HYPERLINK "http://hidden"</w:instrText></w:r></w:p>\
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell one</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>
            """
        let core = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>\(title)</dc:title><dc:creator>\(author)</dc:creator>\
            <dcterms:created xsi:type="dcterms:W3CDTF">2024-03-05T09:30:00Z</dcterms:created>\
            <dcterms:modified xsi:type="dcterms:W3CDTF">2024-04-01T12:00:00Z</dcterms:modified></cp:coreProperties>
            """
        return try zip([
            ("[Content_Types].xml", contentTypes), ("word/document.xml", document), ("docProps/core.xml", core),
        ])
    }

    static func odt(paragraphs: [String]) throws -> Data {
        let body = paragraphs.map { "<text:p text:style-name=\"P1\">\($0)</text:p>" }.joined()
        let content = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>\
            <text:h text:outline-level="1">Harbour expansion approved</text:h>\(body)\
            <text:p>Two<text:s text:c="3"/>spaces<text:tab/>and a <text:span>span</text:span>.</text:p>\
            </office:text></office:body></office:document-content>
            """
        let meta = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\
            <office:meta><dc:title>Harbour plans</dc:title><meta:initial-creator>Lars Holm</meta:initial-creator>\
            <meta:creation-date>2023-11-20T08:00:00</meta:creation-date><dc:date>2023-12-01T10:00:00</dc:date>\
            </office:meta></office:document-meta>
            """
        // The mimetype entry comes first, as the OpenDocument spec requires.
        return try zip([
            ("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", content), ("meta.xml", meta),
        ])
    }
}
