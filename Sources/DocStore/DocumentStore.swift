/// What every document store does, whichever database holds it.
///
/// Two backends implement it: ``SQLiteStore`` (one embedded file, the zero-configuration default)
/// and `PostgresStore` in the `DocStorePostgres` module (one server shared by storage writers on many
/// machines). Both pass the same conformance suite (`StoreConformanceTests`), so the promises below
/// hold for both:
/// - ``upsert(_:)`` stores a document exactly once per distinct content, across any number of writers:
///   a new id is version 1, a changed content is the next version, and a content the id already had
///   (the current version or an older one) changes nothing.
/// - ``search(_:limit:)`` takes the same query language (see ``FullTextQuery``): words, "phrases",
///   prefix*; it returns hits best first with a «marked» snippet.
///
/// The methods are `async` because a server round trip is; the SQLite backend answers them
/// synchronously (a sync method satisfies an async requirement).
public protocol DocumentStore: Sendable {
    /// Where the store is, for messages: a file path, or a PostgreSQL URL with its password hidden.
    var location: String { get }

    /// Stores `document` idempotently and says what it did; see the protocol's promises.
    func upsert(_ document: StoredDocument) async throws -> UpsertOutcome

    /// The current version of the document with this id, or nil.
    func document(id: String) async throws -> StoredDocument?

    /// Every stored version of the document, oldest first; empty for an unknown id.
    func versions(id: String) async throws -> [StoredDocument]

    /// Full-text search, best match first.
    func search(_ query: String, limit: Int) async throws -> [SearchHit]

    /// Documents newest first, a page at a time.
    func list(limit: Int, offset: Int) async throws -> [DocumentSummary]

    /// Up to `limit` document ids in ascending order, starting after `after` (nil: from the first).
    /// Export pages through the store with it, so no backend has to hold every id at once.
    func documentIDs(after: String?, limit: Int) async throws -> [String]

    /// Counts for `docpipe export`, import checks and operators.
    func stats() async throws -> StoreStats

    /// Releases connections. The store must not be used afterwards.
    func close() async
}

extension DocumentStore {
    /// Search with the CLI's default page size.
    public func search(_ query: String) async throws -> [SearchHit] {
        try await search(query, limit: 20)
    }
}

/// How much a store holds.
public struct StoreStats: Codable, Sendable, Equatable {
    /// `sqlite` or `postgres`.
    public var backend: String
    /// Distinct document ids.
    public var documents: Int
    /// Stored versions, all ids together (at least `documents`).
    public var versions: Int
    /// Documents whose search index covers only a prefix of their text (PostgreSQL caps a
    /// `tsvector` at 1 MB; see `PostgresSchema`). Always 0 on SQLite, whose index has no such cap.
    public var searchTruncated: Int

    public init(backend: String, documents: Int, versions: Int, searchTruncated: Int = 0) {
        self.backend = backend
        self.documents = documents
        self.versions = versions
        self.searchTruncated = searchTruncated
    }

    enum CodingKeys: String, CodingKey {
        case backend, documents, versions
        case searchTruncated = "search_truncated"
    }
}
