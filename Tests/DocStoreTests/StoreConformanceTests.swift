import DocStore
import DocStorePostgres
import Foundation
import Testing

/// The store contract, run against both backends: what a storage writer, `docpipe search` and
/// `docpipe export` rely on must not depend on which database is underneath.
@Suite(.sharedPostgres, .timeLimit(.minutes(5)))
struct StoreConformanceTests {
    @Test(arguments: Backend.allCases)
    func aNewDocumentIsVersionOneAndReadsBackAsStored(backend: Backend) async throws {
        try await withStore(backend) { store in
            #expect((try await store.upsert(sampleDocument())) == .inserted(version: 1))
            let read = try await store.document(id: "doc-nato")
            #expect(read == sampleDocument())
            #expect(try await store.document(id: "doc-missing") == nil)
            #expect(try await store.versions(id: "doc-nato") == [sampleDocument()])
        }
    }

    @Test(arguments: Backend.allCases)
    func theSameContentAgainChangesNothing(backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.upsert(sampleDocument())
            var again = sampleDocument()
            again.jobID = "job-2"
            again.storedAt = fixedDate.addingTimeInterval(60)
            #expect(try await store.upsert(again) == .unchanged(version: 1))
            #expect(try await store.document(id: "doc-nato")?.jobID == "job-1")
            #expect(try await store.stats() == StoreStats(backend: backend.rawValue, documents: 1, versions: 1))
        }
    }

    @Test(arguments: Backend.allCases)
    func changedContentBecomesTheNextVersionAndAnOlderContentNeverComesBack(backend: Backend) async throws {
        try await withStore(backend) { store in
            let first = sampleDocument()
            let second = sampleDocument(contentHash: "sha256:bbb", title: "NATO changes course")
            #expect(try await store.upsert(first) == .inserted(version: 1))
            #expect(try await store.upsert(second) == .newVersion(version: 2))
            // A late redelivery of version 1 (its stage result arriving after version 2 was stored).
            #expect(try await store.upsert(first) == .unchanged(version: 2))
            #expect(try await store.document(id: "doc-nato")?.title == "NATO changes course")
            let versions = try await store.versions(id: "doc-nato")
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions.map(\.contentHash) == ["sha256:aaa", "sha256:bbb"])
            #expect(try await store.upsert(sampleDocument(contentHash: "sha256:ccc")) == .newVersion(version: 3))
            #expect(try await store.stats().versions == 3)
        }
    }

    @Test(arguments: Backend.allCases)
    func manyWritersAtOnceStoreEachDocumentOnce(backend: Backend) async throws {
        try await withStore(backend) { store in
            var writers: [any DocumentStore] = [store]
            for _ in 0..<3 { writers.append(try await secondWriter(of: store)) }
            let ids = (0..<25).map { "doc-\($0)" }
            let outcomes = try await withThrowingTaskGroup(of: UpsertOutcome.self) { group in
                for writer in writers {
                    for id in ids.shuffled() {
                        group.addTask { try await writer.upsert(sampleDocument(id: id, contentHash: "sha256:\(id)")) }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for writer in writers.dropFirst() { await writer.close() }
            #expect(outcomes.filter { $0 == .inserted(version: 1) }.count == ids.count)
            #expect(outcomes.filter { $0 == .unchanged(version: 1) }.count == ids.count * 3)
            #expect(try await store.stats() == StoreStats(backend: backend.rawValue, documents: 25, versions: 25))
        }
    }

    @Test(arguments: Backend.allCases)
    func searchFindsWordsPhrasesAndPrefixesWithTheSameHitShape(backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.upsert(sampleDocument())
            try await store.upsert(
                sampleDocument(
                    id: "doc-trade", contentHash: "sha256:t", title: "Trade talks resume",
                    text: "Ministers met to discuss tariffs. The act of trading goods built the port city."))
            let words = try await store.search("founding act")
            #expect(words.map(\.id) == ["doc-nato"])
            let hit = try #require(words.first)
            #expect(hit.title == "NATO plans to develop new strategy for Russia")
            #expect(hit.topic == "politics")
            #expect(hit.snippet.contains("«"))
            #expect(hit.rank > 0)
            #expect(try await store.search("\"founding act\"").map(\.id) == ["doc-nato"])
            #expect(try await store.search("\"act founding\"").isEmpty)
            #expect(try await store.search("tarif*").map(\.id) == ["doc-trade"])
            #expect(try await store.search("NATO-Russia council").map(\.id) == ["doc-nato"])
            #expect(try await store.search("council tariffs").isEmpty)
            #expect(try await store.search("«»!?").isEmpty)
            #expect(try await store.search("unbalanced \"founding act").map(\.id).isEmpty)
            #expect(try await store.search("founding", limit: 0).isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func aWordInTheTitleRanksAboveTheSameWordDeepInTheText(backend: Backend) async throws {
        try await withStore(backend) { store in
            let filler = Array(repeating: "The committee reviewed budgets and schedules for the year.", count: 30)
            try await store.upsert(
                sampleDocument(
                    id: "doc-body", contentHash: "sha256:1", title: "Annual report",
                    text: (filler + ["One paragraph mentions the falcon."]).joined(separator: " ")))
            try await store.upsert(
                sampleDocument(
                    id: "doc-title", contentHash: "sha256:2", title: "The falcon returns",
                    text: "Birds of prey were seen again over the valley this spring."))
            let hits = try await store.search("falcon")
            #expect(hits.map(\.id) == ["doc-title", "doc-body"])
            #expect(hits[0].rank > hits[1].rank)
        }
    }

    @Test(arguments: Backend.allCases)
    func unicodeTextIsFoundWithAndWithoutAccents(backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.upsert(
                sampleDocument(
                    id: "doc-unicode", contentHash: "sha256:u", title: "Café in Zürich",
                    text: "Η Αθήνα είναι πόλη. Le café de Zürich ouvre à 7 h. 東京 is in Japan. Emoji 🎉 stay."))
            for query in ["zürich", "Zurich", "cafe", "Αθήνα", "東京", "ZÜRICH café"] {
                #expect(try await store.search(query).map(\.id) == ["doc-unicode"], "query \(query)")
            }
            #expect(try await store.document(id: "doc-unicode")?.text.contains("🎉") == true)
        }
    }

    @Test(arguments: Backend.allCases)
    func aHugeDocumentIsStoredWholeAndFoundByItsOpening(backend: Backend) async throws {
        try await withStore(backend) { store in
            // About 3 MB of distinct made-up words: far past PostgreSQL's 1 MB tsvector limit.
            var generator = SystemRandomNumberGenerator()
            let letters = Array("abcdefghijklmnopqrstuvwxyz")
            let words = (0..<350_000).map { _ in
                String((0..<7).map { _ in letters[Int(generator.next() % 26)] })
            }
            let text = "Openingmarker begins this very long text. " + words.joined(separator: " ")
            #expect(text.utf8.count > 2_500_000)
            #expect(
                try await store.upsert(sampleDocument(id: "doc-huge", contentHash: "sha256:h", text: text))
                    == .inserted(version: 1))
            #expect(try await store.document(id: "doc-huge")?.text == text)
            #expect(try await store.search("openingmarker").map(\.id) == ["doc-huge"])
            let stats = try await store.stats()
            #expect(stats.searchTruncated == (backend == .postgres ? 1 : 0))
        }
    }

    @Test(arguments: Backend.allCases)
    func listingIsNewestFirstAndIDsPageInOrder(backend: Backend) async throws {
        try await withStore(backend) { store in
            for index in 0..<5 {
                var document = sampleDocument(id: "doc-\(index)", contentHash: "sha256:\(index)")
                document.storedAt = fixedDate.addingTimeInterval(Double(index))
                try await store.upsert(document)
            }
            let listed = try await store.list(limit: 3, offset: 1)
            #expect(listed.map(\.id) == ["doc-3", "doc-2", "doc-1"])
            #expect(listed.first?.storedAt == fixedDate.addingTimeInterval(3))
            #expect(try await store.documentIDs(after: nil, limit: 2) == ["doc-0", "doc-1"])
            #expect(try await store.documentIDs(after: "doc-1", limit: 10) == ["doc-2", "doc-3", "doc-4"])
        }
    }

    @Test(arguments: [(Backend.sqlite, Backend.postgres), (.postgres, .sqlite), (.postgres, .postgres)])
    func exportThenImportCarriesEveryVersionAcross(from source: Backend, to target: Backend) async throws {
        try await withStore(source) { from in
            var moment = sampleDocument()
            moment.storedAt = Date(timeIntervalSince1970: 1_764_400_000.123456)
            try await from.upsert(moment)
            try await from.upsert(sampleDocument(contentHash: "sha256:v2", title: "Second take"))
            try await from.upsert(sampleDocument(id: "doc-other", contentHash: "sha256:o"))
            var exported = Data()
            let counts = try await StoreTransfer.export(from: from, write: { exported.append($0) })
            #expect(counts.documents == 2 && counts.versions == 3)
            let lines = String(decoding: exported, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 2)
            try await withStore(target) { into in
                let report = try await StoreTransfer.importRecords(lines, into: into)
                #expect(report.documents == 2 && report.versions == 3 && report.stored == 3)
                #expect(report.differing.isEmpty)
                for id in ["doc-nato", "doc-other"] {
                    #expect(try await into.versions(id: id) == (try await from.versions(id: id)))
                    #expect(try await into.document(id: id) == (try await from.document(id: id)))
                }
                let again = try await StoreTransfer.importRecords(lines, into: into)
                #expect(again.stored == 0 && again.alreadyPresent == 3)
            }
        }
    }
}
