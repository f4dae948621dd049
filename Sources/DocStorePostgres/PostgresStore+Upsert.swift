public import DocStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Stores `document` exactly once per distinct content, whichever writer on whichever machine
    /// gets there first.
    ///
    /// - A new id is one statement: `INSERT … ON CONFLICT (id) DO NOTHING` together with its first
    ///   `document_versions` row. A writer racing on the same id waits on the primary key, then
    ///   finds the row and takes the second path.
    /// - A known id runs in one transaction that locks the row (`FOR UPDATE`): the same content as
    ///   the current version, or as any older version, changes nothing; another content becomes the
    ///   next version, with its own `document_versions` row.
    @discardableResult
    public func upsert(_ document: StoredDocument) async throws -> UpsertOutcome {
        guard !isReadOnly else { throw DocStoreError.readOnly(location) }
        guard !document.id.isEmpty else { throw DocStoreError.invalidDocument("the id is empty") }
        guard !document.contentHash.isEmpty else {
            throw DocStoreError.invalidDocument("document \(document.id) has no content hash")
        }
        let prepared = Self.storable(document)
        let logger = logger
        let first = try DocumentValues(prepared, version: 1)
        let inserted = try await withConnection { connection in
            try await Self.rowCount(connection.execute(InsertNew(values: first), logger: logger))
        }
        if inserted == 1 { return .inserted(version: 1) }
        return try await withTransaction { connection in
            let rows = try await connection.execute(
                LockCurrent(id: prepared.id, contentHash: prepared.contentHash), logger: logger)
            var current: (version: Int, contentHash: String, seenBefore: Bool)?
            for try await row in rows { current = row }
            guard let current else {
                // The insert saw the id and now it is gone: documents are never deleted, so this is
                // a concurrent restore or a hand edit. Ask for another try rather than guess.
                throw DocStoreError.busy("document \(prepared.id) changed under the upsert")
            }
            if current.contentHash == prepared.contentHash || current.seenBefore {
                return .unchanged(version: current.version)
            }
            let next = current.version + 1
            let replaced = try await Self.rowCount(
                connection.execute(
                    ReplaceCurrent(values: try DocumentValues(prepared, version: next)), logger: logger))
            guard replaced == 1 else { throw DocStoreError.busy("document \(prepared.id) changed under the upsert") }
            return .newVersion(version: next)
        }
    }

    /// How many rows a statement returned, reading them all (a row stream must be drained).
    static func rowCount<Rows: AsyncSequence>(_ rows: Rows) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    /// The document as PostgreSQL can hold it: `text` and `jsonb` refuse the NUL character, and
    /// `timestamptz` keeps microseconds, so both are settled before the version body is encoded and
    /// the columns and the body read back alike. The time travels as Unix seconds through
    /// `to_timestamp`, which rounds to the microsecond (a bound `Date` would be truncated), and comes
    /// back through `extract(epoch …)`, so a stored time reads back as the very same `Date`.
    static func storable(_ document: StoredDocument) -> StoredDocument {
        var stored = document
        let micros = (document.storedAt.timeIntervalSince1970 * 1_000_000).rounded()
        stored.storedAt = Date(timeIntervalSince1970: micros / 1_000_000)
        guard Self.containsNul(document) else { return stored }
        let clean = { (text: String) in text.replacingOccurrences(of: "\u{0}", with: "") }
        stored.text = clean(stored.text)
        stored.title = stored.title.map(clean)
        stored.summary = stored.summary.map(clean)
        stored.name = stored.name.map(clean)
        stored.author = stored.author.map(clean)
        stored.source = stored.source.map(clean)
        return stored
    }

    private static func containsNul(_ document: StoredDocument) -> Bool {
        [document.text, document.title, document.summary, document.name, document.author, document.source]
            .contains { $0?.utf8.contains(0) == true }
    }
}

/// The 24 parameters the insert and the replace statements share, in their `$n` order.
struct DocumentValues: Sendable {
    let bindings: PostgresBindings

