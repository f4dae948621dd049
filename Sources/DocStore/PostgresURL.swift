public import Foundation

/// A parsed `postgres://` store URL, in libpq's spelling so a URL that works with `psql` works here.
///
/// Only the parts docpipe uses are kept. The password, when the URL has one, is never part of
/// ``redacted`` (what messages print); see ``password(environment:)`` for where else it comes from.
public struct PostgresURL: Equatable, Sendable {
    public enum SSLMode: String, Equatable, Sendable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS or no connection; the certificate is not checked.
        case require
        /// TLS, and the certificate must be signed by a trusted root (`sslrootcert`).
        case verifyCA = "verify-ca"
        /// As verify-ca, and the certificate must name the host connected to.
        case verifyFull = "verify-full"
    }

    public var user: String
    /// The password written in the URL itself, if any.
    public var urlPassword: String?
    /// The TCP host; nil when connecting through a Unix socket in ``socketFolder``.
    public var host: String?
    public var port: Int
    /// The folder holding the server's socket (`.s.PGSQL.PORT`), for socket connections.
    public var socketFolder: String?
    public var database: String
    public var sslMode: SSLMode
    /// A PEM file of trusted roots for verify-ca / verify-full; nil means the system's roots.
    public var sslRootCert: String?

    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: text) else {
            throw DocStoreError.badLocation(
                "'\(Self.redact(text))' is not a URL; write postgres://USER@HOST:5432/DATABASE")
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let known: Set<String> = ["sslmode", "sslrootcert", "host", "port", "user", "password", "dbname"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw DocStoreError.badLocation(
                "unknown parameter '\(unknown)' in the store URL; docpipe understands "
                    + known.sorted().joined(separator: ", "))
        }
        user =
            query["user"] ?? components.user.flatMap { $0.removingPercentEncoding }
            ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        urlPassword = query["password"] ?? components.password.flatMap { $0.removingPercentEncoding }
        let portText = query["port"] ?? components.port.map(String.init) ?? environment["PGPORT"] ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw DocStoreError.badLocation("the port '\(portText)' in the store URL is not a number from 1 to 65535")
        }
        self.port = port
        let pathName = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        database = query["dbname"] ?? (pathName.isEmpty ? user : pathName)
        let hostParameter = query["host"] ?? components.host.flatMap { $0.removingPercentEncoding } ?? ""
        if hostParameter.isEmpty || hostParameter.hasPrefix("/") {
            host = nil
            socketFolder = hostParameter.isEmpty ? "/var/run/postgresql" : hostParameter
        } else {
            host = hostParameter
            socketFolder = nil
        }
        let mode = query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        guard let sslMode = SSLMode(rawValue: mode) else {
            throw DocStoreError.badLocation(
                "sslmode '\(mode)' is not one of " + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.sslMode = sslMode
        sslRootCert = query["sslrootcert"] ?? environment["PGSSLROOTCERT"]
    }

    /// The path of the server's Unix socket, for socket connections.
    public var socketPath: String? {
        socketFolder.map { "\($0)/.s.PGSQL.\(port)" }
    }

    /// The URL as a person should see it: everything but the password.
    public var redacted: String {
        let hostPart = host.map { $0.contains(":") ? "[\($0)]" : $0 } ?? ""
        var text = "postgres://\(user)\(urlPassword == nil ? "" : ":***")@\(hostPart):\(port)/\(database)"
        var parameters: [String] = []
        if let socketFolder, socketFolder != "/var/run/postgresql" { parameters.append("host=\(socketFolder)") }
        if sslMode != .prefer { parameters.append("sslmode=\(sslMode.rawValue)") }
        if let sslRootCert { parameters.append("sslrootcert=\(sslRootCert)") }
        if !parameters.isEmpty { text += "?" + parameters.joined(separator: "&") }
        return text
    }

    /// The password to log in with: the URL's, else `$PGPASSWORD`, else the first matching line of
    /// `$PGPASSFILE` or `~/.pgpass` (libpq's rules: `host:port:database:user:password`, `*` matches
    /// anything, `\` escapes; the file is ignored when group or others can read it). Nil: none given,
    /// which is right for `trust` and `peer` logins.
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let urlPassword { return urlPassword }
        if let value = environment["PGPASSWORD"] { return value }
        let file =
            environment["PGPASSFILE"]
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 == 0,
            let contents = try? String(contentsOfFile: file, encoding: .utf8)
        else { return nil }
        return PassFile.lookup(
            contents, host: host ?? "localhost", port: port, database: database, user: user)
    }

    /// Hides the password of a URL that could not even be parsed.
    static func redact(_ text: String) -> String {
        text.replacingOccurrences(of: #"(://[^:/@]*):[^@/]*@"#, with: "$1:***@", options: .regularExpression)
    }
}

/// libpq's password file format, read without touching the file system (tests feed it text).
enum PassFile {
    static func lookup(_ contents: String, host: String, port: Int, database: String, user: String) -> String? {
        let wanted = [host, String(port), database, user]
        for line in contents.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(line)
            guard fields.count == 5 else { continue }
            let matches = zip(fields.prefix(4), wanted).allSatisfy { field, value in field == "*" || field == value }
            if matches { return fields[4] }
        }
        return nil
    }

    /// Splits at unescaped colons and removes the escapes.
    private static func split(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
