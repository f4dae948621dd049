import DocStore
import DocStorePostgres
import Foundation
import PostgresTesting
import Synchronization

/// The document store's figures (#12) on both backends in one run: upserts per second of distinct new
/// documents with 1, 2 and 4 concurrent writers, and search latency over a large store.
///
/// A writer behaves as a separate storage-writer process would: its own `SQLiteStore` on the shared
/// file, or its own `PostgresStore` with a one-connection pool, storing its documents one after another;
/// the writers run side by side. Every configuration starts on a fresh database or a fresh file.
/// PostgreSQL is a throwaway server (initdb in a temp folder, fsync on) stopped and removed at the end,
/// on an error and on Ctrl-C; when it cannot start, the phase fails with the reason.
struct StoreBenchmark {
    /// Distinct new documents stored per configuration (split between its writers).
    var documents: Int
    var writers: [Int]
    /// Documents in the store the searches run against.
    var searchDocuments: Int
    var queries: Int
    /// Parallel writers loading PostgreSQL's search corpus (loading is not a figure).
    var loadWriters = 4

    static let documentBytes = 2_300
    static let searchDocumentBytes = 600
    /// Documents per transaction when loading SQLite's search corpus (`SQLiteStore.upsertAll`).
    static let sqliteLoadBatch = 500
    static let searchLimit = 20
    /// Queries run once, unmeasured, before the timed ones on each backend (caches, prepared statements).
    static let warmUpQueries = 20
    static let queryKinds = ["word", "two words", "phrase", "prefix"]

    static let durability = [
        "postgres": "fsync=on, synchronous_commit=on: each upsert's commit waits for its WAL flush",
        "sqlite": "WAL with synchronous=NORMAL (GRDB's setting): commits are not fsynced until a checkpoint, "
            + "so they survive a crash of the process but not of the machine",
    ]

    /// One configuration: `writers` writers storing `documents` new documents between them.
    struct Upserts: Codable, Equatable {
        var backend: String
        var writers: Int
        var documents: Int
        var seconds: Double
        var upsertsPerSecond: Double
        /// Each upsert call as its writer saw it.
        var latency: LatencySummary
        /// SQLite upserts that found the file locked past the busy timeout and were tried again.
        var busyRetries: Int

        enum CodingKeys: String, CodingKey {
            case backend, writers, documents, seconds, latency
            case upsertsPerSecond = "upserts_per_second"
            case busyRetries = "busy_retries"
        }
    }

    /// Search latency on one backend over the loaded corpus.
    struct BackendSearch: Codable, Equatable {
        var p50Ms: Double
        var p99Ms: Double
        var maxMs: Double
        var queries: Int
        /// Hits per query (at most the limit), and queries that found nothing.
        var meanHits: Double
        var emptyQueries: Int
        /// The same percentiles for each kind of query in the mix.
        var byKind: [String: LatencySummary]
        /// Loading the corpus (not a figure of the issue; reported so a slow load is visible).
        var loadSeconds: Double
        var loadWriters: Int
        var loadNote: String

        enum CodingKeys: String, CodingKey {
            case queries
            case p50Ms = "p50_ms"
            case p99Ms = "p99_ms"
            case maxMs = "max_ms"
            case meanHits = "mean_hits"
            case emptyQueries = "empty_queries"
            case byKind = "by_kind"
            case loadSeconds = "load_seconds"
            case loadWriters = "load_writers"
            case loadNote = "load_note"
        }
    }

    struct Search: Codable, Equatable {
        var documents: Int
        var documentBytes: Int
        var limit: Int
        var queries: Int
        /// What the queries look like, one example of each kind.
        var examples: [String: String]
        var postgres: BackendSearch
        var sqlite: BackendSearch

        enum CodingKeys: String, CodingKey {
            case documents, limit, queries, examples, postgres, sqlite
            case documentBytes = "document_bytes"
        }
    }

    struct Figures: Codable, Equatable {
        var postgresVersion: String
        var durability: [String: String]
        /// Average body bytes of an upserted document.
        var documentBytes: Int
        var documentsPerConfiguration: Int
        /// Backend → writers ("1", "2", "4") → upserts per second.
        var upsertsPerSecond: [String: [String: Double]]
        var upserts: [Upserts]
        /// `postgres_4_vs_sqlite_1` and the like: each backend's rate over the other's or over its own 1 writer.
        var ratios: [String: Double]
        var search: Search
        /// The whole phase, server start and corpus generation included.
        var seconds: Double

