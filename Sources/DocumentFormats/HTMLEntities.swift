/// Decodes HTML character references (`&amp;`, `&#8217;`, `&#x2014;`). Shared by the HTML and
/// Markdown extractors, since Markdown may carry entities too.
enum HTMLEntities {
    static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text } // not Foundation's string search
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "&", let (decoded, length) = reference(at: index, in: scalars) else {
                output.append(scalars[index])
                index += 1
                continue
            }
            output.append(contentsOf: decoded.unicodeScalars)
            index += length
        }
        return String(output)
    }

    /// The decoded text and the number of scalars consumed, for a reference starting at `start`.
    private static func reference(at start: Int, in scalars: [Unicode.Scalar]) -> (String, Int)? {
        var end = start + 1
        while end < scalars.count, end - start <= 32, scalars[end] != ";",
            scalars[end].properties.isAlphabetic || scalars[end].properties.numericType != nil || scalars[end] == "#"
        {
            end += 1
        }
        let body = String(String.UnicodeScalarView(scalars[(start + 1)..<end]))
        let hasSemicolon = end < scalars.count && scalars[end] == ";"
        let length = end - start + (hasSemicolon ? 1 : 0)
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value else { return nil }
            // Windows-1252 numbers (&#150;) are common in old pages and mean the typographic marks.
            if let mapped = windows1252[value] { return (mapped, length) }
            let scalar = Unicode.Scalar(value).flatMap { $0.value == 0 ? nil : $0 } ?? "\u{FFFD}"
            return (String(Character(scalar)), length)
        }
        guard hasSemicolon || ["amp", "lt", "gt", "quot", "nbsp"].contains(body), let named = named[body] else {
            return nil
        }
        return (named, length)
    }

    private static let windows1252: [UInt32: String] = [
        128: "€", 130: "‚", 132: "„", 133: "…", 145: "‘", 146: "’", 147: "“", 148: "”", 149: "•",
        150: "–", 151: "—", 153: "™",
    ]

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ensp": " ", "emsp": " ",
        "thinsp": " ", "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’", "sbquo": "‚", "ldquo": "“",
        "rdquo": "”", "bdquo": "„", "laquo": "«", "raquo": "»", "lsaquo": "‹", "rsaquo": "›", "hellip": "…",
        "bull": "•", "middot": "·", "copy": "©", "reg": "®", "trade": "™", "euro": "€", "pound": "£",
        "yen": "¥", "cent": "¢", "sect": "§", "para": "¶", "deg": "°", "plusmn": "±", "times": "×",
        "divide": "÷", "frac12": "½", "frac14": "¼", "frac34": "¾", "shy": "", "zwj": "", "zwnj": "",
        "agrave": "à", "aacute": "á", "acirc": "â", "atilde": "ã", "auml": "ä", "aring": "å", "aelig": "æ",
        "ccedil": "ç", "egrave": "è", "eacute": "é", "ecirc": "ê", "euml": "ë", "igrave": "ì", "iacute": "í",
        "icirc": "î", "iuml": "ï", "ntilde": "ñ", "ograve": "ò", "oacute": "ó", "ocirc": "ô", "otilde": "õ",
        "ouml": "ö", "oslash": "ø", "ugrave": "ù", "uacute": "ú", "ucirc": "û", "uuml": "ü", "yacute": "ý",
        "szlig": "ß", "Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Auml": "Ä", "Aring": "Å", "Ccedil": "Ç",
        "Egrave": "È", "Eacute": "É", "Ecirc": "Ê", "Iacute": "Í", "Ntilde": "Ñ", "Oacute": "Ó",
        "Ouml": "Ö", "Oslash": "Ø", "Uacute": "Ú", "Uuml": "Ü", "iexcl": "¡", "iquest": "¿", "prime": "′",
        "Prime": "″", "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "hearts": "♥", "check": "✓",
    ]
}
