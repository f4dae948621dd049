public import DocStore

/// Opens whichever store a ``StoreLocation`` names; the one place the CLI and the storage writer
/// turn `--store` into a store.
public enum StoreOpener {
    /// - Parameters:
    ///   - readOnly: the CLI's mode: never creates a file or a schema, so a typo in `--store` is an
    ///     error instead of an empty store.
    ///   - connections: for PostgreSQL, the most connections the pool opens (about one per document
    ///     processed at once).
    public static func open(
        _ location: StoreLocation, readOnly: Bool, connections: Int = 4
    ) async throws -> any DocumentStore {
        switch location {
        case .sqlite(let path):
            readOnly ? try SQLiteStore.openReadOnly(path: path) : try SQLiteStore(path: path)
        case .postgres(let url):
            try await PostgresStore(url: url, readOnly: readOnly, maximumConnections: connections)
        }
    }
}
