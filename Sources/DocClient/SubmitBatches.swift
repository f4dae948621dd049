package import DocProtocol

/// How `docpipe submit` groups documents into requests: bulk ingest without one round trip per file, and
/// without a request so big that the broker stalls journalling it or refuses it as too large.
package enum SubmitBatches {
    package static let maxDocuments = 100
    /// Counted as the documents' `content` on the wire (base64 for binary files).
    package static let maxBytes = 8 << 20

    /// Consecutive index ranges of `documents`, each at most `maxDocuments` long and `maxBytes` big; a
    /// document bigger than `maxBytes` goes alone.
    package static func ranges(_ documents: [Document], maxDocuments: Int = maxDocuments) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, document) in documents.enumerated() {
            let size = document.content.utf8.count
            if index > start, index - start == maxDocuments || bytes + size > maxBytes {
                ranges.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < documents.count { ranges.append(start..<documents.count) }
        return ranges
    }
}
