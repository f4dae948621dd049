public import DocStore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func document(id: String) async throws -> StoredDocument? {
        let logger = logger
        return try await withConnection { connection in
            var found: StoredDocument?
            for try await document in try await connection.execute(SelectDocument(id: id), logger: logger) {
                found = document
            }
            return found
        }
    }

    public func versions(id: String) async throws -> [StoredDocument] {
        let logger = logger
        let bodies: [String] = try await withConnection { connection in
            let rows = try await connection.query(
                "SELECT body::text FROM docpipe.document_versions WHERE document_id = \(id) ORDER BY version",
                logger: logger)
            var bodies: [String] = []
            for try await body in rows.decode(String.self) { bodies.append(body) }
            return bodies
        }
        return try bodies.map { try JSONValues.decode(StoredDocument.self, from: $0, id: id) }
    }

    public func list(limit: Int, offset: Int) async throws -> [DocumentSummary] {
        let logger = logger
        return try await withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT id, title, topic, language, extract(epoch FROM stored_at)::float8, version FROM docpipe.documents
                ORDER BY stored_at DESC, id LIMIT \(max(limit, 0)) OFFSET \(max(offset, 0))
                """, logger: logger)
            var summaries: [DocumentSummary] = []
            for try await (id, title, topic, language, storedAt, version)
                in rows.decode((String, String?, String?, String?, Double, Int).self)
            {
                summaries.append(
                    DocumentSummary(
                        id: id, title: title, topic: topic, language: language,
                        storedAt: Date(timeIntervalSince1970: storedAt), version: version))
            }
            return summaries
        }
    }

    public func documentIDs(after: String?, limit: Int) async throws -> [String] {
        let logger = logger
        return try await withConnection { connection in
            let rows = try await connection.query(
                "SELECT id FROM docpipe.documents WHERE id > \(after ?? "") ORDER BY id LIMIT \(max(limit, 0))",
                logger: logger)
            var ids: [String] = []
            for try await id in rows.decode(String.self) { ids.append(id) }
            return ids
        }
    }

    public func stats() async throws -> StoreStats {
        let logger = logger
        return try await withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT (SELECT count(*) FROM docpipe.documents),
                       (SELECT count(*) FROM docpipe.document_versions),
                       (SELECT count(*) FROM docpipe.documents WHERE search_truncated)
                """, logger: logger)
            var stats = StoreStats(backend: "postgres", documents: 0, versions: 0)
            for try await (documents, versions, truncated) in rows.decode((Int, Int, Int).self) {
                stats = StoreStats(
                    backend: "postgres", documents: documents, versions: versions,
                    searchTruncated: truncated)
            }
            return stats
        }
    }

    /// How many documents the store holds.
    public func count() async throws -> Int {
        try await stats().documents
    }
}

/// One document by id, with its JSON columns as text.
struct SelectDocument: PostgresPreparedStatement {
    static let name = "docpipe_select_document_v1"
    static let sql = """
        SELECT id, version, content_hash, name, content_type, title, source, author, language, text,
               word_count, sentence_count, topic, topic_confidence, summary,
               keywords::text, entities::text, dates::text, metadata::text, stage_results::text,
               pipeline, job_id, extract(epoch FROM stored_at)::float8
        FROM docpipe.documents WHERE id = $1
        """
    typealias Row = StoredDocument
    let id: String

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> StoredDocument {
        let (id, version, contentHash, name, contentType, title, source, author, language, text) =
            try row.decode((String, Int, String, String?, String?, String?, String?, String?, String?, String).self)
        let cells = row.makeRandomAccess()
        func column<T: PostgresDecodable>(_ index: Int, _ type: T.Type) throws -> T { try cells[index].decode(type) }
        return StoredDocument(
            id: id, version: version, contentHash: contentHash, name: name, contentType: contentType,
            title: title, source: source, author: author, language: language, text: text,
            wordCount: try column(10, Int.self),
            sentenceCount: try column(11, Int.self),
            topic: try column(12, String?.self),
            topicConfidence: try column(13, Double?.self),
            summary: try column(14, String?.self),
            keywords: try JSONValues.decode([String].self, from: try column(15, String.self), id: id),
            entities: try JSONValues.decode([StoredEntity].self, from: try column(16, String.self), id: id),
            dates: try JSONValues.decode([String].self, from: try column(17, String.self), id: id),
            metadata: try JSONValues.decode([String: String].self, from: try column(18, String.self), id: id),
            stageResults: try JSONValues.decode([String: String].self, from: try column(19, String.self), id: id),
            pipeline: try column(20, String?.self),
            jobID: try column(21, String?.self),
            storedAt: Date(timeIntervalSince1970: try column(22, Double.self)))
    }
}

/// JSON text read back from a `jsonb` column.
enum JSONValues {
    static func decode<T: Decodable>(_ type: T.Type, from text: String, id: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw DocStoreError.corruptRow(id: id, reason: "bad JSON for \(type): \(error)")
        }
    }
}