        enum CodingKeys: String, CodingKey {
            case durability, upserts, ratios, search, seconds
            case postgresVersion = "postgres_version"
            case documentBytes = "document_bytes"
            case documentsPerConfiguration = "documents_per_configuration"
            case upsertsPerSecond = "upserts_per_second"
        }
    }

    func run() throws -> Figures {
        try runBlocking { try await measure() }
    }

    private func measure() async throws -> Figures {
        let started = monotonicNanos()
        // SQLite files; removed at the end, on an error and on Ctrl-C (as the server is, below).
        let scratch = try BenchPaths.temporaryFolder("store")
        let scratchCleanup = ChildRegistry.addCleanup { try? FileManager.default.removeItem(at: scratch) }
        defer {
            try? FileManager.default.removeItem(at: scratch)
            ChildRegistry.removeCleanup(scratchCleanup)
        }
        say("starting a throwaway PostgreSQL server (fsync on)…")
        let server: ThrowawayPostgres
        do {
            server = try ThrowawayPostgres(durable: true)
        } catch {
            throw BenchError(message: "store: PostgreSQL could not be started, so the store phase cannot run: \(error)")
        }
        let cleanup = ChildRegistry.addCleanup { server.destroy() }
        defer {
            server.destroy()
            ChildRegistry.removeCleanup(cleanup)
        }
        let version = try server.psql("SHOW server_version").trimmingCharacters(in: .whitespacesAndNewlines)

        let corpus = StoreCorpus()
        let upsertDocuments = Self.generate(documents, corpus: corpus, kind: "up", bytes: Self.documentBytes)
        let averageBytes = upsertDocuments.map(\.text.utf8.count).reduce(0, +) / max(1, upsertDocuments.count)

        var upserts: [Upserts] = []
        for (run, count) in writers.enumerated() {
            say("upserting \(documents) documents into PostgreSQL with \(count) writer(s)…")
            let database = "upserts_\(run)_\(count)"
            try server.psql("CREATE DATABASE \(database)")
            let stores = try await Self.openPostgres(server.url(database: database), count: count)
            upserts.append(try await Self.timedUpserts(upsertDocuments, stores: stores, backend: "postgres"))
        }
        for (run, count) in writers.enumerated() {
            say("upserting \(documents) documents into SQLite with \(count) writer(s)…")
            let folder = scratch.appendingPathComponent("upserts-\(run)-\(count)")
            let path = folder.appendingPathComponent("store.sqlite").path
            let stores = try (0..<count).map { _ in try SQLiteStore(path: path) }
            upserts.append(try await Self.timedUpserts(upsertDocuments, stores: stores, backend: "sqlite"))
            try? FileManager.default.removeItem(at: folder)
        }

        let search = try await measureSearch(server: server, corpus: corpus, scratch: scratch)

        var rates: [String: [String: Double]] = [:]
        for run in upserts { rates[run.backend, default: [:]]["\(run.writers)"] = run.upsertsPerSecond }
        return Figures(
            postgresVersion: version, durability: Self.durability, documentBytes: averageBytes,
            documentsPerConfiguration: documents, upsertsPerSecond: rates, upserts: upserts,
            ratios: Self.ratios(rates), search: search, seconds: Double(monotonicNanos() - started) / 1e9)
    }

    // MARK: - Upserts

    /// Opens `count` writers on PostgreSQL one after another (the first migrates the new database), each
    /// with its own one-connection pool, as `count` storage-writer processes would have.
    private static func openPostgres(_ url: String, count: Int) async throws -> [any DocumentStore] {
        var stores: [any DocumentStore] = []
        do {
            for _ in 0..<count {
                stores.append(
                    try await StoreOpener.open(
                        try StoreLocation(parsing: url), readOnly: false,
                        connections: 1))
            }
        } catch {
            for store in stores { await store.close() }
            throw BenchError(message: "store: cannot open \(url): \(error)")
        }
        return stores
    }

