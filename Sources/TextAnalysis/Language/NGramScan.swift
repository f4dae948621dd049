import Foundation

// Turning text into the character 1-, 2- and 3-grams that the language profiles count.
//
// The profiles (see NGramLanguageModel) were counted by langdetect, so a text has to be cut into
// n-grams the same way or its n-grams will not be found in them. The conventions, as facts about
// that format:
// - Characters are first folded: ASCII non-letters, general punctuation and a few Latin-1 signs
//   become a space; Romanian comma-below letters become their cedilla forms; Vietnamese letters
//   with two diacritics collapse to one stand-in; every hiragana, every katakana, every bopomofo
//   and every hangul syllable collapses to one stand-in per block; CJK ideographs collapse to the
//   first member of their frequency class (the classes come with the profile file).
// - A space marks a word boundary; runs of spaces count as one. N-grams may start or end with
//   the boundary space (" th", "he "), but a lone space is not a 1-gram.
// - Letters are not lowercased, but inside a word written in capitals (two capitals in a row) no
//   n-grams are taken: acronyms say nothing about the language around them.

/// One n-gram packed into an integer: up to three Unicode scalars, 21 bits each. Scalar 0 never
/// occurs after folding, so shorter n-grams cannot collide with longer ones.
typealias NGramKey = UInt64

enum NGramScan {
    static func key<S: Sequence<Unicode.Scalar>>(_ scalars: S) -> NGramKey? {
        var key: NGramKey = 0
        var count = 0
        for scalar in scalars {
            count += 1
            guard count <= 3 else { return nil }
            key = key << 21 | NGramKey(scalar.value)
        }
        return count == 0 ? nil : key
    }

    /// Calls `body` with every n-gram of `text`, after the folding described above.
    static func forEachNGram(in text: String, folding: CharacterFolding, _ body: (NGramKey) -> Void) {
        let space: Unicode.Scalar = " "
        // The last three folded characters, oldest first (three locals, not an array: this runs per character).
        var (oldest, middle, newest) = (space, space, space)
        var length = 1 // how many of those belong to the current run (boundary included)
        var inCapitalWord = false
        // Canonical composition first: a Vietnamese vowel typed as a base letter plus combining
        // marks has to meet the profiles as the precomposed letter. Composition is costly and only
        // changes text with combining marks or conjoining jamo, so other text (most of it) skips it.
        let composed =
            text.unicodeScalars.contains(where: Self.mayCompose)
            ? text.precomposedStringWithCanonicalMapping : text
        for raw in composed.unicodeScalars {
            let scalar = folding.fold(raw)
            let previous = newest
            if previous == space {
                length = 1
                inCapitalWord = false
                if scalar == space { continue }
            }
            (oldest, middle, newest) = (middle, newest, scalar)
            length = min(length + 1, 3)
            if isUppercase(scalar) {
                if isUppercase(previous) { inCapitalWord = true }
            } else {
                inCapitalWord = false
            }
            if inCapitalWord { continue }
            if scalar != space { body(NGramKey(scalar.value)) }
            if length >= 2 { body(NGramKey(middle.value) << 21 | NGramKey(scalar.value)) }
            if length >= 3 {
                body(NGramKey(oldest.value) << 42 | NGramKey(middle.value) << 21 | NGramKey(scalar.value))
            }
        }
    }
}

extension NGramScan {
    /// Whether NFC could change text around this scalar: a combining mark, or a Hangul jamo.
    static func mayCompose(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0x300 else { return false }
        if (0x1100...0x11FF).contains(scalar.value) { return true }
        return scalar.properties.canonicalCombiningClass != .notReordered
            || scalar.properties.generalCategory == .spacingMark
    }

    /// ASCII answered from the code point; the property table only beyond it (a hot path).
    @inline(__always)
    static func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80 ? (0x41...0x5A).contains(scalar.value) : scalar.properties.isUppercase
    }
}

/// The character folding applied before n-grams are taken.
struct CharacterFolding: Sendable {
    /// CJK ideograph → the representative of its class.
    var ideographClasses: [Unicode.Scalar: Unicode.Scalar] = [:]

    func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            let isLetter = (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
            return isLetter ? scalar : " "
        case 0xA0, 0xAB, 0xB0, 0xBB: return " "
        case 0x0219: return "\u{015F}" // ș → ş
        case 0x021B: return "\u{0163}" // ț → ţ
        case 0x2000...0x206F: return " "
        case 0x06CC: return "\u{064A}" // Farsi yeh → Arabic yeh
        case 0x1EA0...0x1EFF: return "\u{1EC3}"
        case 0x3040...0x309F: return "\u{3042}"
        case 0x30A0...0x30FF: return "\u{30A2}"
        case 0x3100...0x312F, 0x31A0...0x31BF: return "\u{3105}"
        case 0x4E00...0x9FFF: return ideographClasses[scalar] ?? scalar
        case 0xAC00...0xD7AF: return "\u{AC00}"
        default:
            // Control characters and other separators are word boundaries too.
            if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace { return " " }
            return scalar
        }
    }
}
