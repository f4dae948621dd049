internal import GRDB

/// The store's schema as named, append-only migrations.
///
/// A migration that has shipped is never edited: stores on disk have already run it, and
/// GRDB records its name in `grdb_migrations`. Changes go in a new migration at the end.
/// Plain SQL rather than GRDB's table builder, so the schema reads the same to anyone opening
/// the file with `sqlite3` or from a worker in another language.
enum StoreSchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-documents") { db in
            // One row per document id, always the latest version. List-valued fields that are
            // only ever read whole (keywords, dates, metadata) are JSON text, not tables.
            try db.execute(
                sql: """
                    CREATE TABLE documents (
                        id               TEXT PRIMARY KEY NOT NULL,
                        version          INTEGER NOT NULL,
                        content_hash     TEXT NOT NULL,
                        name             TEXT,
                        content_type     TEXT,
                        title            TEXT,
                        source           TEXT,
                        author           TEXT,
                        language         TEXT,
                        text             TEXT NOT NULL,
                        word_count       INTEGER NOT NULL,
                        sentence_count   INTEGER NOT NULL,
                        topic            TEXT,
                        topic_confidence REAL,
                        summary          TEXT,
                        keywords         TEXT NOT NULL DEFAULT '[]',
                        dates            TEXT NOT NULL DEFAULT '[]',
                        metadata         TEXT NOT NULL DEFAULT '{}',
                        pipeline         TEXT,
                        job_id           TEXT,
                        stored_at        REAL NOT NULL -- seconds since 1970, UTC
                    );
                    CREATE INDEX documents_stored_at ON documents(stored_at);
                    CREATE INDEX documents_topic ON documents(topic);
                    """)

            // Every distinct content version of an id, the current one included. `body` is the
            // whole StoredDocument as JSON so an old version can be shown without the other tables.
            try db.execute(
                sql: """
                    CREATE TABLE document_versions (
                        document_id  TEXT NOT NULL,
                        version      INTEGER NOT NULL,
                        content_hash TEXT NOT NULL,
                        stored_at    REAL NOT NULL,
                        body         TEXT NOT NULL,
                        PRIMARY KEY (document_id, version)
                    );
                    """)
        }

        migrator.registerMigration("v1-entities") { db in
            // `position` keeps the stage's order (most important first), and lets one document
            // name the same entity twice without a key clash.
            try db.execute(
                sql: """
                    CREATE TABLE entities (
                        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                        position    INTEGER NOT NULL,
                        text        TEXT NOT NULL,
                        type        TEXT NOT NULL,
                        count       INTEGER NOT NULL,
                        PRIMARY KEY (document_id, position)
                    );
                    CREATE INDEX entities_text ON entities(text);
                    """)
        }

        migrator.registerMigration("v1-stage-results") { db in
            try db.execute(
                sql: """
                    CREATE TABLE stage_results (
                        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                        stage       TEXT NOT NULL,
                        json        TEXT NOT NULL,
                        PRIMARY KEY (document_id, stage)
                    );
                    """)
        }

        migrator.registerMigration("v1-search") { db in
            // A standalone FTS5 table, kept in step by the upsert code: an external-content table
            // would need the documents rowid to stay stable across replacements, which it does not.
            // Porter stemming lets "founding" match "founded"; unicode61 folds case and accents.
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE documents_fts USING fts5(
                        document_id UNINDEXED,
                        title,
                        text,
                        summary,
                        keywords,
                        tokenize = 'porter unicode61 remove_diacritics 2'
                    );
                    """)
        }

        return migrator
    }()
}
