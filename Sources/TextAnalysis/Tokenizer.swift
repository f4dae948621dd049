// Word tokenizing shared by every analysis. It works on Unicode scalars rather than Characters
// because grapheme breaking is slow on large documents and words never need it.

/// A piece of text as the tokenizer sees it.
public struct Token: Sendable, Hashable {
    /// What kind of run of characters a token is.
    public enum Kind: Sendable, Hashable {
        case word, number, punctuation
    }

    public var text: String
    public var kind: Kind

    public init(text: String, kind: Kind) {
        self.text = text
        self.kind = kind
    }
}

/// Splits text into words, numbers and punctuation, and into analysis terms.
public enum Tokenizer {
    /// The words and numbers of `text` as written: internal apostrophes and hyphens stay inside
    /// ("Moscow's", "NATO-Russia"), as do decimal points and thousands separators ("1.5", "10,000").
    public static func words(_ text: String) -> [String] {
        var result: [String] = []
        cut(text) { token, kind in if kind != .punctuation { result.append(token()) } }
        return result
    }

    /// How many words and numbers `text` has: `words(text).count` without building them.
    public static func wordCount(_ text: String) -> Int {
        var count = 0
        scan(Array(text.unicodeScalars)) { _, kind in if kind != .punctuation { count += 1 } }
        return count
    }

    /// All tokens, punctuation included (one token per punctuation scalar); whitespace is dropped.
    public static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        cut(text) { token, kind in result.append(Token(text: token(), kind: kind)) }
        return result
    }

    /// `scan` over `text`, handing each token's kind and a way to cut its text out. A token is cut out of
    /// `text` as a substring (a copy of its bytes) instead of being rebuilt scalar by scalar, which was
    /// most of tokenizing; callers that skip some tokens never pay for their text.
    private static func cut(_ text: String, _ body: (_ token: () -> String, Token.Kind) -> Void) {
        let (scalars, positions) = text.indexedScalars()
        scan(scalars) { range, kind in
            body({ String(text.unicodeScalars[positions[range.lowerBound]..<positions[range.upperBound]]) }, kind)
        }
    }

    /// The tokenizer's rules: calls `body` with each token's range in `scalars` and its kind.
    private static func scan(_ scalars: [Unicode.Scalar], _ body: (Range<Int>, Token.Kind) -> Void) {
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isIdeograph(scalar) {
                // Chinese and Japanese are written without spaces; one ideograph per token is the
                // crude but honest unit for counting.
                body(index..<index + 1, .word)
                index += 1
            } else if isWordScalar(scalar) {
                let start = index
                var hasLetter = false
                while index < scalars.count {
                    let current = scalars[index]
                    if isWordScalar(current) && !isIdeograph(current) {
                        if isLetter(current) { hasLetter = true }
                        index += 1
                    } else if isJoiner(current), index + 1 < scalars.count, index > start,
                        isWordScalar(scalars[index + 1]), !isIdeograph(scalars[index + 1]),
                        joinerFits(current, before: scalars[index - 1], after: scalars[index + 1])
                    {
                        index += 2
                    } else {
                        break
                    }
                }
                body(start..<index, hasLetter ? .word : .number)
            } else {
                if !isSpaceOrControl(scalar) { body(index..<index + 1, .punctuation) }
                index += 1
            }
        }
    }

    /// Lowercased content terms: words minus stopwords, numbers and one-letter words. This is the
    /// vocabulary the classifier, TF-IDF and keyword extraction reason about.
    public static func terms(_ text: String) -> [String] {
        var result: [String] = []
        // A word token has a letter (numbers and punctuation have none), and lowercasing keeps it one.
        cut(text) { token, kind in
            guard kind == .word else { return }
            let bare = stripPossessive(token().lowercased())
            guard bare.unicodeScalars.count > 1, !Stopwords.isStopword(bare) else { return }
            result.append(bare)
        }
        return result
    }

    /// Folds English plurals together ("ministers" → "minister", "countries" → "country") so
    /// similarity and keyword counts are not split by inflection. Deliberately conservative.
    public static func stem(_ term: String) -> String {
        let count = term.count
        if count > 4, term.hasSuffix("ies") { return String(term.dropLast(3)) + "y" }
        if count > 4, term.hasSuffix("sses") { return String(term.dropLast(2)) }
        if count > 3, term.hasSuffix("s"), !term.hasSuffix("ss"), !term.hasSuffix("us"), !term.hasSuffix("is") {
            return String(term.dropLast())
        }
        return term
    }

    /// "moscow's" → "moscow"; possessives are not separate terms. (Read on the last two scalars: the
    /// Character-based `hasSuffix` was a tenth of making terms.)
    static func stripPossessive(_ word: String) -> String {
        let scalars = word.unicodeScalars
        guard let last = scalars.last else { return word }
        let isApostrophe = { (scalar: Unicode.Scalar) in scalar == "'" || scalar == "’" }
        if isApostrophe(last) { return String(String.UnicodeScalarView(scalars.dropLast())) }
        guard last == "s" || last == "S", scalars.count > 2 else { return word }
        let beforeLast = scalars[scalars.index(before: scalars.index(before: scalars.endIndex))]
        return isApostrophe(beforeLast) ? String(String.UnicodeScalarView(scalars.dropLast(2))) : word
    }

    // Most text is ASCII, and Unicode property lookups dominated the tokenizer's profile, so each
    // test below answers ASCII from the code point and asks the property tables only beyond it.

    /// A letter (Unicode "Alphabetic").
    @inline(__always)
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) }
        return scalar.properties.isAlphabetic
    }

    @inline(__always)
    static func isSpaceOrControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value <= 0x20 || value == 0x7F }
        return scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
    }

    @inline(__always)
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (0x30...0x39).contains(value) }
        return scalar.properties.numericType != nil
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (0x30...0x39).contains(value) || isLetter(scalar) }
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark, .letterNumber: return true
        default: return false
        }
    }

    static func isIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    private static func isJoiner(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "'", "’", "-", "‐", ".", ",": return true
        default: return false
        }
    }

    /// Apostrophes and hyphens join letters; "." and "," join only digits (1.5, 10,000), so that
    /// "end.Next" still splits.
    private static func joinerFits(_ joiner: Unicode.Scalar, before: Unicode.Scalar, after: Unicode.Scalar) -> Bool {
        if joiner == "." || joiner == "," {
            return isDigit(before) && isDigit(after)
        }
        return true
    }
}
