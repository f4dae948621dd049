import DocStorePostgres

/// The shared journal's tables, in their own `docpipe_broker` schema (so the journal can live in the
/// same database as the document store, or in another).
///
/// - `journal`: one row per journal record, append-only. `record` holds the record exactly as the
///   embedded journal frames it (`JournalCodec`: the submitted document, a stage's output, a state
///   change), so both journals share one encoding and one replay. `job_id` lets a finished job's rows
///   be deleted in one statement; `epoch` is the lease term of the broker that wrote the row (fencing,
///   and the lease-history checks in the tests); `done_at` marks the one metadata row a finished job
///   keeps, which is what pruning deletes once it is older than the retention.
///   Why rows and not one growing blob: PostgreSQL rewrites a whole row on update, so a job's history as
///   one value would be written again at every stage; as rows, each fact is written once, and dropping
///   a finished job's bodies is a `DELETE` (autovacuum reclaims the space in the background).
/// - `lease`: a single row naming the active broker, its epoch and when its lease expires. See
///   ``PostgresLease`` for why a lease row and not an advisory lock.
/// - `lease_history`: one row per epoch — who held it, from when, until when it was last renewed to, and
///   how it ended — for operators (`docpipe status` shows the last failover) and for tests that check
///   no two brokers were ever active at once.
enum JournalSchema {
    /// "docpipeB" in ASCII: the journal's migration lock, apart from the store's.
    static let migrationLockKey: Int64 = 0x646f_6370_6970_6542

    static let plan = MigrationPlan(
        schema: "docpipe_broker", lockKey: migrationLockKey,
        migrations: [
            (
                "v1-journal",
                """
                CREATE TABLE docpipe_broker.journal (
                    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    job_id     text,
                    kind       smallint NOT NULL,
                    epoch      bigint NOT NULL,
                    done_at    timestamptz,
                    written_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    record     bytea NOT NULL
                );
                CREATE INDEX journal_job ON docpipe_broker.journal (job_id);
                CREATE INDEX journal_done ON docpipe_broker.journal (done_at) WHERE done_at IS NOT NULL;
                CREATE TABLE docpipe_broker.lease (
                    name        text PRIMARY KEY,
                    epoch       bigint NOT NULL,
                    holder      text NOT NULL,
                    endpoint    text NOT NULL,
                    acquired_at timestamptz NOT NULL,
                    renewed_at  timestamptz NOT NULL,
                    expires_at  timestamptz NOT NULL
                );
                CREATE TABLE docpipe_broker.lease_history (
                    epoch       bigint PRIMARY KEY,
                    holder      text NOT NULL,
                    endpoint    text NOT NULL,
                    acquired_at timestamptz NOT NULL,
                    expires_at  timestamptz NOT NULL,
                    ended_at    timestamptz,
                    end_reason  text
                );
                """
            ),
            (
                // Measured (perf on the journal's backend, `docpipe-bench --only journal`): a tenth of the
                // server's time went to pglz compressing each submitted document (a 2.3 KB record is past
                // the 2 KB point where PostgreSQL starts compressing a row), and most of the rest to a
                // sequential scan per batch: the delete of finished jobs' rows said `job_id = ANY(…) OR
                // kind = counters`, which no index answers; then a quarter to inserting index entries,
                // comparing job ids by the database's locale. Rows up to a page now stay as written
                // (larger documents are still compressed and moved out of line), the counters row has an
                // index of its own so the two deletes are separate index scans, and job ids compare as
                // bytes (they are only ever looked up by equality).
                "v2-journal-uncompressed-rows-and-counters-index",
                """
                ALTER TABLE docpipe_broker.journal SET (toast_tuple_target = 8160);
                ALTER TABLE docpipe_broker.journal ALTER COLUMN job_id TYPE text COLLATE "C";
                CREATE INDEX journal_counters ON docpipe_broker.journal (seq) WHERE kind = 4;
                """
            ),
        ])

    /// Record kinds in the `kind` column (the first byte of the framed record's payload says the same).
    enum Kind: Int16 {
        case job = 1, progress = 2, counters = 4
    }
}
