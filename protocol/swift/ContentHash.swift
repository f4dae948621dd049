internal import Crypto
public import Foundation

/// Content hashes name documents that arrive without an id: the same bytes are the same document.
public enum ContentHash {
    /// `sha256:` followed by the lowercase hex digest of the bytes.
    public static func sha256(_ bytes: Data) -> String {
        "sha256:" + Hex.string(SHA256.hash(data: bytes))
    }

    /// The id a document gets when the submitter gives none: the first 16 hex digits of its hash,
    /// short enough to type, long enough not to collide in any real store.
    public static func documentID(for document: Document) -> String {
        let digest = sha256(document.bytes ?? Data(document.content.utf8))
        return "doc-" + digest.dropFirst("sha256:".count).prefix(16)
    }
}