    /// Each store stores its contiguous share of `documents`, one upsert after another; all stores at
    /// once. The clock runs from the first writer's start to the last one's end. Closes the stores.
    private static func timedUpserts(
        _ documents: [StoredDocument], stores: [any DocumentStore], backend: String
    ) async throws -> Upserts {
        let shares = split(documents, into: stores.count)
        let start = monotonicNanos()
        let outcome: Result<[(nanos: [UInt64], retries: Int)], any Error>
        do {
            let results = try await withThrowingTaskGroup(of: (nanos: [UInt64], retries: Int).self) { group in
                for (store, share) in zip(stores, shares) {
                    if let sqlite = store as? SQLiteStore {
                        // Blocking calls: one OS thread per writer, not the (two-thread) cooperative pool.
                        group.addTask {
                            try await onOwnThread("sqlite-writer") { try Self.upsert(share, into: sqlite) }
                        }
                    } else {
                        group.addTask { try await Self.upsert(share, into: store) }
                    }
                }
                var all: [(nanos: [UInt64], retries: Int)] = []
                for try await result in group { all.append(result) }
                return all
            }
            outcome = .success(results)
        } catch {
            outcome = .failure(error)
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        for store in stores { await store.close() }
        let results = try outcome.get()
        let nanos = results.flatMap(\.nanos)
        guard nanos.count == documents.count else {
            throw BenchError(message: "store: \(backend) stored \(nanos.count) of \(documents.count) documents")
        }
        return Upserts(
            backend: backend, writers: stores.count, documents: documents.count, seconds: seconds,
            upsertsPerSecond: Double(documents.count) / seconds, latency: LatencySummary(nanos: nanos),
            busyRetries: results.map(\.retries).reduce(0, +))
    }

    private static func upsert(_ documents: [StoredDocument], into store: any DocumentStore) async throws
        -> (nanos: [UInt64], retries: Int)
    {
        var nanos: [UInt64] = []
        nanos.reserveCapacity(documents.count)
        for document in documents {
            let start = monotonicNanos()
            let outcome = try await store.upsert(document)
            nanos.append(monotonicNanos() - start)
            guard outcome == .inserted(version: 1) else {
                throw BenchError(message: "store: \(document.id) was not new to \(store.location): \(outcome)")
            }
        }
        return (nanos, 0)
    }

    /// The SQLite writer's loop: a store that stays locked past its busy timeout is tried again, as the
    /// broker would redeliver the document to a storage writer, and counted.
    private static func upsert(_ documents: [StoredDocument], into store: SQLiteStore) throws
        -> (nanos: [UInt64], retries: Int)
    {
        var nanos: [UInt64] = []
        nanos.reserveCapacity(documents.count)
        var retries = 0
        for document in documents {
            let start = monotonicNanos()
            var outcome: UpsertOutcome?
            while outcome == nil {
                do {
                    outcome = try store.upsert(document)
                } catch DocStoreError.busy(let path) {
                    retries += 1
                    guard retries <= 100 else { throw BenchError(message: "store: \(path) stayed locked, 100 retries") }
                }
            }
            nanos.append(monotonicNanos() - start)
            guard outcome == .inserted(version: 1) else {
                throw BenchError(message: "store: \(document.id) was not new to \(store.path): \(outcome!)")
            }
        }
        return (nanos, retries)
    }

    private static func split<T>(_ items: [T], into parts: Int) -> [[T]] {
        (0..<parts).map { part in
            Array(items[(items.count * part / parts)..<(items.count * (part + 1) / parts)])
        }
    }

    private static func ratios(_ rates: [String: [String: Double]]) -> [String: Double] {
        var ratios: [String: Double] = [:]
        if let sqliteOne = rates["sqlite"]?["1"], sqliteOne > 0 {
            for (writers, rate) in rates["postgres"] ?? [:] {
                ratios["postgres_\(writers)_vs_sqlite_1"] = rate / sqliteOne
            }
        }
        for backend in ["postgres", "sqlite"] {
            guard let one = rates[backend]?["1"], one > 0 else { continue }
            for (writers, rate) in rates[backend] ?? [:] where writers != "1" {
                ratios["\(backend)_\(writers)_vs_\(backend)_1"] = rate / one
            }
        }
        return ratios
    }

    /// Documents 0..<count of a corpus, made on every core (each is a function of its index alone).
    private static func generate(_ count: Int, corpus: StoreCorpus, kind: String, bytes: Int) -> [StoredDocument] {
        let chunks = max(1, min(count, ProcessInfo.processInfo.activeProcessorCount * 4))
        let parts = Mutex<[Int: [StoredDocument]]>([:])
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
            let made = range.map { corpus.document($0, kind: kind, bytes: bytes) }
            parts.withLock { $0[chunk] = made }
        }
        return parts.withLock { parts in (0..<chunks).flatMap { parts[$0] ?? [] } }
    }

    // MARK: - Search

