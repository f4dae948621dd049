// Trimming and line-break checks that stay in Swift. Foundation's `trimmingCharacters(in:)` on
// Linux bridges every line to an NSString and back, which was 8 % of extracting a 5 MB text; a
// document has one call per line, so this is on the hot path of every reader.

extension Unicode.Scalar {
    /// Membership in Foundation's `CharacterSet.whitespaces` exactly as CoreFoundation tests it:
    /// tab, the space separators (Zs) and U+200B, which CoreFoundation counts with them.
    package var isHorizontalSpace: Bool {
        switch value {
        case 0x20, 0x09, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}

extension String {
    /// The same as `trimmingCharacters(in: .whitespaces)`, without the round trip through NSString.
    package func trimmingHorizontalSpace() -> String { self[...].trimmingHorizontalSpace() }
}

extension Substring {
    /// The same as `trimmingCharacters(in: .whitespaces)`, without the round trip through NSString.
    package func trimmingHorizontalSpace() -> String {
        let view = unicodeScalars
        var start = view.startIndex
        var end = view.endIndex
        while start < end, view[start].isHorizontalSpace { view.formIndex(after: &start) }
        while start < end {
            let before = view.index(before: end)
            guard view[before].isHorizontalSpace else { break }
            end = before
        }
        return String(view[start..<end])
    }
}

// `package`: the format readers (DocumentFormats) trim every line they read with these too.

extension StringProtocol {
    /// The text without leading and trailing white space, line breaks included (`Character.isWhitespace`).
    package func trimmingSpaces() -> String {
        var view = self[...]
        while view.first?.isWhitespace == true { view.removeFirst() }
        while view.last?.isWhitespace == true { view.removeLast() }
        return String(view)
    }
}
