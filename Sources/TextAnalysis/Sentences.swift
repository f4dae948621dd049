import Foundation

// Sentence splitting by rule. Statistical splitters need models; for news and reports a few rules
// do well: a terminator followed by space and a capital, unless the word before is an abbreviation
// or an initial, and line breaks end sentences unless the next line continues in lowercase.

/// Splits text into sentences, each returned trimmed with its whitespace runs collapsed to one
/// space (so a sentence is the original text apart from line wrapping).
public enum SentenceSplitter {
    public static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        for segment in lineSegments(text) {
            sentences.append(contentsOf: splitSegment(segment))
        }
        return sentences
    }

    /// Joins lines that continue a sentence (next line starts in lowercase) and keeps the others apart.
    static func lineSegments(_ text: String) -> [String] {
        var segments: [String] = []
        var current = ""
        for rawLine in text.lineSlices() {
            let line = rawLine.trimmingHorizontalSpace()
            if line.isEmpty {
                if !current.isEmpty { segments.append(current) }
                current = ""
                continue
            }
            if !current.isEmpty, let first = line.unicodeScalars.first, first.isLowercase,
                let last = current.unicodeScalars.last, !".!?".unicodeScalars.contains(last)
            {
                current += " " + line
            } else {
                if !current.isEmpty { segments.append(current) }
                current = line
            }
        }
        if !current.isEmpty { segments.append(current) }
        return segments
    }

    private static func splitSegment(_ segment: String) -> [String] {
        // The scalars, for the rules, and where each starts in `segment`, so a sentence is cut out
        // of it as a substring (a copy of bytes) instead of being rebuilt scalar by scalar.
        let (scalars, positions) = segment.indexedScalars()
        func append(_ range: Range<Int>, to result: inout [String]) {
            SentenceSplitter.append(
                segment.unicodeScalars[positions[range.lowerBound]..<positions[range.upperBound]], to: &result)
        }
        var result: [String] = []
        var start = 0
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if cjkTerminators.contains(scalar) {
                var end = index + 1
                while end < scalars.count, closers.contains(scalars[end]) { end += 1 }
                append(start..<end, to: &result)
                start = end
                index = end
                continue
            }
            guard terminators.contains(scalar) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < scalars.count, terminators.contains(scalars[end]) || closers.contains(scalars[end]) { end += 1 }
            var next = end
            while next < scalars.count, scalars[next].isWhitespace { next += 1 }
            let followedBySpace = next > end
            if next >= scalars.count {
                break
            }
            if followedBySpace, startsSentence(scalars[next]),
                !(scalar == "." && isAbbreviation(before: index, in: scalars, of: segment, at: positions))
            {
                append(start..<end, to: &result)
                start = next
            }
            index = max(end, index + 1)
        }
        if start < scalars.count { append(start..<scalars.count, to: &result) }
        return result
    }

    private static func append(_ slice: Substring.UnicodeScalarView, to result: inout [String]) {
        let text = String(slice)
        if isCollapsed(text.unicodeScalars) {
            result.append(text)
            return
        }
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        if !collapsed.isEmpty { result.append(collapsed) }
    }

    /// Single spaces between words and none at the ends: what collapsing leaves alone (almost
    /// every sentence), checked without splitting it into Characters. A space next to a scalar
    /// that could join it into one grapheme (a combining mark after it, a prepended mark before
    /// it) is left to the full collapse; the scalars allowed next to a space are ASCII, Latin-1,
    /// Latin Extended and the General Punctuation quotes and dashes, none of which join.
    static func isCollapsed(_ scalars: String.UnicodeScalarView) -> Bool {
        guard let first = scalars.first, let last = scalars.last, first != " ", last != " " else { return false }
        var previous: Unicode.Scalar = "x"
        for scalar in scalars {
            if isWhitespace(scalar) && scalar != " " { return false }
            if scalar == " " {
                if previous == " " || !isSpaceNeighbour(previous) { return false }
            } else if previous == " " && !isSpaceNeighbour(scalar) {
                return false
            }
            previous = scalar
        }
        return true
    }

    /// Unicode White_Space, the property Character.isWhitespace reads.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    private static func isSpaceNeighbour(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21...0x7E, 0xA1...0xAC, 0xAE...0x2FF, 0x2010...0x201F: true
        default: false
        }
    }

    private static func startsSentence(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.isUppercase || scalar.isNumeric || openers.contains(scalar) }
        let properties = scalar.properties
        if properties.isUppercase || properties.numericType != nil { return true }
        if openers.contains(scalar) { return true }
        // Scripts without case (CJK, Arabic, …) start sentences with any letter.
        return properties.isAlphabetic && !properties.isLowercase && !properties.changesWhenUppercased
    }

    /// "Mr.", "e.g.", "U.S." and single initials ("J. Smith") do not end sentences.
    private static func isAbbreviation(
        before dot: Int, in scalars: [Unicode.Scalar], of segment: String, at positions: [String.Index]
    ) -> Bool {
        var wordStart = dot
        while wordStart > 0, scalars[wordStart - 1].isAlphabetic || scalars[wordStart - 1] == "." {
            wordStart -= 1
        }
        let word = String(segment.unicodeScalars[positions[wordStart]..<positions[dot]]).lowercased()
        if word.isEmpty { return false }
        if word.count == 1, let first = scalars[wordStart..<dot].first, first.isUppercase { return true }
        if word.contains(".") { return true } // "u.s", "e.g", "a.m"
        return abbreviations.contains(word)
    }

    // Short arrays, not sets: they are asked about every scalar of the text, and hashing a scalar
    // (seeded SipHash) cost more than comparing it with ten others; it was 8 % of splitting.
    private static let terminators: [Unicode.Scalar] = [".", "!", "?", "…"]
    private static let cjkTerminators: [Unicode.Scalar] = ["。", "！", "？"]
    private static let closers: [Unicode.Scalar] = ["\"", "'", "”", "’", "»", ")", "]", "」", "』"]
    private static let openers: [Unicode.Scalar] = ["\"", "'", "“", "‘", "«", "(", "[", "„", "¿", "¡"]
    private static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "inc", "ltd", "co", "corp", "gen", "sen",
        "rep", "gov", "lt", "col", "capt", "sgt", "no", "nos", "fig", "approx", "dept", "est", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "vol", "pp",
        "cf", "al", "rev", "hon", "pres", "adm", "maj", "brig", "messrs", "mme", "mlle", "bzw", "z", "ca",
    ]
}
