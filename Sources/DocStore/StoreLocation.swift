public import Foundation

/// Which store to open, from one string that means the same everywhere (`--store`, `$DOCPIPE_STORE`,
/// `"store"` in config.json):
/// - `postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…]` (or `postgresql://`):
///   a PostgreSQL server shared by every storage writer. `?host=/run/postgresql` connects through a
///   Unix socket in that folder, as libpq does; an empty host means `/var/run/postgresql`.
/// - `sqlite:PATH`, or a plain path: an embedded SQLite file.
public enum StoreLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// Parses a store string.
    ///
    /// - Throws: ``DocStoreError/badLocation(_:)`` naming what is wrong and what a right one looks like.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw DocStoreError.badLocation("the store is empty; " + Self.forms) }
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            self = .postgres(try PostgresURL(parsing: trimmed))
        } else if trimmed.hasPrefix("sqlite:") {
            var path = String(trimmed.dropFirst("sqlite:".count))
            // `sqlite:///abs/path` is a common way to write a file URL; accept it as the path it names.
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw DocStoreError.badLocation("sqlite: needs a file path; " + Self.forms) }
            self = .sqlite(path: path)
        } else if let scheme = trimmed.range(of: "://").map({ trimmed[..<$0.lowerBound] }) {
            throw DocStoreError.badLocation("unknown store scheme '\(scheme)://'; " + Self.forms)
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    /// The store the settings name: `flag`, else `$DOCPIPE_STORE`, else `"store"` in the data folder's
    /// config.json, else `store.sqlite` in the data folder.
    public static func resolve(
        flag: String?, dataFolder: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> StoreLocation {
        if let flag { return try StoreLocation(parsing: flag) }
        if let value = environment["DOCPIPE_STORE"], !value.isEmpty { return try StoreLocation(parsing: value) }
        let folder = URL(fileURLWithPath: NSString(string: dataFolder).expandingTildeInPath)
        if let configured = try configuredStore(in: folder.appendingPathComponent("config.json").path) {
            return try StoreLocation(parsing: configured)
        }
        return .sqlite(path: folder.appendingPathComponent("store.sqlite").path)
    }

    /// The `"store"` string of a config.json, nil when there is no file or no such key.
    private static func configuredStore(in path: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DocStoreError.badLocation("\(path) is not a JSON object; fix it or pass --store")
        }
        guard let value = object["store"] else { return nil }
        guard let text = value as? String else {
            throw DocStoreError.badLocation("\"store\" in \(path) must be a string such as \"postgres://…\"")
        }
        return text
    }

    /// The location with any password replaced by `***`: safe for logs, errors and `--json` output.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.redacted
        }
    }

    static let forms = "use postgres://USER@HOST:5432/DATABASE, sqlite:PATH or a file path"
}
