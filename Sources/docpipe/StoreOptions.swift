import ArgumentParser
import DocStore
import DocStorePostgres
import Foundation

/// `--store`: which document store a command reads or writes, the same string everywhere
/// (`StoreLocation`): `postgres://USER@HOST:5432/DATABASE`, `sqlite:PATH` or a path.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Document store: postgres://USER@HOST:5432/DB, sqlite:PATH or a path. Default: $DOCPIPE_STORE, "
                + "else \"store\" in config.json, else store.sqlite in the data folder.",
            valueName: "url"))
    var store: String?

    func location(data: DataOptions) throws -> StoreLocation {
        do {
            return try StoreLocation.resolve(flag: store, dataFolder: data.folder)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// Opens the store for reading, as `search`, `show` and the `run` report do: nothing is created.
    func openForReading(data: DataOptions) async throws -> any DocumentStore {
        try await open(data: data, readOnly: true)
    }

    func open(data: DataOptions, readOnly: Bool) async throws -> any DocumentStore {
        let location = try location(data: data)
        do {
            return try await StoreOpener.open(location, readOnly: readOnly)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// Makes a `--store` given on this command the store of the worker processes it starts (`run`, `up`):
    /// they inherit `$DOCPIPE_STORE`.
    func passToWorkers() {
        if let store { setenv("DOCPIPE_STORE", store, 1) }
    }
}
