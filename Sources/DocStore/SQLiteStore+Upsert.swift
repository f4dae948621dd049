import Foundation
internal import GRDB

extension SQLiteStore {
    /// Stores `document` under its id, idempotently.
    ///
    /// - A new id is inserted as version 1.
    /// - A known id with the same ``StoredDocument/contentHash`` is left exactly as it is (not even
    ///   `storedAt` moves), so a stage redelivered after a crash does no harm. So is a content the id had in
    ///   an earlier version: a late redelivery of version 1 after version 2 changes nothing.
    /// - A known id with another content hash becomes the next version: the document, its
    ///   entities, stage results and search entry are replaced, and the old version stays in
    ///   `document_versions`.
    ///
    /// All of it happens in one transaction.
    @discardableResult
    public func upsert(_ document: StoredDocument) throws -> UpsertOutcome {
        try upsertAll([document])[0]
    }

    /// Upserts many documents in one transaction, each exactly as ``upsert(_:)`` would; for bulk loads
    /// (an import, a benchmark corpus), where one transaction per document is what takes the time.
    /// Either every document is stored or, on an error, none.
    @discardableResult
    public func upsertAll(_ documents: [StoredDocument]) throws -> [UpsertOutcome] {
        guard !isReadOnly else { throw DocStoreError.readOnly(path) }
        for document in documents {
            guard !document.id.isEmpty else { throw DocStoreError.invalidDocument("the id is empty") }
            guard !document.contentHash.isEmpty else {
                throw DocStoreError.invalidDocument("document \(document.id) has no content hash")
            }
        }
        return try write { db in try documents.map { try Self.upsert($0, in: db) } }
    }

    private static func upsert(_ document: StoredDocument, in db: Database) throws -> UpsertOutcome {
        let current = try Row.fetchOne(
            db, sql: "SELECT version, content_hash FROM documents WHERE id = ?", arguments: [document.id])
        var stored = document
        let outcome: UpsertOutcome
        if let current {
            let version: Int = current["version"]
            if current["content_hash"] == document.contentHash {
                return .unchanged(version: version)
            }
            // A content this id had before (a late redelivery of an older version) is not news either:
            // storing it again would make the stale content current under a new version number.
            let seenBefore =
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM document_versions WHERE document_id = ? AND content_hash = ?)",
                    arguments: [document.id, document.contentHash]) ?? false
            if seenBefore { return .unchanged(version: version) }
            // Children go first so the foreign keys never see an orphan.
            try deleteCurrent(id: document.id, in: db)
            outcome = .newVersion(version: version + 1)
        } else {
            outcome = .inserted(version: 1)
        }
        stored.version = outcome.version
        // The column keeps Unix seconds as a Double; the snapshot in document_versions is made
        // from the same value so both read back alike.
        stored.storedAt = Date(timeIntervalSince1970: document.storedAt.timeIntervalSince1970)
        try insert(stored, in: db)
        return outcome
    }

    private static func deleteCurrent(id: String, in db: Database) throws {
        for table in ["entities", "stage_results", "documents_fts"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE document_id = ?", arguments: [id])
        }
        try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [id])
    }

    private static func insert(_ document: StoredDocument, in db: Database) throws {
        let storedAt = document.storedAt.timeIntervalSince1970
        let keywords = try JSONColumn.encode(document.keywords)
        try db.execute(
            sql: """
                INSERT INTO documents (
                    id, version, content_hash, name, content_type, title, source, author, language,
                    text, word_count, sentence_count, topic, topic_confidence, summary,
                    keywords, dates, metadata, pipeline, job_id, stored_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                document.id, document.version, document.contentHash, document.name, document.contentType,
                document.title, document.source, document.author, document.language,
                document.text, document.wordCount, document.sentenceCount,
                document.topic, document.topicConfidence, document.summary,
                keywords, try JSONColumn.encode(document.dates), try JSONColumn.encode(document.metadata),
                document.pipeline, document.jobID, storedAt,
            ])

        for (position, entity) in document.entities.enumerated() {
            try db.execute(
                sql: "INSERT INTO entities (document_id, position, text, type, count) VALUES (?, ?, ?, ?, ?)",
                arguments: [document.id, position, entity.text, entity.type, entity.count])
        }
        for (stage, json) in document.stageResults.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                sql: "INSERT INTO stage_results (document_id, stage, json) VALUES (?, ?, ?)",
                arguments: [document.id, stage, json])
        }
        // Keywords are indexed as plain words so a search for one of them matches here too.
        try db.execute(
            sql: "INSERT INTO documents_fts (document_id, title, text, summary, keywords) VALUES (?, ?, ?, ?, ?)",
            arguments: [
                document.id, document.title ?? "", document.text, document.summary ?? "",
                document.keywords.joined(separator: ", "),
            ])
        try db.execute(
            sql: """
                INSERT INTO document_versions (document_id, version, content_hash, stored_at, body)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [document.id, document.version, document.contentHash, storedAt, try JSONColumn.encode(document)])
    }
}

/// JSON text columns: one encoder setup for every JSON value the store writes and reads.
enum JSONColumn {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        // Sorted keys make equal values equal text, which keeps the file diffable and stable.
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, id: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw DocStoreError.corruptRow(id: id, reason: "bad JSON for \(type): \(error)")
        }
    }
}
