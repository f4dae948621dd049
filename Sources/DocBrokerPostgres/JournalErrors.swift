import DocBroker
import DocStorePostgres

/// postgres-nio's errors in words for the journal: the store's mapping (server message, SQLSTATE, never
/// the password) with the journal named instead of the document store.
enum JournalErrors {
    static func describe(_ error: any Error, location: String) -> String {
        if let error = error as? JournalError { return error.message }
        return "\(PostgresErrors.storeError(error, location: location))"
            .replacingOccurrences(of: "the document store at", with: "the journal database at")
            .replacingOccurrences(of: "document store at", with: "journal database at")
    }
}
