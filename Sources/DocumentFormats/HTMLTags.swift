/// One start or end tag as read from the markup.
struct HTMLTag {
    var name: String
    var attributes: [String: String]
    var isClosing: Bool
    var selfClosing: Bool
    /// Index just past the tag's `>`.
    var end: Int
}

/// Reads a tag and its attributes the way browsers do: quoted values may contain `>`, unquoted
/// values end at whitespace, a missing `>` ends the tag at the end of input.
enum HTMLTagReader {
    static func read(_ scalars: [Unicode.Scalar], at start: Int) -> HTMLTag? {
        var index = start + 1
        let isClosing = index < scalars.count && scalars[index] == "/"
        if isClosing { index += 1 }
        let nameStart = index
        while index < scalars.count, isNameScalar(scalars[index]) { index += 1 }
        guard index > nameStart else { return nil }
        let name = String(String.UnicodeScalarView(scalars[nameStart..<index])).lowercased()
        var attributes: [String: String] = [:]
        var selfClosing = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == ">" {
                return HTMLTag(
                    name: name, attributes: attributes, isClosing: isClosing, selfClosing: selfClosing, end: index + 1)
            }
            if scalar.properties.isWhitespace || scalar == "/" {
                selfClosing = scalar == "/"
                index += 1
                continue
            }
            selfClosing = false
            let keyStart = index
            while index < scalars.count, !scalars[index].properties.isWhitespace, scalars[index] != "=",
                scalars[index] != ">", scalars[index] != "/" || index == keyStart
            {
                index += 1
            }
            let key = String(String.UnicodeScalarView(scalars[keyStart..<index])).lowercased()
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
            var value = ""
            if index < scalars.count, scalars[index] == "=" {
                index += 1
                while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
                if index < scalars.count, scalars[index] == "\"" || scalars[index] == "'" {
                    let quote = scalars[index]
                    let valueStart = index + 1
                    index = valueStart
                    while index < scalars.count, scalars[index] != quote { index += 1 }
                    value = String(String.UnicodeScalarView(scalars[valueStart..<index]))
                    if index < scalars.count { index += 1 }
                } else {
                    let valueStart = index
                    while index < scalars.count, !scalars[index].properties.isWhitespace, scalars[index] != ">" {
                        index += 1
                    }
                    value = String(String.UnicodeScalarView(scalars[valueStart..<index]))
                }
            }
            if !key.isEmpty, attributes[key] == nil { attributes[key] = value }
        }
        return HTMLTag(
            name: name, attributes: attributes, isClosing: isClosing, selfClosing: selfClosing, end: scalars.count)
    }

    static func matches(_ scalars: [Unicode.Scalar], at position: Int, _ literal: String) -> Bool {
        var offset = position
        for expected in literal.unicodeScalars {
            guard offset < scalars.count else { return false }
            let actual = scalars[offset]
            if actual != expected, asciiLower(actual.value) != asciiLower(expected.value) { return false }
            offset += 1
        }
        return true
    }

    /// Tag names are ASCII; folding only A–Z avoids allocating Strings per scanned character.
    private static func asciiLower(_ value: UInt32) -> UInt32 {
        (65...90).contains(value) ? value + 32 : value
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "-" || scalar == ":"
    }
}

/// Builds extracted text the way a browser lays it out: whitespace runs collapse to one space,
/// block boundaries become a line break or a blank line, never more.
struct TextAccumulator {
    private var text = ""
    private var pendingSpace = false
    private var pendingBreak = 0

    mutating func append(_ chunk: String) {
        for character in chunk {
            if character.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingBreak > 0 {
                if !text.isEmpty { text += pendingBreak > 1 ? "\n\n" : "\n" }
                pendingBreak = 0
            } else if pendingSpace, !text.isEmpty {
                text.append(" ")
            }
            pendingSpace = false
            text.append(character)
        }
    }

    mutating func breakLine(paragraph: Bool) {
        pendingBreak = max(pendingBreak, paragraph ? 2 : 1)
        pendingSpace = false
    }

    func finish() -> String { text }
}
