import DocStore
import Foundation
import Testing

/// The storage writer and the CLI are separate processes on one file; two store instances
/// on one path are the closest in-process stand-in (separate connection pools).
@Suite struct SharingTests {
    @Test func twoStoresOnOneFileSeeEachOthersCommits() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/store.sqlite"
            let writer = try SQLiteStore(path: path)
            let other = try SQLiteStore(path: path)

            try writer.upsert(sampleDocument())
            #expect(try other.count() == 1)
            #expect(try other.document(id: "doc-nato")?.title == "NATO plans to develop new strategy for Russia")

            try other.upsert(sampleDocument(id: "doc-2", contentHash: "sha256:2"))
            #expect(try writer.count() == 2)
            // The same document from both sides is still one document.
            #expect(try other.upsert(sampleDocument()) == .unchanged(version: 1))
        }
    }

    @Test func readOnlyStoreSeesLaterCommits() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/store.sqlite"
            let writer = try SQLiteStore(path: path)
            let reader = try SQLiteStore.openReadOnly(path: path)
            #expect(try reader.count() == 0)

            try writer.upsert(sampleDocument())
            #expect(try reader.count() == 1)
            #expect(try reader.search("founding act").map(\.id) == ["doc-nato"])
        }
    }

    @Test func readOnlyOpenWorksAfterTheWriterClosed() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/store.sqlite"
            do {
                let writer = try SQLiteStore(path: path)
                try writer.upsert(sampleDocument())
            }
            let reader = try SQLiteStore.openReadOnly(path: path)
            #expect(try reader.document(id: "doc-nato") == sampleDocument())
        }
    }

    @Test func concurrentUpsertsOfOneDocumentStoreItOnce() async throws {
        try await withTemporaryFolderAsync { folder in
            let path = folder + "/store.sqlite"
            let stores = try (0..<4).map { _ in try SQLiteStore(path: path) }
            let outcomes = try await withThrowingTaskGroup(of: UpsertOutcome.self) { group in
                for store in stores {
                    group.addTask { try store.upsert(sampleDocument()) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .inserted(version: 1) }.count == 1)
            #expect(outcomes.filter { $0 == .unchanged(version: 1) }.count == 3)
            #expect(try stores[0].count() == 1)
        }
    }
}

private func withTemporaryFolderAsync(_ body: (String) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("docstore-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try await body(folder)
}
