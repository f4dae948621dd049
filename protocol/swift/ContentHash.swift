internal import Crypto
public import Foundation

/// Content hashes name documents that arrive without an id: the same bytes are the same document.
public enum ContentHash {
    /// `sha256:` followed by the lowercase hex digest of the bytes.
    public static func sha256(_ bytes: Data) -> String {
        SHA256.hash(data: bytes).withUnsafeBytes { Hex.string($0, prefix: "sha256:") }
    }

    /// The id a document gets when the submitter gives none: the first 16 hex digits of its hash,
    /// short enough to type, long enough not to collide in any real store.
    public static func documentID(for document: Document) -> String {
        guard document.encoding == .base64, let bytes = document.bytes else {
            return documentID(ofText: document.content)
        }
        return documentID(of: bytes)
    }

    /// The same id for text content, hashed from the string's own UTF-8 storage (copying it into a `Data`
    /// first was an allocation and a copy of every submitted document).
    public static func documentID(ofText text: String) -> String {
        var text = text
        return text.withUTF8 { utf8 in
            SHA256.hash(data: UnsafeRawBufferPointer(utf8)).withUnsafeBytes {
                Hex.string($0.prefix(8), prefix: "doc-")
            }
        }
    }

    /// The same id from the document's bytes, when the caller has them already (the broker's submit
    /// decodes them once to check them; decoding again here was a second copy of every document).
    public static func documentID(of bytes: Data) -> String {
        SHA256.hash(data: bytes).withUnsafeBytes { Hex.string($0.prefix(8), prefix: "doc-") }
    }
}
