public import Foundation

/// Reads an RFC 5322 e-mail (.eml) with MIME: the readable body (text/plain parts, else text/html
/// ones turned into text), Subject as title, From as author, Date as the published date, and the
/// other headers and attachment names as metadata. Nesting and part counts are bounded so a
/// hostile message cannot make the reader recurse or loop without end.
public enum EmailMessage {
    static let maxDepth = 8
    static let maxParts = 500

    public static func content(of bytes: Data) throws(ExtractionError) -> DocumentContent {
        let (headerBytes, body) = splitHeader(bytes)
        let headers = EmailHeaders(TextDecoder.decode(headerBytes, charset: "iso-8859-1"))
        guard headers["from"] != nil || headers["subject"] != nil || headers["date"] != nil else {
            throw .malformed(format: "e-mail", detail: "no From, Subject or Date header")
        }
        var collected = Collected()
        walk(headers: headers, body: body, depth: 0, into: &collected)
        let plain = collected.plain.joined(separator: "\n\n")
        let text = plain.contains(where: { !$0.isWhitespace }) ? plain : collected.html.joined(separator: "\n\n")
        var content = DocumentContent(text: text)
        content.title = headers["subject"].flatMap { $0.isEmpty ? nil : $0 }
        content.author = headers["from"].map(displayName)
        content.published = headers["date"].map(stripWeekday)
        var metadata: [String: String] = [:]
        for (key, header) in [
            ("from", "from"), ("to", "to"), ("cc", "cc"), ("date", "date"), ("message_id", "message-id"),
            ("subject", "subject"), ("reply_to", "reply-to"),
        ] {
            if let value = headers[header], !value.isEmpty { metadata[key] = value }
        }
        if !collected.attachments.isEmpty { metadata["attachments"] = collected.attachments.joined(separator: ", ") }
        content.metadata = metadata
        return content
    }

    private struct Collected {
        var plain: [String] = []
        var html: [String] = []
        var attachments: [String] = []
        var parts = 0
    }

    private static func walk(headers: EmailHeaders, body: Data, depth: Int, into collected: inout Collected) {
        collected.parts += 1
        guard collected.parts <= maxParts else { return }
        let (type, parameters) = EmailHeaders.splitParameters(headers["content-type"] ?? "text/plain")
        let disposition = EmailHeaders.splitParameters(headers["content-disposition"] ?? "")
        let filename = disposition.parameters["filename"] ?? parameters["name"]
        if disposition.value == "attachment" || (filename != nil && !type.hasPrefix("multipart/")) {
            collected.attachments.append(filename ?? type)
            return
        }
        if type.hasPrefix("multipart/"), let boundary = parameters["boundary"], depth < maxDepth {
            for part in splitMultipart(body, boundary: boundary) {
                let (partHeaderBytes, partBody) = splitHeader(part)
                let partHeaders = EmailHeaders(TextDecoder.decode(partHeaderBytes, charset: "iso-8859-1"))
                walk(headers: partHeaders, body: partBody, depth: depth + 1, into: &collected)
            }
            return
        }
        let decoded = TransferEncoding.decode(body, encoding: headers["content-transfer-encoding"])
        switch type {
        case "text/plain", "text/markdown", "text/enriched":
            collected.plain.append(
                TextDecoder.decode(decoded, charset: parameters["charset"]).trimmingCharacters(
                    in: .whitespacesAndNewlines))
        case "text/html":
            collected.html.append(HTMLText.extract(TextDecoder.decode(decoded, charset: parameters["charset"])).text)
        case "message/rfc822":
            // A forwarded message: its subject names it; its text is not this message's body.
            let (inner, _) = splitHeader(decoded)
            collected.attachments.append(
                EmailHeaders(TextDecoder.decode(inner, charset: nil))["subject"] ?? "message/rfc822")
        default:
            collected.attachments.append(type)
        }
    }

    /// The header bytes and the body after the first empty line (CRLF or LF).
    static func splitHeader(_ bytes: Data) -> (Data, Data) {
        let array = [UInt8](bytes)
        var index = 0
        while index < array.count {
            if array[index] == 0x0A {
                if index + 1 < array.count, array[index + 1] == 0x0A {
                    return (Data(array[..<index]), Data(array[(index + 2)...]))
                }
                if index + 2 < array.count, array[index + 1] == 0x0D, array[index + 2] == 0x0A {
                    return (Data(array[..<index]), Data(array[(index + 3)...]))
                }
            }
            index += 1
        }
        return (bytes, Data())
    }

    /// The parts between "--boundary" lines, up to the closing "--boundary--". Works on bytes so
    /// 8-bit parts keep their exact bytes for charset decoding.
    static func splitMultipart(_ body: Data, boundary: String) -> [Data] {
        let delimiter = Array(("--" + boundary).utf8)
        let bytes = [UInt8](body)
        var parts: [Data] = []
        var current: Data?
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0A {
            var end = index
            while end > start, bytes[end - 1] == 0x0D || bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            let line = bytes[start..<end]
            let isClosing =
                line.count == delimiter.count + 2 && line.starts(with: delimiter)
                && line.suffix(2).elementsEqual([0x2D, 0x2D])
            if line.elementsEqual(delimiter) || isClosing {
                if var part = current {
                    if part.last == 0x0A { part.removeLast() }
                    if part.last == 0x0D { part.removeLast() }
                    parts.append(part)
                    if parts.count >= maxParts { return parts }
                }
                if isClosing { return parts }
                current = Data()
            } else if current != nil {
                current!.append(contentsOf: bytes[start..<min(index + 1, bytes.count)])
            }
            start = index + 1
        }
        if let current, !current.isEmpty { parts.append(current) }
        return parts
    }

    /// "Jane Doe <jane@example.com>" → "Jane Doe"; a bare address stays the address.
    static func displayName(_ from: String) -> String {
        guard let open = from.firstIndex(of: "<") else { return from.trimmingCharacters(in: .whitespaces) }
        let name = from[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
        if !name.isEmpty { return name }
        return from[from.index(after: open)...].trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
    }

    /// "Tue, 5 Mar 2024 10:00:00 +0100" → "5 Mar 2024 10:00:00 +0100", which the date reader knows.
    static func stripWeekday(_ date: String) -> String {
        guard let comma = date.firstIndex(of: ","), date.distance(from: date.startIndex, to: comma) <= 4 else {
            return date
        }
        return date[date.index(after: comma)...].trimmingCharacters(in: .whitespaces)
    }
}
