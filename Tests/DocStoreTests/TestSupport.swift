import DocStore
import Foundation

/// A fresh folder under the system temp dir for one test, removed when the test ends, so tests
/// share no file and can run in parallel in any order.
func withTemporaryFolder(_ body: (String) throws -> Void) throws {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("docstore-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try body(folder)
}

/// A store opened on a new file (in a subfolder the store has to create itself).
func withTemporaryStore(_ body: (SQLiteStore, String) throws -> Void) throws {
    try withTemporaryFolder { folder throws in
        let path = folder + "/data/store.sqlite"
        let store = try SQLiteStore(path: path)
        try body(store, path)
    }
}

/// Whole seconds, because the store keeps `storedAt` as Unix seconds in a Double.
let fixedDate = Date(timeIntervalSince1970: 1_764_400_000)

/// From the project's first seed article (seeds/nato-russia-strategy.txt).
let natoText = """
    The North Atlantic Alliance has begun discussing a new strategy toward Russia. Despite this, \
    the Alliance continues to adhere to the founding act on mutual relations, cooperation, and \
    security with Russia, which was signed in 1997. At the same time, the NATO-Russia Council has \
    not been held since 2022. Officials spoke of the future of the NATO-Russia Founding Act, and \
    said the founding act and the NATO-Russia Council "were created for a different era".
    """

func sampleDocument(
    id: String = "doc-nato",
    contentHash: String = "sha256:aaa",
    title: String? = "NATO plans to develop new strategy for Russia",
    text: String = natoText
) -> StoredDocument {
    StoredDocument(
        id: id,
        contentHash: contentHash,
        name: "nato-russia-strategy.txt",
        contentType: "text/plain",
        title: title,
        source: "Politico",
        author: nil,
        language: "en",
        text: text,
        wordCount: 80,
        sentenceCount: 4,
        topic: "politics",
        topicConfidence: 0.87,
        summary: "NATO discusses a new strategy toward Russia.",
        keywords: ["NATO", "Russia", "strategy"],
        entities: [
            StoredEntity(text: "NATO", type: "ORG", count: 5),
            StoredEntity(text: "Russia", type: "GPE", count: 4),
            StoredEntity(text: "NATO", type: "ORG", count: 1),
        ],
        dates: ["1997", "2022"],
        metadata: ["origin": "seed", "lang-hint": "en"],
        stageResults: ["classify": #"{"topic":"politics","confidence":0.87}"#, "extract": #"{"title":"NATO"}"#],
        pipeline: "default",
        jobID: "job-1",
        storedAt: fixedDate)
}
