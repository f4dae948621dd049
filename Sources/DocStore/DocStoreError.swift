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
    /// A write was asked of a store opened with ``DocumentStore/openReadOnly(path:)``.
    case readOnly(String)
    /// Another process held the store locked for longer than the busy timeout.
    case busy(String)
    /// The document cannot be stored as given.
    case invalidDocument(String)
    /// A stored row could not be turned back into a document.
    case corruptRow(id: String, reason: String)
    /// Any other SQLite failure, with SQLite's own message.
    case database(path: String, message: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            "no document store at \(path): run `docpipe run` first, it creates the store"
        case .cannotCreateFolder(let path, let reason):
            "cannot create the folder for the document store at \(path): \(reason)"
        case .schemaTooOld(let path):
            "the document store at \(path) has an older schema: open it once with `docpipe run` to migrate it"
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
        }
    }
}
