import ArgumentParser
import DocStore
import Foundation
import OperatorViews

extension Docpipe {
    /// `docpipe export`: every stored document with all its versions, as NDJSON.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every stored document, with all its versions, as NDJSON (one document a line).",
            discussion: """
                Works from either store; `docpipe import` reads the file into either. Documents come in \
                id order; the last version on each line is the current one. Prints a count at the end \
                (on stderr, so stdout stays pure NDJSON).

                EXAMPLES:
                  docpipe export --output store.ndjson
                  docpipe export --store sqlite:old/store.sqlite | gzip > store.ndjson.gz
                  docpipe export --store postgres://docpipe@db-host/docpipe --output backup.ndjson --json
                """)

        @Option(name: .shortAndLong, help: "Write here instead of stdout.") var output: String?
        @Flag(name: .long, help: "Print the final counts as JSON (on stderr when the NDJSON goes to stdout).")
        var json = false
        @OptionGroup var data: DataOptions
        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try await storeOptions.openForReading(data: data)
            defer { Task { await store.close() } }
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else {
                    throw CLIError("cannot create \(output)")
                }
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                handle = FileHandle.standardOutput
            }
            let before: StoreStats
            do { before = try await store.stats() } catch { throw CLIError("\(error)") }
            var progress = ProgressBar(total: before.documents, label: "exporting")
            let counts: (documents: Int, versions: Int)
            do {
                counts = try await StoreTransfer.export(
                    from: store, write: { try handle.write(contentsOf: $0) }, progress: { progress.update($0) })
            } catch {
                throw CLIError("export from \(store.location) failed: \(error)")
            }
            try handle.synchronize()
            let summary = Summary(
                documents: counts.documents, versions: counts.versions, store: store.location,
                searchTruncated: before.searchTruncated)
            let target = output == nil ? FileHandle.standardError : FileHandle.standardOutput
            if json {
                target.write(try CLIJSON.encode(summary, pretty: false) + Data("\n".utf8))
            } else {
                let line =
                    "exported \(counts.documents) documents (\(counts.versions) versions) from \(store.location)\n"
                target.write(Data(line.utf8))
            }
        }

        struct Summary: Encodable {
            var documents: Int
            var versions: Int
            var store: String
            /// Documents the store's search index covers only in part (PostgreSQL's 1 MB tsvector cap).
            var searchTruncated: Int

            enum CodingKeys: String, CodingKey {
                case documents, versions, store
                case searchTruncated = "search_truncated"
            }
        }
    }

    /// `docpipe import`: read an export into a store, version by version, and check the count.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read an NDJSON export into a store, then check that it holds every document.",
            discussion: """
                Each version is upserted in order, so version numbers carry over and importing the same \
                file twice stores nothing new. At the end the target must hold every document of the file \
                with the file's current content; otherwise the command lists the differences and exits 1.

                EXAMPLES:
                  docpipe export --store sqlite:docpipe-data/store.sqlite --output store.ndjson
                  docpipe import store.ndjson --store postgres://docpipe@db-host/docpipe
                  docpipe export | docpipe import - --store postgres://docpipe@db-host/docpipe --json
                """)

        @Argument(help: "The export file; - reads stdin.") var file: String
        @Flag(name: .long, help: "Print the result as JSON.") var json = false
        @OptionGroup var data: DataOptions
        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let input: FileHandle
            if file == "-" {
                input = FileHandle.standardInput
            } else {
                guard let handle = FileHandle(forReadingAtPath: file) else {
                    throw CLIError("cannot read \(file): no such file, or no permission")
                }
                input = handle
            }
            let store = try await storeOptions.open(data: data, readOnly: false)
            defer { Task { await store.close() } }
            var progress = ProgressBar(total: 0, label: "importing")
            let report: StoreTransfer.ImportReport
            do {
                report = try await StoreTransfer.importRecords(
                    LineReader(input), into: store, progress: { progress.update($0) })
            } catch {
                throw CLIError("import into \(store.location) stopped: \(error)")
            }
            let holds = try await store.stats()
            if json {
                print(
                    String(
                        decoding: try CLIJSON.encode(Result(report: report, storeHolds: holds), pretty: false),
                        as: UTF8.self))
            } else {
                print(
                    "imported \(report.documents) documents (\(report.versions) versions) into \(store.location): "
                        + "\(report.stored) stored, \(report.alreadyPresent) already there; "
                        + "the store now holds \(holds.documents) documents")
                for id in report.differing {
                    print("✗ \(id): the store keeps a newer content than the file's current version")
                }
            }
            if !report.differing.isEmpty { throw ExitCode(1) }
        }

        struct Result: Encodable {
            var report: StoreTransfer.ImportReport
            var storeHolds: StoreStats
            enum CodingKeys: String, CodingKey {
                case report
                case storeHolds = "store_holds"
            }
        }
    }
}

/// The lines of a file read a megabyte at a time, so an import of any size runs in bounded memory.
struct LineReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer = Data()
    private var finished = false

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() -> Substring? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                return Substring(String(decoding: line, as: UTF8.self))
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return Substring(String(decoding: buffer, as: UTF8.self))
            }
            let chunk = (try? handle.read(upToCount: 1 << 20)) ?? nil
            if let chunk, !chunk.isEmpty { buffer.append(chunk) } else { finished = true }
        }
    }
}
