/// Renders one line of inline Markdown to the text a reader sees: link and image text without
/// their URLs, code without backticks, emphasis without its markers.
enum MarkdownInline {
    static func render(_ line: String) -> String {
        // Most lines of a long document hold no inline syntax at all; they skip the walk over
        // Characters, which was half of reading a large Markdown file.
        guard line.utf8.contains(where: isSyntaxByte) else { return HTMLEntities.decode(line).trimmingSpaces() }
        let chars = Array(line)
        var out = ""
        var index = 0
        while index < chars.count {
            let char = chars[index]
            switch char {
            case "\\"
            where index + 1 < chars.count && chars[index + 1].isPunctuation
                || index + 1 < chars.count && chars[index + 1].isSymbol:
                out.append(chars[index + 1])
                index += 2
            case "!" where index + 1 < chars.count && chars[index + 1] == "[":
                if let (label, end) = link(chars, at: index + 1) {
                    out += render(label)
                    index = end
                } else {
                    out.append(char)
                    index += 1
                }
            case "[":
                if let (label, end) = link(chars, at: index) {
                    out += render(label)
                    index = end
                } else {
                    out.append(char)
                    index += 1
                }
            case "`":
                let ticks = run(of: "`", in: chars, at: index)
                if let close = find(String(repeating: "`", count: ticks), in: chars, from: index + ticks) {
                    out += String(chars[(index + ticks)..<close]).trimmingSpaces()
                    index = close + ticks
                } else {
                    out += String(repeating: "`", count: ticks)
                    index += ticks
                }
            case "<":
                if let close = chars[index..<min(chars.count, index + 300)].firstIndex(of: ">") {
                    let inner = String(chars[(index + 1)..<close])
                    if inner.hasPrefix("http://") || inner.hasPrefix("https://") || inner.hasPrefix("mailto:") {
                        out += inner.hasPrefix("mailto:") ? String(inner.dropFirst(7)) : inner
                        index = close + 1
                        continue
                    }
                    if let first = inner.first, first.isLetter || first == "/" || first == "!" {
                        index = close + 1 // inline HTML tag: drop the tag, keep what it wraps
                        continue
                    }
                }
                out.append(char)
                index += 1
            case "*", "_", "~":
                let count = run(of: char, in: chars, at: index)
                let before = index > 0 ? chars[index - 1] : " "
                let after = index + count < chars.count ? chars[index + count] : " "
                let isMarker: Bool
                if char == "~" {
                    isMarker = count == 2
                } else if count >= 2 {
                    isMarker = true
                } else {
                    // A lone * or _ is emphasis only at a word edge; snake_case and 2*3 stay.
                    let opens = !after.isWhitespace && !(before.isLetter || before.isNumber)
                    let closes = !before.isWhitespace && !(after.isLetter || after.isNumber)
                    isMarker = opens || closes
                }
                if !isMarker { out += String(repeating: char, count: count) }
                index += count
            default:
                out.append(char)
                index += 1
            }
        }
        return HTMLEntities.decode(out).trimmingSpaces()
    }

    /// The ASCII characters `render` treats specially ("!" matters only before "[").
    private static func isSyntaxByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "["), UInt8(ascii: "`"), UInt8(ascii: "<"), UInt8(ascii: "*"),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// A link or image starting at `[`: its label and the index after the whole construct.
    private static func link(_ chars: [Character], at open: Int) -> (String, Int)? {
        var depth = 0
        var close: Int?
        var index = open
        while index < chars.count, index - open < 2000 {
            if chars[index] == "[" { depth += 1 }
            if chars[index] == "]" {
                depth -= 1
                if depth == 0 {
                    close = index
                    break
                }
            }
            index += 1
        }
        guard let close else { return nil }
        let label = String(chars[(open + 1)..<close])
        let next = close + 1
        if next < chars.count, chars[next] == "(" {
            var parens = 0
            var end = next
            while end < chars.count, end - next < 2000 {
                if chars[end] == "(" { parens += 1 }
                if chars[end] == ")" {
                    parens -= 1
                    if parens == 0 { return (label, end + 1) }
                }
                end += 1
            }
            return nil
        }
        if next < chars.count, chars[next] == "[",
            let refClose = chars[next..<min(chars.count, next + 200)].firstIndex(of: "]")
        {
            return (label, refClose + 1)
        }
        return nil
    }

    private static func run(of char: Character, in chars: [Character], at start: Int) -> Int {
        var end = start
        while end < chars.count, chars[end] == char { end += 1 }
        return end - start
    }

    private static func find(_ literal: String, in chars: [Character], from start: Int) -> Int? {
        // Bounded: code spans are short, and an unclosed backtick must not make a huge line quadratic.
        let needle = Array(literal)
        let last = min(chars.count - needle.count, start + 2000)
        guard !needle.isEmpty, start <= last else { return nil }
        for position in start...last where chars[position..<(position + needle.count)].elementsEqual(needle) {
            return position
        }
        return nil
    }
}
