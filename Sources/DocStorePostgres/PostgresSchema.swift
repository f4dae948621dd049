import PostgresNIO

/// The PostgreSQL store's schema: named, append-only migrations in the `docpipe` schema.
///
/// Why it is shaped this way:
/// - Everything lives in its own `docpipe` schema, so the store can share a database with an
///   application's own tables without a name clash.
/// - One row per document in `docpipe.documents` (the current version); list-valued fields are
///   `jsonb` columns rather than child tables, so an upsert is one statement on the common path.
/// - `docpipe.document_versions` keeps every distinct content of an id; its unique
///   `(document_id, content_hash)` is what makes "a content this id already had is never stored
///   again" a constraint rather than a hope.
/// - Search is a stored, generated `tsvector` with a GIN index: title and keywords weigh A, the
///   summary B, the body D, so a word in the title ranks above the same word deep in the text.
///   PostgreSQL refuses a `tsvector` whose lexemes pass 1 MB, so only the first
///   ``indexedCharacters`` characters of the body are indexed (the whole text is stored), and the
///   generated `search_truncated` column records which documents that cut.
/// - `docpipe.fold` strips accents with `translate`, an immutable built-in (its table maps upper-case
///   letters too, since `to_tsvector` leaves non-ASCII case alone under the C locale), because
///   the `unaccent` extension is neither immutable (generated columns need that) nor always
///   installable by the store's user. Search folds the query the same way, so `zurich` finds
///   `Zürich` as SQLite's `remove_diacritics` does. It leaves ASCII text alone without calling
///   `translate` (a profile of the store benchmark found `translate` taking 70% of the server's CPU
///   during a bulk load: about 0.67 ms for 660 characters against 0.06 ms for `to_tsvector`).
///
/// A migration that has shipped is never edited; changes go in a new one at the end. Writers that
/// start together migrate one at a time under a transaction-level advisory lock.
enum PostgresSchema {
    /// The advisory lock key every docpipe writer takes to migrate ("docpipes" in ASCII).
    static let migrationLockKey: Int64 = 0x646f_6370_6970_6573

    /// Body characters the search index covers; see the type's notes.
    static let indexedCharacters = 150_000

    /// The store's migrations, for ``PostgresMigrator``.
    static var plan: MigrationPlan {
        MigrationPlan(schema: "docpipe", lockKey: migrationLockKey, migrations: migrations)
    }

    static let migrations: [(name: String, sql: String)] = [
        (
            "v1-fold",
            """
            -- ASCII text (as many bytes as characters) has nothing to fold: translate is skipped, which
            -- matters because it costs about ten times what to_tsvector does. Adjacent string constants on
            -- separate lines are one constant in SQL.
            CREATE FUNCTION docpipe.fold(text) RETURNS text
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                AS $$ SELECT CASE WHEN octet_length($1) = char_length($1) THEN $1 ELSE translate($1,
                    'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊ'
                    'ċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚś'
                    'ŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬ'
                    'ǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳøłđħıŧßØŁĐĦŦ',
                    'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccc'
                    'cccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrss'
                    'ssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkooo'
                    'ojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyoldhitsoldht') END $$;
            """
        ),
        (
            "v1-documents",
            """
            CREATE TABLE docpipe.documents (
                id               text PRIMARY KEY,
                version          integer NOT NULL,
                content_hash     text NOT NULL,
                name             text,
                content_type     text,
                title            text,
                source           text,
                author           text,
                language         text,
                text             text NOT NULL,
                word_count       integer NOT NULL,
                sentence_count   integer NOT NULL,
                topic            text,
                topic_confidence double precision,
                summary          text,
                keywords         jsonb NOT NULL DEFAULT '[]',
                entities         jsonb NOT NULL DEFAULT '[]',
                dates            jsonb NOT NULL DEFAULT '[]',
                metadata         jsonb NOT NULL DEFAULT '{}',
                stage_results    jsonb NOT NULL DEFAULT '{}',
                pipeline         text,
                job_id           text,
                stored_at        timestamptz NOT NULL,
                search_truncated boolean GENERATED ALWAYS AS (char_length(text) > 150000) STORED,
                search           tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english'::regconfig, docpipe.fold(coalesce(title, ''))), 'A')
                    || setweight(to_tsvector('english'::regconfig, docpipe.fold(keywords::text)), 'A')
                    || setweight(to_tsvector('english'::regconfig, docpipe.fold(coalesce(summary, ''))), 'B')
                    || setweight(to_tsvector('english'::regconfig, docpipe.fold(left(text, 150000))), 'D')
                ) STORED
            );
            CREATE INDEX documents_search ON docpipe.documents USING gin (search);
            CREATE INDEX documents_stored_at ON docpipe.documents (stored_at);
            CREATE INDEX documents_topic ON docpipe.documents (topic);

            CREATE TABLE docpipe.document_versions (
                document_id  text NOT NULL,
                version      integer NOT NULL,
                content_hash text NOT NULL,
                stored_at    timestamptz NOT NULL,
                body         jsonb NOT NULL,
                PRIMARY KEY (document_id, version),
                UNIQUE (document_id, content_hash)
            );
            """
        ),
    ]
}
