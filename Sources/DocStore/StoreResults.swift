public import Foundation

/// What ``SQLiteStore/upsert(_:)`` did with a document.
public enum UpsertOutcome: Equatable, Sendable {
    /// The id was new; the document is stored as `version` 1.
    case inserted(version: Int)
    /// The id was known with the same content hash; nothing was written. Redelivery after a crash
    /// (at-least-once stages) lands here, which is what makes storage idempotent.
    case unchanged(version: Int)
    /// The id was known with other content; the document replaced it as `version`, and the
    /// previous version stays readable through ``SQLiteStore/versions(id:)``.
    case newVersion(version: Int)

    /// The version the store holds for the document after the upsert.
    public var version: Int {
        switch self {
        case .inserted(let version), .unchanged(let version), .newVersion(let version): version
        }
    }
}

/// One result of a full-text search, best first.
public struct SearchHit: Codable, Sendable, Equatable {
    public var id: String
    public var title: String?
    /// A few words around the best match, with the matched terms marked «like this».
    public var snippet: String
    /// Relevance, higher is better: SQLite's bm25 negated, or PostgreSQL's ts_rank_cd.
    /// Only comparable between hits of the same search.
    public var rank: Double
    public var topic: String?

    public init(id: String, title: String?, snippet: String, rank: Double, topic: String?) {
        self.id = id
        self.title = title
        self.snippet = snippet
        self.rank = rank
        self.topic = topic
    }
}

/// One line of a document listing: enough to pick a document and `docpipe show` it.
public struct DocumentSummary: Codable, Sendable, Equatable {
    public var id: String
    public var title: String?
    public var topic: String?
    public var language: String?
    public var storedAt: Date
    public var version: Int

    public init(id: String, title: String?, topic: String?, language: String?, storedAt: Date, version: Int) {
        self.id = id
        self.title = title
        self.topic = topic
        self.language = language
        self.storedAt = storedAt
        self.version = version
    }
}
