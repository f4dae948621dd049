public import Foundation

/// The document formats the extractor understands; the raw value is the MIME type.
public enum ContentKind: String, Codable, Sendable, CaseIterable {
    case plainText = "text/plain"
    case markdown = "text/markdown"
    case html = "text/html"
    case json = "application/json"
    case csv = "text/csv"
    case email = "message/rfc822"
    case rtf = "application/rtf"
    case pdf = "application/pdf"
    case docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    case odt = "application/vnd.oasis.opendocument.text"
    /// Images, read by OCR in the extractor worker; told by their magic numbers only.
    case png = "image/png"
    case jpeg = "image/jpeg"
    case tiff = "image/tiff"
    case binary = "application/octet-stream"
}

/// Decides what kind of document a byte string is. The bytes are trusted over the name and the
/// name over the caller's hint, because names and hints are often wrong ("download.php", a
/// `text/plain` upload of an HTML page) while a document's own first bytes rarely are.
public enum ContentTypeDetector {
    public static func detect(bytes: Data, name: String?, hint: String?) -> ContentKind {
        if let container = ContainerSniffer.sniff(bytes, name: name) { return container }
        if let sniffed = sniff(bytes) { return sniffed }
        if let name, let byName = kind(forFileName: name) { return byName }
        if let hint, let byHint = kind(forMIMEType: hint) { return byHint }
        return .plainText
    }

    /// What the bytes themselves say, or nil when they are text with no telling features.
    static func sniff(_ bytes: Data) -> ContentKind? {
        if let image = RasterImage.kind(of: bytes) { return image }
        if BinarySniffer.describeBinary(bytes) != nil { return .binary }
        // Markers sit at the start; a bounded prefix keeps detection cheap on huge inputs.
        guard
            let text = TextDecoder.decodePrefix(bytes, limit: 4096)
                ?? TextDecoder.decodeDetectingEncoding(bytes.prefix(4096))?.text
        else { return nil }
        if EmailHeaders.looksLikeMessage(text) { return .email }
        let trimmed = text.drop(while: { $0.isWhitespace })
        let lower = trimmed.prefix(512).lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.hasPrefix("<head")
            || lower.hasPrefix("<body") || lower.hasPrefix("<?xml") && lower.contains("<html")
        {
            return .html
        }
        if let first = trimmed.first, first == "{" || first == "[" {
            // Only text that really parses is JSON; "[citation needed] …" is not.
            if let full = TextDecoder.decode(bytes), (try? JSONText.parse(full)) != nil { return .json }
        }
        if looksLikeMarkdown(text) { return .markdown }
        if lower.hasPrefix("<") && (lower.contains("<p>") || lower.contains("<div") || lower.contains("<article")) {
            return .html
        }
        return nil
    }

    static func kind(forFileName name: String) -> ContentKind? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "txt", "text": return .plainText
        case "md", "markdown", "mdown", "mkd": return .markdown
        case "html", "htm", "xhtml": return .html
        case "json": return .json
        case "csv", "tsv": return .csv
        case "eml", "mbox": return .email
        case "rtf": return .rtf
        case "pdf": return .pdf
        case "docx": return .docx
        case "odt": return .odt
        case "png", "jpg", "jpeg", "tif", "tiff", "gif", "zip", "gz", "xlsx", "pptx", "doc", "xls", "exe", "bin":
            return .binary
        default: return nil
        }
    }

    static func kind(forMIMEType mime: String) -> ContentKind? {
        let essence =
            mime.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        // An image is only what its magic number says: a hint alone must not send text to OCR.
        if let exact = ContentKind(rawValue: essence), !exact.rawValue.hasPrefix("image/") { return exact }
        switch essence {
        case "application/xhtml+xml": return .html
        case "text/x-markdown": return .markdown
        case "text/json": return .json
        case "text/tab-separated-values", "application/csv": return .csv
        case "text/rtf": return .rtf
        default:
            if essence.hasPrefix("text/") { return .plainText }
            if essence.hasSuffix("+json") { return .json }
            return nil
        }
    }

    /// Markdown has no magic number; a heading line, a link or strong emphasis is telling enough.
    static func looksLikeMarkdown(_ text: String) -> Bool {
        var markers = 0
        for line in text.split(separator: "\n", maxSplits: 200).prefix(200) {
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("# ") || trimmed.hasPrefix("## ") || trimmed.hasPrefix("### ")
                || trimmed.hasPrefix("```")
            {
                markers += 2
            }
            // On the bytes: Foundation's substring search per line was most of sniffing a text.
            if line.utf8.containsPair(0x5D, 0x28) { markers += 2 } // "]("
            if line.utf8.containsPair(0x2A, 0x2A) { markers += 1 } // "**"
        }
        return markers >= 2
    }
}

/// Recognises the common binary formats by their magic numbers, and binary data in general by NULs.
enum BinarySniffer {
    /// A short description of what the bytes look like, or nil when they may be text.
    static func describeBinary(_ bytes: Data) -> String? {
        let head = [UInt8](bytes.prefix(8192))
        let magics: [([UInt8], String)] = [
            ([0x25, 0x50, 0x44, 0x46], "PDF document"),
            ([0x89, 0x50, 0x4E, 0x47], "PNG image"),
            ([0xFF, 0xD8, 0xFF], "JPEG image"),
            ([0x47, 0x49, 0x46, 0x38], "GIF image"),
            ([0x50, 0x4B, 0x03, 0x04], "ZIP archive or Office document"),
            ([0x1F, 0x8B], "gzip archive"),
            ([0x7F, 0x45, 0x4C, 0x46], "ELF executable"),
            ([0xD0, 0xCF, 0x11, 0xE0], "legacy Office document"),
        ]
        for (magic, what) in magics where head.starts(with: magic) { return what }
        if TextDecoder.utf16Encoding(of: head) != nil || TextDecoder.unmarkedUTF16(bytes) != nil { return nil }
        if head.contains(0) { return "contains NUL bytes" }
        let controls = head.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C && $0 != 0x1B }
        if !head.isEmpty, controls.count * 20 > head.count { return "mostly control characters" }
        return nil
    }
}

extension Substring.UTF8View {
    /// Whether the two bytes occur one right after the other.
    fileprivate func containsPair(_ first: UInt8, _ second: UInt8) -> Bool {
        var previous: UInt8 = 0
        for byte in self {
            if previous == first && byte == second { return true }
            previous = byte
        }
        return false
    }
}
