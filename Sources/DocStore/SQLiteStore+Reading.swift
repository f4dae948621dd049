import Foundation
internal import GRDB

extension SQLiteStore {
    /// The latest version of the document with this id, or nil when the store has none.
    public func document(id: String) throws -> StoredDocument? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM documents WHERE id = ?", arguments: [id])
            else { return nil }
            let entities = try Row.fetchAll(
                db, sql: "SELECT text, type, count FROM entities WHERE document_id = ? ORDER BY position",
                arguments: [id]
            ).map { StoredEntity(text: $0["text"], type: $0["type"], count: $0["count"]) }
            let stageRows = try Row.fetchAll(
                db, sql: "SELECT stage, json FROM stage_results WHERE document_id = ?", arguments: [id])
            var stageResults: [String: String] = [:]
            for stageRow in stageRows { stageResults[stageRow["stage"]] = stageRow["json"] as String }
            return try Self.document(from: row, entities: entities, stageResults: stageResults)
        }
    }

    /// Every stored version of the document with this id, oldest first; empty for an unknown id.
    public func versions(id: String) throws -> [StoredDocument] {
        try read { db in
            try String.fetchAll(
                db, sql: "SELECT body FROM document_versions WHERE document_id = ? ORDER BY version",
                arguments: [id]
            ).map { try JSONColumn.decode(StoredDocument.self, from: $0, id: id) }
        }
    }

    /// How many documents the store holds (each id once, whatever its number of versions).
    public func count() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents") ?? 0 }
    }

    /// Documents newest first, a page at a time.
    public func list(limit: Int = 50, offset: Int = 0) throws -> [DocumentSummary] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, title, topic, language, stored_at, version FROM documents
                    ORDER BY stored_at DESC, id LIMIT ? OFFSET ?
                    """,
                arguments: [max(limit, 0), max(offset, 0)]
            ).map { row in
                DocumentSummary(
                    id: row["id"], title: row["title"], topic: row["topic"], language: row["language"],
                    storedAt: Date(timeIntervalSince1970: row["stored_at"]), version: row["version"])
            }
        }
    }

    public func documentIDs(after: String?, limit: Int) throws -> [String] {
        try read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [after ?? "", max(limit, 0)])
        }
    }

    public func stats() throws -> StoreStats {
        try read { db in
            StoreStats(
                backend: "sqlite",
                documents: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents") ?? 0,
                versions: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document_versions") ?? 0)
        }
    }

    /// Nothing to release early: GRDB closes the file when the last reference goes.
    public func close() {}

    private static func document(
        from row: Row, entities: [StoredEntity], stageResults: [String: String]
    ) throws -> StoredDocument {
        let id: String = row["id"]
        return StoredDocument(
            id: id,
            version: row["version"],
            contentHash: row["content_hash"],
            name: row["name"],
            contentType: row["content_type"],
            title: row["title"],
            source: row["source"],
            author: row["author"],
            language: row["language"],
            text: row["text"],
            wordCount: row["word_count"],
            sentenceCount: row["sentence_count"],
            topic: row["topic"],
            topicConfidence: row["topic_confidence"],
            summary: row["summary"],
            keywords: try JSONColumn.decode([String].self, from: row["keywords"], id: id),
            entities: entities,
            dates: try JSONColumn.decode([String].self, from: row["dates"], id: id),
            metadata: try JSONColumn.decode([String: String].self, from: row["metadata"], id: id),
            stageResults: stageResults,
            pipeline: row["pipeline"],
            jobID: row["job_id"],
            storedAt: Date(timeIntervalSince1970: row["stored_at"]))
    }
}
