public import Foundation

/// A document as submitted: raw content plus what the submitter knows about it.
///
/// `content` is UTF-8 text when `encoding` is `utf8`, and standard base64 when it is `base64`
/// (for binary formats). The broker assigns `id` from the content hash when the submitter gives none,
/// so the same bytes submitted twice are the same document.
public struct Document: Codable, Sendable, Equatable {
    public enum Encoding: String, Codable, Sendable { case utf8, base64 }

    public var v: Int
    public var id: String?
    public var name: String?
    public var contentType: String?
    public var encoding: Encoding
    public var content: String
    public var metadata: [String: String]

    public init(
        id: String? = nil, name: String? = nil, contentType: String? = nil,
        encoding: Encoding = .utf8, content: String, metadata: [String: String] = [:]
    ) {
        self.v = ProtocolVersion.current
        self.id = id
        self.name = name
        self.contentType = contentType
        self.encoding = encoding
        self.content = content
        self.metadata = metadata
    }

    /// A document made from file bytes: text when they are valid UTF-8, base64 otherwise.
    public init(bytes: Data, name: String?, contentType: String? = nil, id: String? = nil) {
        // The NUL check runs on the bytes: `String.contains` goes through Foundation's string search, which the
        // gateway's profile showed at 7 % of its CPU for 2 KB documents.
        if !bytes.contains(0), let text = String(data: bytes, encoding: .utf8) {
            self.init(id: id, name: name, contentType: contentType, encoding: .utf8, content: text)
        } else {
            self.init(
                id: id, name: name, contentType: contentType, encoding: .base64,
                content: bytes.base64EncodedString())
        }
    }

    /// The raw bytes, decoded from base64 when needed; nil for base64 that does not decode.
    public var bytes: Data? {
        switch encoding {
        case .utf8: Data(content.utf8)
        case .base64: Data(base64Encoded: content)
        }
    }

    /// How many bytes `bytes` would hold, without copying text content to count it (nil: invalid base64).
    public var byteCount: Int? {
        switch encoding {
        case .utf8: content.utf8.count
        case .base64: bytes?.count
        }
    }

    enum CodingKeys: String, CodingKey {
        case v, id, name, encoding, content, metadata
        case contentType = "content_type"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        v = try c.decode(Int.self, forKey: .v)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        contentType = try c.decodeIfPresent(String.self, forKey: .contentType)
        encoding = try c.decodeIfPresent(Encoding.self, forKey: .encoding) ?? .utf8
        content = try c.decode(String.self, forKey: .content)
        metadata = try c.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
    }
}

/// The protocol's message version; every body carries it as `"v"`.
public enum ProtocolVersion {
    public static let current = 1
    /// The docpipe release this build belongs to (reported by the broker and by workers).
    public static let release = "0.2.0"
}
