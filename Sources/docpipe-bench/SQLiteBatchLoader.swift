import DocStore
import Foundation
import GRDB

/// Fills a new SQLite store with many documents per transaction, for the store phase's search corpus only:
/// `SQLiteStore` has no batch upsert, and one transaction per document makes 100,000 of them take minutes.
///
/// It writes the rows `SQLiteStore.upsert` writes for a new id (documents, entities, stage_results,
/// documents_fts, document_versions) into a file whose schema `SQLiteStore` itself created, then checks
/// through `SQLiteStore`'s own reads that a sample of documents reads back exactly as generated — so if
/// the store's schema or row format moves on without this file, the phase fails saying so instead of
/// searching a store the real code would not have written.
enum SQLiteBatchLoader {
    /// Loads `documents` (all new ids) into the store at `path`, `batch` per transaction.
    static func load(_ documents: [StoredDocument], path: String, batch: Int) throws {
        _ = try SQLiteStore(path: path)  // the file and its schema, made by the store
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let database = try DatabaseQueue(path: path, configuration: configuration)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // as the store's JSON columns
        func json(_ value: some Encodable) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        for start in stride(from: 0, to: documents.count, by: batch) {
            try database.write { db in
                for var document in documents[start..<min(start + batch, documents.count)] {
                    document.version = 1
                    let storedAt = document.storedAt.timeIntervalSince1970
                    document.storedAt = Date(timeIntervalSince1970: storedAt)
                    try db.execute(
                        sql: """
                            INSERT INTO documents (
                                id, version, content_hash, name, content_type, title, source, author, language,
                                text, word_count, sentence_count, topic, topic_confidence, summary,
                                keywords, dates, metadata, pipeline, job_id, stored_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            document.id, document.version, document.contentHash, document.name,
                            document.contentType, document.title, document.source, document.author,
                            document.language, document.text, document.wordCount, document.sentenceCount,
                            document.topic, document.topicConfidence, document.summary,
                            try json(document.keywords), try json(document.dates), try json(document.metadata),
                            document.pipeline, document.jobID, storedAt,
                        ])
                    for (position, entity) in document.entities.enumerated() {
                        try db.execute(
                            sql: """
                                INSERT INTO entities (document_id, position, text, type, count)
                                VALUES (?, ?, ?, ?, ?)
                                """,
                            arguments: [document.id, position, entity.text, entity.type, entity.count])
                    }
                    for (stage, output) in document.stageResults.sorted(by: { $0.key < $1.key }) {
                        try db.execute(
                            sql: "INSERT INTO stage_results (document_id, stage, json) VALUES (?, ?, ?)",
                            arguments: [document.id, stage, output])
                    }
                    try db.execute(
                        sql: """
                            INSERT INTO documents_fts (document_id, title, text, summary, keywords)
                            VALUES (?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            document.id, document.title ?? "", document.text, document.summary ?? "",
                            document.keywords.joined(separator: ", "),
                        ])
                    try db.execute(
                        sql: """
                            INSERT INTO document_versions (document_id, version, content_hash, stored_at, body)
                            VALUES (?, ?, ?, ?, ?)
                            """,
                        arguments: [document.id, document.version, document.contentHash, storedAt, try json(document)])
                }
            }
        }
        try check(documents, path: path)
    }

    /// Reads a sample back through `SQLiteStore` and compares it with what was generated.
    private static func check(_ documents: [StoredDocument], path: String) throws {
        let store = try SQLiteStore(path: path)
        let stats = try store.stats()
        guard stats.documents == documents.count, stats.versions == documents.count else {
            throw BenchError(message: "store: the batch-loaded SQLite store holds \(stats.documents) documents and "
                             + "\(stats.versions) versions, not \(documents.count)")
        }
        let sample = Set([0, documents.count / 2, documents.count - 1].filter { $0 >= 0 && $0 < documents.count })
        for index in sample.sorted() {
            var expected = documents[index]
            expected.version = 1
            let read = try store.document(id: expected.id)
            let versions = try store.versions(id: expected.id)
            guard read == expected, versions == [expected] else {
                throw BenchError(message: """
                    store: SQLiteBatchLoader no longer writes what SQLiteStore.upsert writes (document \
                    \(expected.id) reads back differently): update Sources/docpipe-bench/SQLiteBatchLoader.swift
                    """)
            }
        }
    }
}
