import Foundation

/// An RFC 5322 header block: unfolded fields, looked up case-insensitively, with RFC 2047
/// encoded words (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`) decoded.
struct EmailHeaders {
    private(set) var fields: [(name: String, value: String)] = []

    /// Parses header lines up to the first empty line; continuation lines (leading space or tab)
    /// belong to the field above them.
    init(_ text: String) {
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t" {
                guard !fields.isEmpty else { continue }
                fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespacesAndNewlines)
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                fields.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
    }

    /// The first field of that name, decoded.
    subscript(_ name: String) -> String? {
        let lower = name.lowercased()
        return fields.first { $0.name == lower }.map { Self.decodeEncodedWords($0.value) }
    }

    /// "text/plain; charset=utf-8; name=\"a b.txt\"" → ("text/plain", ["charset": "utf-8", "name": "a b.txt"]).
    static func splitParameters(_ value: String) -> (value: String, parameters: [String: String]) {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" {
                quoted.toggle()
                continue
            }
            if character == ";", !quoted {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        parts.append(current)
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let key = part[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            parameters[key] = decodeEncodedWords(
                part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
        return (parts[0].trimmingCharacters(in: .whitespaces).lowercased(), parameters)
    }

    /// A message starts with header fields, and a handful of these names is telling: news copy
    /// rarely opens with "From:" and "Subject:" lines together.
    static func looksLikeMessage(_ text: String) -> Bool {
        let known: Set<String> = [
            "from", "to", "subject", "date", "message-id", "mime-version", "received", "return-path", "cc",
            "delivered-to", "content-type", "reply-to", "x-mailer",
        ]
        var seen = Set<String>()
        // maxSplits: the first 60 lines, without cutting up the rest of a long text.
        for line in text.split(separator: "\n", maxSplits: 60, omittingEmptySubsequences: false).prefix(60) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t" { continue }
            guard let colon = line.firstIndex(of: ":"), !line[..<colon].contains(" ") else {
                // "From sender date" is the mbox separator line; anything else ends the header block.
                if line.hasPrefix("From ") && seen.isEmpty { continue }
                return false
            }
            let name = line[..<colon].lowercased()
            if known.contains(name) { seen.insert(name) }
        }
        return seen.count >= 3 || (seen.contains("from") && seen.contains("subject"))
    }

    /// RFC 2047: whitespace between two encoded words is dropped, elsewhere kept.
    static func decodeEncodedWords(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var result = ""
        var rest = value[...]
        var lastWasEncoded = false
        while let start = rest.range(of: "=?") {
            let gap = rest[..<start.lowerBound]
            guard let word = encodedWord(rest[start.lowerBound...]) else {
                result += rest[..<start.upperBound]
                rest = rest[start.upperBound...]
                lastWasEncoded = false
                continue
            }
            if !(lastWasEncoded && gap.allSatisfy(\.isWhitespace)) { result += gap }
            result += word.text
            rest = rest[word.end...]
            lastWasEncoded = true
        }
        return result + rest
    }

    private static func encodedWord(_ text: Substring) -> (text: String, end: Substring.Index)? {
        let parts = text.dropFirst(2).split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[3].hasPrefix("="), parts[0].count < 40 else { return nil }
        let charset = String(parts[0].split(separator: "*").first ?? "")
        let payload = parts[2]
        let end = text.index(after: parts[3].startIndex)
        switch parts[1].uppercased() {
        case "B":
            guard let data = Data(base64Encoded: String(payload), options: .ignoreUnknownCharacters) else { return nil }
            return (TextDecoder.decode(data, charset: charset), end)
        case "Q":
            let bytes = TransferEncoding.quotedPrintable(Data(payload.replacingOccurrences(of: "_", with: " ").utf8))
            return (TextDecoder.decode(bytes, charset: charset), end)
        default:
            return nil
        }
    }
}

/// MIME content-transfer-encodings (RFC 2045).
enum TransferEncoding {
    static func decode(_ body: Data, encoding: String?) -> Data {
        switch encoding?.lowercased() {
        case "base64": return Data(base64Encoded: body, options: .ignoreUnknownCharacters) ?? body
        case "quoted-printable": return quotedPrintable(body)
        default: return body
        }
    }

    /// "=" + two hex digits is a byte, "=" at a line end a soft break; anything else is literal.
    static func quotedPrintable(_ input: Data) -> Data {
        let bytes = [UInt8](input)
        var output = Data(capacity: bytes.count)
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x41...0x46: byte - 0x37
            case 0x61...0x66: byte - 0x57
            default: nil
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "=") {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                    index += 2
                    continue
                }
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                    index += 3
                    continue
                }
                if index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
        return output
    }
}
