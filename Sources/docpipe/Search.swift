import ArgumentParser
import DocStore
import Foundation
import OperatorViews

extension Docpipe {
    /// `docpipe search`: full-text search over stored documents (SQLite FTS5 or PostgreSQL tsvector).
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search stored documents by their text, title, summary and keywords.",
            discussion: """
                Words must all match; "quoted words" match as a phrase; word* matches a prefix.

                EXAMPLES:
                  docpipe search "founding act"
                  docpipe search nato strategy --limit 5
                  docpipe search 'vaccin*' --json
                  docpipe search nato --store postgres://docpipe@db-host/docpipe
                """)

        @Argument(help: "What to look for.") var query: [String]
        @Option(name: .long, help: "At most this many results.") var limit = 20
        @Flag(name: .long, help: "Print results as JSON.") var json = false
        @OptionGroup var data: DataOptions
        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try await storeOptions.openForReading(data: data)
            defer { Task { await store.close() } }
            let hits: [SearchHit]
            do {
                hits = try await store.search(query.joined(separator: " "), limit: limit)
            } catch {
                throw CLIError("\(error)")
            }
            if json { return try printJSON(hits.map(SearchHitJSON.init)) }
            guard !hits.isEmpty else {
                print("no documents match \"\(query.joined(separator: " "))\"")
                return
            }
            var table = TextTable("ID", "TOPIC", "TITLE", "MATCH", maxWidths: [24, 14, 50, 70])
            for hit in hits { table.add(hit.id, hit.topic ?? "-", hit.title ?? "-", hit.snippet) }
            print(table.render())
        }
    }

    /// `docpipe show`: one stored document.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one stored document: metadata, topic, entities, summary.",
            discussion: """
                EXAMPLES:
                  docpipe show doc-1a2b3c4d5e6f7a8b
                  docpipe show doc-1a2b3c4d5e6f7a8b --json
                """)

        @Argument(help: "Document id (see `docpipe search` or `docpipe run`).") var id: String
        @Flag(name: .long, help: "Print the stored document as JSON.") var json = false
        @Flag(name: .long, help: "Also print the full text.") var text = false
        @OptionGroup var data: DataOptions
        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try await storeOptions.openForReading(data: data)
            defer { Task { await store.close() } }
            let found: StoredDocument?
            do {
                found = try await store.document(id: id)
            } catch {
                throw CLIError("\(error)")
            }
            guard let document = found else {
                throw CLIError("no document '\(id)' in \(store.location); `docpipe search` lists what is there")
            }
            if json { return try printJSON(DocumentJSON(document)) }
            print(DocumentReport.render(document, fullText: text))
        }
    }
}