    private func measureSearch(server: ThrowawayPostgres, corpus: StoreCorpus, scratch: URL) async throws -> Search {
        say("generating \(searchDocuments) documents of ~\(Self.searchDocumentBytes) bytes for the search figures…")
        let generating = monotonicNanos()
        let documents = Self.generate(searchDocuments, corpus: corpus, kind: "doc", bytes: Self.searchDocumentBytes)
        say(String(format: "generated in %.1f s", Double(monotonicNanos() - generating) / 1e9))
        let averageBytes = documents.map(\.text.utf8.count).reduce(0, +) / max(1, documents.count)
        let queries = Self.queries(queries, corpus: corpus, documents: searchDocuments)

        // Both loads at once (loading is not a figure; the searches run afterwards, one backend at a time).
        // PostgreSQL: through the store, several writers, and only this database commits without waiting
        // for the WAL flush: the search figures do not depend on it, and no upsert figure comes from it.
        // SQLite: in batches through the store's own upsertAll, one transaction per batch.
        say(
            "loading them into PostgreSQL (\(loadWriters) writers) and SQLite (batches of \(Self.sqliteLoadBatch)) "
                + "side by side…")
        try server.psql("CREATE DATABASE search")
        try server.psql("ALTER DATABASE search SET synchronous_commit = off")
        let url = server.url(database: "search")
        let loaders = try await Self.openPostgres(url, count: loadWriters)
        let path = scratch.appendingPathComponent("search/store.sqlite").path
        async let postgresLoading = Self.timedUpserts(documents, stores: loaders, backend: "postgres")
        async let sqliteLoading = onOwnThread("sqlite-load") {
            let start = monotonicNanos()
            let store = try SQLiteStore(path: path)
            for first in stride(from: 0, to: documents.count, by: Self.sqliteLoadBatch) {
                try store.upsertAll(Array(documents[first..<min(first + Self.sqliteLoadBatch, documents.count)]))
            }
            return Double(monotonicNanos() - start) / 1e9
        }
        let (postgresLoad, sqliteLoadSeconds) = try await (postgresLoading, sqliteLoading)
        // What autovacuum would have done by the time anyone searches a store this size (it also merges
        // the GIN index's pending list, which every search would otherwise scan).
        try server.psql("VACUUM ANALYZE", database: "search")
        say(
            String(
                format: "loaded in %.1f s (PostgreSQL) and %.1f s (SQLite); searching PostgreSQL…",
                postgresLoad.seconds, sqliteLoadSeconds))
        let postgresStore = try await Self.openPostgres(url, count: 1)[0]
        let postgresTimes: [(UInt64, Int)]
        do {
            postgresTimes = try await Self.timedSearches(queries) { try await postgresStore.search($0, limit: $1) }
        } catch {
            await postgresStore.close()
            throw error
        }
        await postgresStore.close()
        say("searching SQLite…")
        let reader = try SQLiteStore(path: path)
        let sqliteTimes = try await onOwnThread("sqlite-search") {
            try runBlockingSearches(queries) { try reader.search($0, limit: $1) }
        }

        var examples: [String: String] = [:]
        for query in queries where examples[query.kind] == nil { examples[query.kind] = query.text }
        return Search(
            documents: searchDocuments, documentBytes: averageBytes, limit: Self.searchLimit, queries: queries.count,
            examples: examples,
            postgres: Self.summary(
                postgresTimes, queries, loadSeconds: postgresLoad.seconds, loadWriters: loadWriters,
                note: "\(loadWriters) writers through the store, synchronous_commit=off, beside the SQLite load; "
                    + "then VACUUM ANALYZE"),
            sqlite: Self.summary(
                sqliteTimes, queries, loadSeconds: sqliteLoadSeconds, loadWriters: 1,
                note: "\(Self.sqliteLoadBatch) documents per transaction, beside the PostgreSQL load"))
    }

    struct Query: Sendable {
        var kind: String
        var text: String
    }

