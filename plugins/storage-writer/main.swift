import DocProtocol
import DocStore
import Foundation
import WorkerKit

await WorkerRunner.main(summary: "docpipe storage writer: stores each document and its stage results in SQLite with full-text search.",
                        examples: ["docpipe-storage-writer --data ./docpipe-data",
                                   "docpipe-storage-writer --broker tcp://broker-host:5555 --data /var/lib/docpipe"],
                        // The store is one SQLite database: one writer at a time, so more concurrent
                        // documents would only queue on its write lock (and block pool threads doing it).
                        defaultConcurrency: 1) {
    options in
    let path = URL(fileURLWithPath: options.dataFolder).appendingPathComponent("store.sqlite").path
    return StorageWriter(store: try DocumentStore(path: path))
}