    init(_ document: StoredDocument, version: Int) throws {
        var versioned = document
        versioned.version = version
        let json = JSONEncoder()
        json.outputFormatting = [.sortedKeys]
        func text(_ value: some Encodable) throws -> String { String(decoding: try json.encode(value), as: UTF8.self) }
        var bindings = PostgresBindings(capacity: 24)
        bindings.append(versioned.id) // $1
        bindings.append(version) // $2
        bindings.append(versioned.contentHash) // $3
        bindings.append(versioned.name) // $4
        bindings.append(versioned.contentType) // $5
        bindings.append(versioned.title) // $6
        bindings.append(versioned.source) // $7
        bindings.append(versioned.author) // $8
        bindings.append(versioned.language) // $9
        bindings.append(versioned.text) // $10
        bindings.append(versioned.wordCount) // $11
        bindings.append(versioned.sentenceCount) // $12
        bindings.append(versioned.topic) // $13
        bindings.append(versioned.topicConfidence) // $14
        bindings.append(versioned.summary) // $15
        bindings.append(try text(versioned.keywords)) // $16
        bindings.append(try text(versioned.entities)) // $17
        bindings.append(try text(versioned.dates)) // $18
        bindings.append(try text(versioned.metadata)) // $19
        bindings.append(try text(versioned.stageResults)) // $20
        bindings.append(versioned.pipeline) // $21
        bindings.append(versioned.jobID) // $22
        bindings.append(versioned.storedAt.timeIntervalSince1970) // $23: Unix seconds
        bindings.append(try text(versioned)) // $24: the whole version, for document_versions
        self.bindings = bindings
    }

    static let columns = """
        id, version, content_hash, name, content_type, title, source, author, language, text,
        word_count, sentence_count, topic, topic_confidence, summary, keywords, entities, dates,
        metadata, stage_results, pipeline, job_id, stored_at
        """

    static let placeholders = """
        $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
        $16::jsonb, $17::jsonb, $18::jsonb, $19::jsonb, $20::jsonb, $21, $22, to_timestamp($23)
        """

    /// Appends the version row for whatever the statement before it wrote (`written`).
    static let versionRow = """
        INSERT INTO docpipe.document_versions (document_id, version, content_hash, stored_at, body)
        SELECT id, $2, $3, to_timestamp($23), $24::jsonb FROM written
        RETURNING document_id
        """
}

/// A statement that writes a document row and its version row from ``DocumentValues``, returning the id
/// once when it wrote.
protocol DocumentWrite: PostgresPreparedStatement where Row == String {
    var values: DocumentValues { get }
}

extension DocumentWrite {
    func makeBindings() -> PostgresBindings { values.bindings }
    func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
}

/// A new id: the document row and its first version row, or nothing when the id exists.
struct InsertNew: DocumentWrite {
    static let name = "docpipe_insert_new_v1"
    static let sql = """
        WITH written AS (
            INSERT INTO docpipe.documents (\(DocumentValues.columns))
            VALUES (\(DocumentValues.placeholders))
            ON CONFLICT (id) DO NOTHING
            RETURNING id)
        \(DocumentValues.versionRow)
        """
    let values: DocumentValues
}

/// A known id with new content: the current row replaced, the new version row added.
struct ReplaceCurrent: DocumentWrite {
    static let name = "docpipe_replace_current_v1"
    static let sql = """
        WITH written AS (
            UPDATE docpipe.documents SET (\(DocumentValues.columns)) = (\(DocumentValues.placeholders))
            WHERE id = $1
            RETURNING id)
        \(DocumentValues.versionRow)
        """
    let values: DocumentValues
}

/// The current version of an id, locked until the transaction ends, and whether the id ever had
/// this content.
struct LockCurrent: PostgresPreparedStatement {
    static let name = "docpipe_lock_current_v1"
    static let sql = """
        SELECT d.version, d.content_hash,
               EXISTS (SELECT 1 FROM docpipe.document_versions v
                       WHERE v.document_id = d.id AND v.content_hash = $2)
        FROM docpipe.documents d WHERE d.id = $1
        FOR UPDATE OF d
        """
    typealias Row = (Int, String, Bool)
    let id: String
    let contentHash: String

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(id)
        bindings.append(contentHash)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
