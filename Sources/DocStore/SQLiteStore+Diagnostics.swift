internal import GRDB

extension SQLiteStore {
    /// The tables the store owns, for checks that the file holds what the migrations say.
    static let ownTables = ["documents", "document_versions", "entities", "stage_results", "documents_fts"]

    /// Rows in each of the store's own tables. Tests use it to prove an upsert left no
    /// duplicate anywhere; an operator check can use it to spot a search index out of step.
    func rowCounts() throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for table in Self.ownTables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }

    /// The names of the migrations applied to the file, in order.
    func appliedMigrations() throws -> [String] {
        try read { db in try StoreSchema.migrator.appliedMigrations(db) }
    }

    /// Whether a table (or virtual table) of that name exists in the file.
    func hasTable(_ name: String) throws -> Bool {
        try read { db in try db.tableExists(name) }
    }
}