    /// `count` queries in a fixed rotation of kinds, each built from the words of one stored document
    /// (so most find something): one rare word; two rare words anywhere; a two-word "phrase" as it
    /// stands in the text; the first four letters of a rare word with a star.
    static func queries(_ count: Int, corpus: StoreCorpus, documents: Int) -> [Query] {
        var random = SplitMix64(seed: 0x5eed_0012)
        return (0..<count).map { number in
            let kind = queryKinds[number % queryKinds.count]
            let sentences = corpus.bodyRanks(random.below(documents), kind: "doc", bytes: searchDocumentBytes)
            let rare = Array(Set(sentences.joined().filter { $0 >= corpus.firstRareRank })).sorted()
            func rareWord() -> String {
                corpus.words[rare.isEmpty ? corpus.firstRareRank : rare[random.below(rare.count)]]
            }
            switch kind {
            case "word":
                return Query(kind: kind, text: rareWord())
            case "two words":
                var second = rareWord()
                let first = rareWord()
                for _ in 0..<5 where second == first { second = rareWord() }
                return Query(kind: kind, text: "\(first) \(second)")
            case "phrase":
                // Two neighbours of which at least one is a rare word (a phrase of two common words
                // is not what anyone quotes).
                let pairs = sentences.flatMap { sentence in
                    zip(sentence, sentence.dropFirst())
                        .filter { $0.0 >= corpus.firstRareRank || $0.1 >= corpus.firstRareRank }
                }
                guard !pairs.isEmpty else { return Query(kind: kind, text: "\"\(rareWord())\"") }
                let pair = pairs[random.below(pairs.count)]
                return Query(kind: kind, text: "\"\(corpus.words[pair.0]) \(corpus.words[pair.1])\"")
            default:
                return Query(kind: kind, text: String(rareWord().prefix(4)) + "*")
            }
        }
    }

    /// Runs the first ``warmUpQueries`` unmeasured, then every query once, one at a time; each query's
    /// time and hit count.
    private static func timedSearches(
        _ queries: [Query], _ search: (String, Int) async throws -> [SearchHit]
    ) async throws -> [(UInt64, Int)] {
        for query in queries.prefix(warmUpQueries) { _ = try await search(query.text, searchLimit) }
        var times: [(UInt64, Int)] = []
        for query in queries {
            let start = monotonicNanos()
            let hits = try await search(query.text, searchLimit)
            times.append((monotonicNanos() - start, hits.count))
        }
        return times
    }

    private static func summary(
        _ times: [(UInt64, Int)], _ queries: [Query], loadSeconds: Double, loadWriters: Int, note: String
    ) -> BackendSearch {
        let all = LatencySummary(nanos: times.map(\.0))
        var byKind: [String: LatencySummary] = [:]
        for kind in queryKinds {
            let nanos = zip(queries, times).filter { $0.0.kind == kind }.map(\.1.0)
            if !nanos.isEmpty { byKind[kind] = LatencySummary(nanos: nanos) }
        }
        let hits = times.map(\.1)
        return BackendSearch(
            p50Ms: all.p50Ms, p99Ms: all.p99Ms, maxMs: all.maxMs, queries: times.count,
            meanHits: Double(hits.reduce(0, +)) / Double(max(1, hits.count)),
            emptyQueries: hits.filter { $0 == 0 }.count, byKind: byKind,
            loadSeconds: loadSeconds, loadWriters: loadWriters, loadNote: note)
    }

    private func say(_ message: String) {
        FileHandle.standardError.write(Data("docpipe-bench: store: \(message)\n".utf8))
    }
}

/// ``StoreBenchmark``'s timed searches for a synchronous store, on the calling (dedicated) thread.
private func runBlockingSearches(
    _ queries: [StoreBenchmark.Query], _ search: (String, Int) throws -> [SearchHit]
) throws -> [(UInt64, Int)] {
    for query in queries.prefix(StoreBenchmark.warmUpQueries) { _ = try search(query.text, StoreBenchmark.searchLimit) }
    var times: [(UInt64, Int)] = []
    for query in queries {
        let start = monotonicNanos()
        let hits = try search(query.text, StoreBenchmark.searchLimit)
        times.append((monotonicNanos() - start, hits.count))
    }
    return times
}

/// Runs blocking `body` on a new OS thread of its own and waits for it without holding a thread of the
/// cooperative pool (two threads on a two-core machine: two blocked writers would stall everything).
func onOwnThread<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = name
        thread.start()
    }
}

/// Runs async `body` to its end from synchronous code (the bench's phases are synchronous), blocking the
/// calling thread — which must not be one of the cooperative pool's.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingOutcome<T>()
    Task.detached {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        box.result.withLock { $0 = result }
        box.done.signal()
    }
    box.done.wait()
    return try box.result.withLock { $0 }!.get()
}

/// What ``runBlocking(_:)``'s task hands back to the waiting thread.
private final class BlockingOutcome<T: Sendable>: Sendable {
    let result = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
}
