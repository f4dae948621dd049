import NIOCore
import PostgresNIO

/// The journal's one write per batch, as a prepared statement: the fence, the deletes of finished jobs'
/// rows and of the old counters, the inserts — one round trip and its own transaction.
///
/// Prepared once per connection rather than sent as text each time: the journal's backend spent about a
/// sixth of its time parsing and planning this statement again for every batch (perf on the server under
/// `docpipe-bench --only journal`), and at a few documents per group commit that was paid per document.
///
/// The deletes and inserts run only when the fence row is there; PostgreSQL runs data-modifying `WITH`
/// parts whether or not the final `SELECT` reads them, and they all see the table as it was before the
/// statement, so the rows inserted are never the ones deleted. The two deletes are separate so each is an
/// index scan (as one `… OR …` the planner chose a sequential scan of the whole table per batch).
struct JournalBatchStatement: PostgresPreparedStatement {
    typealias Row = Int

    static let name = "docpipe_journal_batch_v1"

    static let sql = """
        WITH fence AS (
            SELECT epoch FROM docpipe_broker.lease
            WHERE name = 'broker' AND epoch = $1 AND expires_at > clock_timestamp()
            FOR SHARE),
        gone AS (
            DELETE FROM docpipe_broker.journal
            WHERE EXISTS (SELECT 1 FROM fence) AND job_id = ANY($2::text[])
            RETURNING 1),
        old_counters AS (
            DELETE FROM docpipe_broker.journal
            WHERE EXISTS (SELECT 1 FROM fence) AND $3::bool AND kind = \(JournalSchema.Kind.counters.rawValue)
            RETURNING 1),
        added AS (
            INSERT INTO docpipe_broker.journal (job_id, kind, epoch, done_at, record)
            SELECT nullif(id, ''), kind, $1, CASE WHEN done > 0 THEN to_timestamp(done) END, record
            FROM unnest($4::text[], $5::int2[], $6::float8[], $7::bytea[]) AS t(id, kind, done, record)
            WHERE EXISTS (SELECT 1 FROM fence)
            RETURNING 1)
        SELECT count(*)::int8 FROM fence
        """

    /// The lease term this broker writes under.
    var epoch: Int
    /// Jobs whose earlier rows go (finished or dropped).
    var finished: [String]
    /// Whether the batch carries new counters (the old row goes).
    var replacesCounters: Bool
    /// The rows to insert, column by column.
    var jobIDs: [String]
    var kinds: [Int16]
    var doneAt: [Double]
    var records: [ByteBuffer]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        bindings.append(epoch)
        bindings.append(finished)
        bindings.append(replacesCounters)
        bindings.append(jobIDs)
        bindings.append(kinds)
        bindings.append(doneAt)
        bindings.append(records)
        return bindings
    }

    /// 1 when the fence row was there (the batch was written), 0 when this broker's lease is gone.
    func decodeRow(_ row: PostgresRow) throws -> Int {
        try row.decode(Int.self)
    }
}
