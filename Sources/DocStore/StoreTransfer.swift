public import Foundation

/// `docpipe export` / `docpipe import`: every stored document with all its versions, as NDJSON, so a
/// team can move its SQLite store into PostgreSQL (or back) and check that nothing was left behind.
///
/// One line per document: `{"id": "…", "versions": [StoredDocument, …]}`, versions oldest first, the
/// last one being the current document. Dates are Unix seconds (a JSON number), which both
/// backends keep exactly. The format is the same from either backend and into either.
public enum StoreTransfer {
    /// One exported line.
    public struct Record: Codable, Sendable, Equatable {
        public var id: String
        public var versions: [StoredDocument]

        public init(id: String, versions: [StoredDocument]) {
            self.id = id
            self.versions = versions
        }
    }

    /// What an import did, and whether the target now holds everything the file had.
    public struct ImportReport: Codable, Sendable, Equatable {
        /// Documents (lines) read from the file.
        public var documents: Int
        /// Versions read from the file.
        public var versions: Int
        /// Versions the target did not have before and stores now.
        public var stored: Int
        /// Versions the target already had (an import run twice stores nothing the second time).
        public var alreadyPresent: Int
        /// Documents whose current content in the target differs from the file's last version after
        /// the import: the target had a newer version of its own. Listed, never overwritten.
        public var differing: [String]

        enum CodingKeys: String, CodingKey {
            case documents, versions, stored, differing
            case alreadyPresent = "already_present"
        }
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    /// Writes every document of `store` as one line each to `write`, in id order, and returns how many
    /// documents and versions it wrote. `progress` is called after each page.
    @discardableResult
    public static func export(
        from store: some DocumentStore, pageSize: Int = 200,
        write: (Data) throws -> Void, progress: (Int) -> Void = { _ in }
    ) async throws -> (documents: Int, versions: Int) {
        let encoder = encoder()
        var after: String?
        var documents = 0
        var versions = 0
        while true {
            let ids = try await store.documentIDs(after: after, limit: pageSize)
            guard let last = ids.last else { break }
            for id in ids {
                let record = Record(id: id, versions: try await store.versions(id: id))
                var line = try encoder.encode(record)
                line.append(0x0A)
                try write(line)
                documents += 1
                versions += record.versions.count
            }
            after = last
            progress(documents)
        }
        return (documents, versions)
    }

    /// Reads NDJSON lines from `lines` and upserts every version of every document in order, so the
    /// target numbers versions as the source did. A bad line stops the import with its line number;
    /// what was imported before it stays (importing again skips it: upserts are idempotent).
    public static func importRecords(
        _ lines: some Sequence<Substring>, into store: some DocumentStore, progress: (Int) -> Void = { _ in }
    ) async throws -> ImportReport {
        let decoder = decoder()
        var report = ImportReport(documents: 0, versions: 0, stored: 0, alreadyPresent: 0, differing: [])
        for (index, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            let record: Record
            do {
                record = try decoder.decode(Record.self, from: Data(line.utf8))
            } catch {
                throw DocStoreError.invalidDocument("line \(index + 1) of the import is not an export record: \(error)")
            }
            for version in record.versions {
                guard version.id == record.id else {
                    throw DocStoreError.invalidDocument(
                        "line \(index + 1): a version of \(record.id) carries the id \(version.id)")
                }
                switch try await store.upsert(version) {
                case .inserted, .newVersion: report.stored += 1
                case .unchanged: report.alreadyPresent += 1
                }
            }
            report.documents += 1
            report.versions += record.versions.count
            if let last = record.versions.last,
                try await store.document(id: record.id)?.contentHash != last.contentHash
            {
                report.differing.append(record.id)
            }
            progress(report.documents)
        }
        return report
    }
}
