import Foundation

/// Reads Rich Text Format: the visible text (with `\'hh` Windows-1252 bytes and `\uN` Unicode
/// escapes), and title, author and creation date from the `\info` group. Font tables, styles,
/// pictures, fields' instructions and other destinations are skipped. The parser is a flat loop
/// with an explicit group stack, so deep nesting cannot overflow the call stack.
public enum RTFText {
    public static func content(of source: String) throws(ExtractionError) -> DocumentContent {
        guard source.drop(while: { $0 == "\u{FEFF}" }).hasPrefix("{\\rtf") else {
            throw .malformed(format: "RTF", detail: "it does not start with {\\rtf")
        }
        var reader = RTFReader(Array(source.unicodeScalars))
        reader.run()
        var content = DocumentContent(text: reader.text)
        content.title = PropertyTitle.clean(reader.info["title"])
        content.author = reader.info["author"].flatMap { $0.isEmpty ? nil : $0 }
        for key in ["subject", "keywords", "company", "operator"] {
            if let value = reader.info[key], !value.isEmpty { content.metadata[key] = value }
        }
        if let created = reader.info["creatim"] { content.metadata["created"] = created }
        if let revised = reader.info["revtim"] { content.metadata["modified"] = revised }
        return content
    }
}

private struct RTFReader {
    struct Group {
        var skip = false
        var unicodeSkip = 1
        /// The `\info` field this group's text goes to ("title", "author", …), if any.
        var infoField: String?
    }

    static let skippedDestinations: Set<String> = [
        "fonttbl", "colortbl", "stylesheet", "pict", "object", "header", "footer", "headerl", "headerr", "headerf",
        "footerl", "footerr", "footerf", "fldinst", "themedata", "colorschememapping", "latentstyles", "datastore",
        "xmlnstbl", "listtable", "listoverridetable", "rsidtbl", "generator", "pgdsctbl", "filetbl", "revtbl",
        "bkmkstart", "bkmkend", "footnote", "annotation", "atnid", "atnauthor", "mmathPr", "wgrffmtfilter",
    ]
    static let textInfoFields: Set<String> = ["title", "author", "subject", "keywords", "company", "operator"]
    static let maxDepth = 10_000

    let scalars: [Unicode.Scalar]
    var index = 0
    var output = String.UnicodeScalarView()
    var info: [String: String] = [:]
    var stack = [Group()]
    var pendingSkip = 0
    var dateParts: [String: Int] = [:]

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var text: String {
        // Paragraph marks become blank lines; runs of them collapse to one.
        var result = String(output)
        while result.contains("\n\n\n") { result = result.replacingOccurrences(of: "\n\n\n", with: "\n\n") }
        return result
    }

    mutating func run() {
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "{":
                if stack.count < Self.maxDepth { stack.append(stack[stack.count - 1]) }
                stack[stack.count - 1].infoField = nil
                // A group inside `\info` is a field; one inside a text field (`{\title {\lang1033 Budget}}`,
                // as some writers wrap runs) is more of that field's text, not body text.
                if stack.count >= 2, let parent = stack[stack.count - 2].infoField,
                    parent == "info" || Self.textInfoFields.contains(parent)
                {
                    stack[stack.count - 1].infoField = parent
                }
            case "}":
                closeGroup()
            case "\\":
                controlSymbol()
            case "\r", "\n":
                continue
            default:
                emit(scalar)
            }
        }
    }

    private mutating func closeGroup() {
        guard stack.count > 1 else { return }
        let closed = stack.removeLast()
        if let field = closed.infoField, field == "creatim" || field == "revtim" {
            if let year = dateParts["yr"] {
                let month = dateParts["mo"] ?? 1
                let day = dateParts["dy"] ?? 1
                info[field] = String(format: "%04d-%02d-%02d", year, month, day)
            }
            dateParts = [:]
        } else if let field = closed.infoField, Self.textInfoFields.contains(field), stack.last?.infoField != field {
            info[field] = info[field]?.trimmingCharacters(in: .whitespaces)
        }
    }

    private mutating func emit(_ scalar: Unicode.Scalar) {
        if pendingSkip > 0 {
            pendingSkip -= 1
            return
        }
        let group = stack[stack.count - 1]
        if let field = group.infoField, Self.textInfoFields.contains(field) {
            info[field, default: ""].unicodeScalars.append(scalar)
            return
        }
        guard !group.skip, group.infoField == nil else { return }
        output.append(scalar)
    }

    private mutating func controlSymbol() {
        guard index < scalars.count else { return }
        let first = scalars[index]
        guard first.isASCII, first.properties.isAlphabetic else {
            index += 1
            switch first {
            case "\\", "{", "}": emit(first)
            case "~": emit("\u{00A0}")
            case "_": emit("\u{2011}")
            case "*": stack[stack.count - 1].skip = true // an optional destination this reader does not know
            case "'": hexByte()
            case "\n", "\r": emit("\n")
            default: break
            }
            return
        }
        var word = ""
        while index < scalars.count, scalars[index].isASCII, scalars[index].properties.isAlphabetic, word.count < 32 {
            word.unicodeScalars.append(scalars[index])
            index += 1
        }
        var digits = ""
        if index < scalars.count, scalars[index] == "-" {
            digits = "-"
            index += 1
        }
        while index < scalars.count, ("0"..."9").contains(scalars[index]), digits.count < 11 {
            digits.unicodeScalars.append(scalars[index])
            index += 1
        }
        if index < scalars.count, scalars[index] == " " { index += 1 }
        controlWord(word, Int(digits))
    }

    private mutating func hexByte() {
        guard index + 1 < scalars.count,
            let byte = UInt8(String(String.UnicodeScalarView(scalars[index...(index + 1)])), radix: 16)
        else { return }
        index += 2
        for scalar in TextDecoder.windows1252(Data([byte])).unicodeScalars { emit(scalar) }
    }

    private mutating func controlWord(_ word: String, _ parameter: Int?) {
        switch word {
        case "par", "sect", "page":
            emit("\n")
            emit("\n")
        case "line", "row": emit("\n")
        case "tab", "cell": emit("\t")
        case "emdash": emit("\u{2014}")
        case "endash": emit("\u{2013}")
        case "bullet": emit("\u{2022}")
        case "lquote": emit("\u{2018}")
        case "rquote": emit("\u{2019}")
        case "ldblquote": emit("\u{201C}")
        case "rdblquote": emit("\u{201D}")
        case "uc": stack[stack.count - 1].unicodeSkip = max(0, min(parameter ?? 1, 8))
        case "u":
            guard let parameter else { return }
            let value = parameter < 0 ? parameter + 65_536 : parameter
            if let scalar = Unicode.Scalar(UInt32(clamping: value)) { emit(scalar) }
            pendingSkip = stack[stack.count - 1].unicodeSkip
        case "info": stack[stack.count - 1].infoField = "info"
        case "creatim", "revtim": stack[stack.count - 1].infoField = word
        case "yr", "mo", "dy": if let parameter { dateParts[word] = parameter }
        default:
            if Self.textInfoFields.contains(word), stack[stack.count - 1].infoField == "info" {
                stack[stack.count - 1].infoField = word
            } else if Self.skippedDestinations.contains(word) {
                stack[stack.count - 1].skip = true
            }
        }
    }
}
