/// Why the document store could not do what was asked, in words an operator can act on.
public enum DocStoreError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A read-only open found no store file at the path.
    case notFound(String)
    /// The folder that should hold the store could not be created.
    case cannotCreateFolder(path: String, reason: String)
    /// A read-only open found a store that lacks migrations this version needs.
    case schemaTooOld(String)
    /// The store was written by a newer docpipe whose schema this version does not know.
    case schemaTooNew(String)
    /// A write was asked of a store opened with ``SQLiteStore/openReadOnly(path:)``.
    case readOnly(String)
    /// Another process held the store locked for longer than the busy timeout.
    case busy(String)
    /// The document cannot be stored as given.
    case invalidDocument(String)
    /// A stored row could not be turned back into a document.
    case corruptRow(id: String, reason: String)
    /// Any other database failure, with the database's own message.
    case database(path: String, message: String)
    /// A store string (`--store`, `$DOCPIPE_STORE`, `"store"`) that names no store docpipe can open.
    case badLocation(String)
    /// The database server could not be reached (down, wrong host or port, firewall, TLS refused).
    case unreachable(store: String, reason: String)
    /// The server refused the login (user, password, pg_hba.conf) or the database does not exist.
    case loginFailed(store: String, reason: String)
    /// The server stopped answering in the middle of the work (restarted, connection lost, timed
    /// out); nothing was half-written, and trying again later is the right move.
    case unavailable(store: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            "no document store at \(path): a storage writer (or `docpipe run`) creates it when it first starts"
        case .cannotCreateFolder(let path, let reason):
            "cannot create the folder for the document store at \(path): \(reason)"
        case .schemaTooOld(let path):
            "the document store at \(path) has an older schema: start a storage writer on it once to migrate it"
        case .schemaTooNew(let path):
            "the document store at \(path) was written by a newer docpipe: upgrade docpipe to read it"
        case .readOnly(let path):
            "the document store at \(path) was opened read-only and cannot be written"
        case .busy(let path):
            "the document store at \(path) stayed locked by another process; try again"
        case .invalidDocument(let reason):
            "cannot store the document: \(reason)"
        case .corruptRow(let id, let reason):
            "stored document \(id) cannot be read: \(reason)"
        case .database(let path, let message):
            "document store at \(path): \(message)"
        case .badLocation(let reason):
            "bad store: \(reason)"
        case .unreachable(let store, let reason):
            "cannot reach the document store at \(store): \(reason); check that PostgreSQL runs there "
                + "and accepts connections from this machine (listen_addresses, port, firewall)"
        case .loginFailed(let store, let reason):
            "the document store at \(store) refused the login: \(reason); check the user, the password "
                + "(URL, PGPASSWORD or ~/.pgpass), the database name and pg_hba.conf"
        case .unavailable(let store, let reason):
            "the document store at \(store) is unavailable: \(reason); try again"
        }
    }
}

extension DocStoreError {
    /// Whether the same request may well succeed later without anyone changing anything: a lock held
    /// by another writer, or a database server that is restarting or out of reach. The storage writer
    /// marks its failure retryable exactly then, so the broker's retries and backoff do the rest.
    public var isTransient: Bool {
        switch self {
        case .busy, .unreachable, .unavailable: true
        default: false
        }
    }
}
