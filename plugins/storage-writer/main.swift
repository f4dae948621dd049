import DocProtocol
import DocStore
import DocStorePostgres
import Foundation
import WorkerKit

/// `--store URL`, the one flag only the storage writer has: which store to write (see `StoreLocation`).
let storeFlag = PluginFlag(
    "store", valueName: "url",
    help: "Where documents go: postgres://USER@HOST:5432/DATABASE (one server for every writer), sqlite:PATH "
        + "or a file path. Default: $DOCPIPE_STORE, else \"store\" in the data folder's config.json, else "
        + "store.sqlite in the data folder. Passwords: in the URL, $PGPASSWORD or ~/.pgpass; never printed.")
let arguments = Array(CommandLine.arguments.dropFirst())

// Decide the store before WorkerKit starts: its default concurrency depends on the backend. A SQLite
// file takes one writer at a time, so more documents at once would only queue on its lock; a
// PostgreSQL server takes several writes at once, each on its own pooled connection. (A bad command
// line is left for `WorkerRunner.main` to report.)
let early = (try? WorkerOptions.parse(arguments, flags: [storeFlag])) ?? WorkerOptions()
let location: StoreLocation
do {
    location = try StoreLocation.resolve(flag: early.value(of: storeFlag), dataFolder: early.dataFolder)
} catch {
    FileHandle.standardError.write(Data("docpipe-storage-writer: error: \(error)\n".utf8))
    exit(1)
}
let isPostgres = if case .postgres = location { true } else { false }

await WorkerRunner.main(
    summary: "docpipe storage writer: stores each document and its stage results, with full-text search, "
        + "in SQLite (default) or PostgreSQL.",
    examples: [
        "docpipe-storage-writer --data ./docpipe-data",
        "docpipe-storage-writer --broker tcp://broker-host:5555 --store postgres://docpipe@db-host/docpipe",
    ],
    arguments: arguments, flags: [storeFlag],
    // Four more held waiting: a write takes about a millisecond, as long as the broker's round trip to the next
    // document, which the writer otherwise spent idle (SQLite, one writer: 1.46× documents per second; README,
    // "Deployment").
    defaultConcurrency: isPostgres ? 4 : 1, defaultPrefetch: 4
) { options in
    let store = try await StoreOpener.open(
        location, readOnly: false, connections: options.concurrency(default: isPostgres ? 4 : 1) + 1)
    return StorageWriter(store: store)
}
