/// One thing read from an XML document.
enum XMLEvent {
    case start(name: String, attributes: [String: String], selfClosing: Bool)
    case end(name: String)
    case text(String)
}

/// A minimal, non-validating XML reader for the parts of office documents: elements, attributes
/// and text. It never expands a DTD or custom entity, by design: a hostile document can neither
/// make it fetch anything nor blow up ("billion laughs"); only the five predefined entities and
/// character references are decoded. Malformed input ends the scan quietly with what was read.
enum XMLScanner {
    static func scan(_ bytes: [UInt8], _ handle: (XMLEvent) -> Void) {
        var index = 0
        var textStart = 0
        func flushText(upTo end: Int) {
            guard end > textStart else { return }
            handle(.text(decodeEntities(bytes[textStart..<end])))
        }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            flushText(upTo: index)
            if starts(bytes, at: index, with: "<!--") {
                index = find(bytes, "-->", from: index + 4).map { $0 + 3 } ?? bytes.count
            } else if starts(bytes, at: index, with: "<![CDATA[") {
                let end = find(bytes, "]]>", from: index + 9) ?? bytes.count
                handle(.text(String(decoding: bytes[(index + 9)..<end], as: UTF8.self)))
                index = min(end + 3, bytes.count)
            } else if starts(bytes, at: index, with: "<?") {
                index = find(bytes, "?>", from: index + 2).map { $0 + 2 } ?? bytes.count
            } else if starts(bytes, at: index, with: "<!") {
                index = skipDeclaration(bytes, from: index + 2)
            } else {
                index = readTag(bytes, at: index, handle)
            }
            textStart = index
        }
        flushText(upTo: bytes.count)
    }

    /// A `<!DOCTYPE … [ … ]>` may nest brackets; the internal subset is skipped, not interpreted.
    private static func skipDeclaration(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ">") where depth <= 0: return index + 1
            default: break
            }
            index += 1
        }
        return bytes.count
    }

    private static func readTag(_ bytes: [UInt8], at start: Int, _ handle: (XMLEvent) -> Void) -> Int {
        var index = start + 1
        let closing = index < bytes.count && bytes[index] == UInt8(ascii: "/")
        if closing { index += 1 }
        let nameStart = index
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        var attributes: [String: String] = [:]
        var selfClosing = false
        while index < bytes.count, bytes[index] != UInt8(ascii: ">") {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/") {
                selfClosing = true
                index += 1
            } else if isNameByte(byte) {
                let keyStart = index
                while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
                let key = String(decoding: bytes[keyStart..<index], as: UTF8.self)
                while index < bytes.count, bytes[index] <= 0x20 || bytes[index] == UInt8(ascii: "=") { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'")
                else {
                    continue
                }
                let quote = bytes[index]
                let valueEnd = bytes[(index + 1)...].firstIndex(of: quote) ?? bytes.count
                attributes[key] = decodeEntities(bytes[(index + 1)..<valueEnd])
                index = min(valueEnd + 1, bytes.count)
            } else {
                index += 1
            }
        }
        guard !name.isEmpty else { return min(index + 1, bytes.count) }
        if closing {
            handle(.end(name: name))
        } else {
            handle(.start(name: name, attributes: attributes, selfClosing: selfClosing))
            if selfClosing { handle(.end(name: name)) }
        }
        return min(index + 1, bytes.count)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x3A) || (byte >= 0x41 && byte <= 0x5A)
            || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    static func decodeEntities(_ slice: ArraySlice<UInt8>) -> String {
        let raw = String(decoding: slice, as: UTF8.self)
        guard raw.contains("&") else { return raw }
        var result = ""
        var rest = raw[...]
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semi = rest[amp...].prefix(12).firstIndex(of: ";") else {
                result += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semi]
            if let decoded = predefined(entity) {
                result += decoded
            } else {
                result += rest[amp...semi]
            }
            rest = rest[rest.index(after: semi)...]
        }
        return result + rest
    }

    private static func predefined(_ entity: Substring) -> String? {
        switch entity {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard entity.hasPrefix("#") else { return nil }
            let hex = entity.hasPrefix("#x") || entity.hasPrefix("#X")
            let digits = entity.dropFirst(hex ? 2 : 1)
            guard let value = UInt32(digits, radix: hex ? 16 : 10), let scalar = Unicode.Scalar(value) else {
                return nil
            }
            return String(Character(scalar))
        }
    }

    private static func starts(_ bytes: [UInt8], at index: Int, with prefix: String) -> Bool {
        let utf8 = Array(prefix.utf8)
        return index + utf8.count <= bytes.count && bytes[index..<(index + utf8.count)].elementsEqual(utf8)
    }

    private static func find(_ bytes: [UInt8], _ needle: String, from start: Int) -> Int? {
        let utf8 = Array(needle.utf8)
        guard start <= bytes.count - utf8.count else { return nil }
        var index = start
        while index <= bytes.count - utf8.count {
            if bytes[index] == utf8[0], bytes[index..<(index + utf8.count)].elementsEqual(utf8) { return index }
            index += 1
        }
        return nil
    }
}
