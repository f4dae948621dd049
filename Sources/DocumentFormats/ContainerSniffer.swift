import Foundation

/// Recognises documents with a container or magic number of their own — PDF, DOCX, ODT, RTF —
/// before any attempt to read the bytes as text. A ZIP is looked into: `mimetype` names an
/// OpenDocument type, `[Content_Types].xml` with `word/document.xml` a Word document.
enum ContainerSniffer {
    static func sniff(_ bytes: Data, name: String?) -> ContentKind? {
        let head = [UInt8](bytes.prefix(1024))
        // PDF readers accept junk before the header within the first kilobyte, so do we.
        if indexOf(Array("%PDF-".utf8), in: head) != nil { return .pdf }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return zipKind(bytes, name: name)
        }
        let afterBOM = head.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(head.dropFirst(3)) : head
        if afterBOM.starts(with: Array("{\\rtf".utf8)) { return .rtf }
        return nil
    }

    private static func zipKind(_ bytes: Data, name: String?) -> ContentKind {
        guard let package = ZipPackage.open(bytes) else {
            // Unreadable: let the name say what it was meant to be, so the error can name the format.
            let byName = name.flatMap(ContentTypeDetector.kind(forFileName:))
            return byName == .docx || byName == .odt ? byName! : .binary
        }
        if let mimetype = try? package.readText("mimetype"),
            mimetype.trimmingCharacters(in: .whitespacesAndNewlines) == ContentKind.odt.rawValue
        {
            return .odt
        }
        if package.contains("[Content_Types].xml"), package.contains("word/document.xml") { return .docx }
        return .binary
    }

    /// What a ZIP that is not a DOCX or ODT holds, for the error message.
    static func describeZip(_ bytes: Data) -> String {
        guard let package = ZipPackage.open(bytes) else { return "a truncated or corrupt ZIP archive" }
        if package.contains("xl/workbook.xml") { return "an Excel workbook (XLSX); only DOCX and ODT are read" }
        if package.contains("ppt/presentation.xml") { return "a PowerPoint deck (PPTX); only DOCX and ODT are read" }
        if let mimetype = try? package.readText("mimetype") { return "an OpenDocument file of type \(mimetype)" }
        return "a ZIP archive"
    }

    static func indexOf(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
