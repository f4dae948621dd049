import Foundation
import Testing

@testable import DocStore

@Suite struct SchemaTests {
    @Test func migrationsCreateTheSchema() throws {
        try withTemporaryStore { (store, path) throws in
            #expect(FileManager.default.fileExists(atPath: path))
            for table in SQLiteStore.ownTables {
                #expect(try store.hasTable(table), "missing table \(table)")
            }
            #expect(try store.appliedMigrations() == ["v1-documents", "v1-entities", "v1-stage-results", "v1-search"])
            #expect(try store.count() == 0)
        }
    }

    @Test func reopeningKeepsDataAndRunsNoMigrationTwice() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/store.sqlite"
            do {
                let store = try SQLiteStore(path: path)
                try store.upsert(sampleDocument())
            }
            let reopened = try SQLiteStore(path: path)
            #expect(try reopened.count() == 1)
            #expect(try reopened.appliedMigrations().count == 4)
        }
    }

    @Test func readOnlyOpenOfMissingFileIsNotFound() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/nowhere/store.sqlite"
            #expect(throws: DocStoreError.notFound(path)) { try SQLiteStore.openReadOnly(path: path) }
            // It must not have created anything on the way.
            #expect(!FileManager.default.fileExists(atPath: folder + "/nowhere"))
            #expect(DocStoreError.notFound(path).description.contains("docpipe run"))
        }
    }

    @Test func readOnlyOpenOfForeignFileIsSchemaTooOld() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/empty.sqlite"
            _ = FileManager.default.createFile(atPath: path, contents: Data())
            #expect(throws: DocStoreError.schemaTooOld(path)) { try SQLiteStore.openReadOnly(path: path) }
        }
    }

    @Test func readOnlyStoreRefusesWrites() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/store.sqlite"
            _ = try SQLiteStore(path: path)
            let reader = try SQLiteStore.openReadOnly(path: path)
            #expect(reader.isReadOnly)
            #expect(throws: DocStoreError.readOnly(path)) { try reader.upsert(sampleDocument()) }
        }
    }
}
