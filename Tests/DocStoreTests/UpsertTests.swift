import Foundation
import Testing

@testable import DocStore

@Suite struct UpsertTests {
    @Test func insertThenReadBackEqual() throws {
        try withTemporaryStore { (store, _) throws in
            let document = sampleDocument()
            #expect(try store.upsert(document) == .inserted(version: 1))
            #expect(try store.document(id: document.id) == document)
            #expect(try store.document(id: "doc-unknown") == nil)
            #expect(try store.count() == 1)
        }
    }

    @Test func storeAssignsTheVersion() throws {
        try withTemporaryStore { (store, _) throws in
            var document = sampleDocument()
            document.version = 42
            try store.upsert(document)
            #expect(try store.document(id: document.id)?.version == 1)
        }
    }

    @Test func sameUpsertTwiceIsUnchangedAndWritesNothing() throws {
        try withTemporaryStore { (store, _) throws in
            let document = sampleDocument()
            try store.upsert(document)
            let before = try store.rowCounts()

            var redelivered = document
            redelivered.storedAt = fixedDate.addingTimeInterval(3600)
            #expect(try store.upsert(redelivered) == .unchanged(version: 1))

            #expect(try store.count() == 1)
            #expect(try store.rowCounts() == before)
            #expect(
                before == [
                    "documents": 1, "document_versions": 1, "entities": 3, "stage_results": 2, "documents_fts": 1,
                ])
            #expect(try store.document(id: document.id)?.storedAt == fixedDate)
        }
    }

    @Test func aLateRedeliveryOfAnOlderVersionCreatesNoNewVersion() throws {
        try withTemporaryStore { (store, _) throws in
            let first = sampleDocument()
            var second = first
            second.text += " A second paragraph arrived later."
            second.contentHash = "sha256:second"
            #expect(try store.upsert(first) == .inserted(version: 1))
            #expect(try store.upsert(second) == .newVersion(version: 2))
            // Version 1 again, redelivered late: it is already stored, so nothing changes.
            #expect(try store.upsert(first) == .unchanged(version: 2))
            #expect(try store.document(id: first.id)?.contentHash == "sha256:second")
            #expect(try store.versions(id: first.id).count == 2)
        }
    }

    @Test func changedContentIsANewVersion() throws {
        try withTemporaryStore { (store, _) throws in
            let first = sampleDocument()
            try store.upsert(first)

            var second = sampleDocument(contentHash: "sha256:bbb", text: "An entirely rewritten article about trade.")
            second.entities = [StoredEntity(text: "WTO", type: "ORG")]
            second.stageResults = ["extract": "{}"]
            #expect(try store.upsert(second) == .newVersion(version: 2))

            #expect(try store.count() == 1)
            let stored = try #require(try store.document(id: first.id))
            #expect(stored.version == 2)
            #expect(stored.text == second.text)
            #expect(stored.entities == second.entities)
            #expect(stored.stageResults == ["extract": "{}"])
            #expect(
                try store.rowCounts() == [
                    "documents": 1, "document_versions": 2, "entities": 1, "stage_results": 1, "documents_fts": 1,
                ])

            let versions = try store.versions(id: first.id)
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions.first?.text == first.text)
            #expect(versions.last == stored)

            // The old text no longer matches a search; the new one does.
            #expect(try store.search("founding act").isEmpty)
            #expect(try store.search("trade").map(\.id) == [first.id])

            // The first content again is not news (a late redelivery looks exactly like this): no third version.
            #expect(try store.upsert(first) == .unchanged(version: 2))
        }
    }

    @Test func documentsWithoutIdOrHashAreRefused() throws {
        try withTemporaryStore { (store, _) throws in
            #expect(throws: DocStoreError.self) { try store.upsert(sampleDocument(id: "")) }
            #expect(throws: DocStoreError.self) { try store.upsert(sampleDocument(contentHash: "")) }
            #expect(try store.count() == 0)
        }
    }

    @Test func listIsNewestFirstAndPages() throws {
        try withTemporaryStore { (store, _) throws in
            for index in 0..<5 {
                var document = sampleDocument(id: "doc-\(index)", title: "Title \(index)")
                document.storedAt = fixedDate.addingTimeInterval(Double(index))
                try store.upsert(document)
            }
            let page = try store.list(limit: 2, offset: 1)
            #expect(page.map(\.id) == ["doc-3", "doc-2"])
            #expect(
                page.first
                    == DocumentSummary(
                        id: "doc-3", title: "Title 3", topic: "politics", language: "en",
                        storedAt: fixedDate.addingTimeInterval(3), version: 1))
            #expect(try store.list().count == 5)
            #expect(try store.list(limit: 0).isEmpty)
        }
    }

    @Test func aBatchUpsertsEachDocumentAsASingleUpsertWouldInOneTransaction() throws {
        try withTemporaryStore { (store, _) throws in
            let first = sampleDocument()
            let second = sampleDocument(contentHash: "sha256:bbb")
            let other = sampleDocument(id: "doc-other", contentHash: "sha256:o")
            let outcomes = try store.upsertAll([first, other, second, first, other])
            #expect(
                outcomes == [
                    .inserted(version: 1), .inserted(version: 1), .newVersion(version: 2),
                    .unchanged(version: 2), .unchanged(version: 1),
                ])
            #expect(try store.versions(id: first.id).map(\.contentHash) == ["sha256:aaa", "sha256:bbb"])
            // One bad document refuses the whole batch: nothing of it is stored.
            #expect(throws: DocStoreError.invalidDocument("the id is empty")) {
                try store.upsertAll([sampleDocument(id: "doc-new", contentHash: "sha256:n"), sampleDocument(id: "")])
            }
            #expect(try store.document(id: "doc-new") == nil)
        }
    }
}
