// Cutting text into lines on its bytes. `split(whereSeparator: \.isNewline)` walks Characters
// (grapheme breaking) and was a quarter of sentence splitting on a 5 MB text; every line break
// is a grapheme of its own (GB4/GB5), so cutting at the separators' bytes gives the same lines.

extension String {
    /// The same as `split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })`:
    /// lines broken at LF, VT, FF, CR, CR LF (one break), NEL, LS and PS.
    package func lineSlices() -> [Substring] {
        var lines: [Substring] = []
        let bytes = utf8
        var lineStart = bytes.startIndex
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let byte = bytes[position]
            var breakLength = 0
            switch byte {
            case 0x0A, 0x0B, 0x0C:
                breakLength = 1
            case 0x0D:
                let next = bytes.index(after: position)
                breakLength = next < bytes.endIndex && bytes[next] == 0x0A ? 2 : 1
            case 0xC2:
                let next = bytes.index(after: position)
                if next < bytes.endIndex, bytes[next] == 0x85 { breakLength = 2 }
            case 0xE2:
                let second = bytes.index(after: position)
                if second < bytes.endIndex, bytes[second] == 0x80 {
                    let third = bytes.index(after: second)
                    if third < bytes.endIndex, bytes[third] == 0xA8 || bytes[third] == 0xA9 { breakLength = 3 }
                }
            default:
                break
            }
            if breakLength == 0 {
                bytes.formIndex(after: &position)
                continue
            }
            lines.append(self[lineStart..<position])
            position = bytes.index(position, offsetBy: breakLength)
            lineStart = position
        }
        lines.append(self[lineStart..<bytes.endIndex])
        return lines
    }
}

extension String {
    /// The scalars of the string, and where each starts (with `endIndex` last), so a run of them can be cut
    /// out as a substring — a copy of bytes — instead of being rebuilt scalar by scalar. Sentence splitting
    /// and tokenizing both walk scalars this way.
    package func indexedScalars() -> (scalars: [Unicode.Scalar], positions: [String.Index]) {
        let view = unicodeScalars
        var scalars: [Unicode.Scalar] = []
        var positions: [String.Index] = []
        // At most one scalar per byte: reserving that once saves the arrays' repeated regrowth.
        scalars.reserveCapacity(utf8.count)
        positions.reserveCapacity(utf8.count + 1)
        var position = view.startIndex
        while position < view.endIndex {
            scalars.append(view[position])
            positions.append(position)
            view.formIndex(after: &position)
        }
        positions.append(view.endIndex)
        return (scalars, positions)
    }
}
