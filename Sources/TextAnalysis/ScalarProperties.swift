// The Unicode properties the analyses ask of nearly every scalar or word, answered from the code point
// for ASCII and from the property tables only beyond it: the table lookups (`scalar.properties`) were
// about a twentieth of the text chain's profile, for text that is nearly all ASCII.

extension Unicode.Scalar {
    /// `properties.isUppercase`.
    @inline(__always)
    package var isUppercase: Bool { value < 0x80 ? (0x41...0x5A).contains(value) : properties.isUppercase }

    /// `properties.isLowercase`.
    @inline(__always)
    package var isLowercase: Bool { value < 0x80 ? (0x61...0x7A).contains(value) : properties.isLowercase }

    /// `properties.isAlphabetic`.
    @inline(__always)
    package var isAlphabetic: Bool {
        value < 0x80 ? (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) : properties.isAlphabetic
    }

    /// `properties.isWhitespace` (Unicode White_Space).
    @inline(__always)
    package var isWhitespace: Bool {
        value < 0x80 ? value == 0x20 || (0x09...0x0D).contains(value) : properties.isWhitespace
    }

    /// `properties.numericType != nil`.
    @inline(__always)
    package var isNumeric: Bool { value < 0x80 ? (0x30...0x39).contains(value) : properties.numericType != nil }
}
