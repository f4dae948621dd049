import DocStore
import NIOCore
import PostgresNIO

/// Turns postgres-nio's errors into ``DocStoreError``s an operator can act on.
///
/// postgres-nio keeps server details out of its errors' descriptions on purpose (they may quote
/// data); the server's own message and SQLSTATE are read from `serverInfo` here, and nothing
/// printed ever holds the password, which only the URL and the login carry.
package enum PostgresErrors {
    package static func storeError(_ error: any Error, location: String) -> any Error {
        switch error {
        case let error as DocStoreError:
            return error
        case let error as PostgresTransactionError:
            let inner = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
            return inner.map { storeError($0, location: location) }
                ?? DocStoreError.unavailable(store: location, reason: "the transaction failed")
        case let error as Deadline.Exceeded:
            return DocStoreError.unavailable(store: location, reason: error.description)
        case let error as PSQLError:
            return psqlError(error, location: location)
        case is PostgresDecodingError:
            return DocStoreError.database(path: location, message: "a stored value has an unexpected type: \(error)")
        case is CancellationError:
            return error
        default:
            // The pool's own errors (its circuit breaker after repeated failed connects, a lease
            // cancelled) and NIO's socket errors: all mean "the server is not there right now".
            return DocStoreError.unavailable(store: location, reason: "\(error)")
        }
    }

    private static func psqlError(_ error: PSQLError, location: String) -> DocStoreError {
        if let info = error.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = info[.message] ?? "server error"
            switch state {
            case "28P01", "28000", "3D000",
                "42501" where message.contains("CONNECT"):
                // Bad password, no pg_hba.conf entry, no such database, no CONNECT privilege.
                return .loginFailed(store: location, reason: message)
            case _ where state.hasPrefix("08") || state.hasPrefix("57") || state.hasPrefix("53"):
                // Connection exceptions, the server shutting down or starting up, out of resources.
                return .unavailable(store: location, reason: "\(message) (SQLSTATE \(state))")
            case "40001", "40P01", "55P03":
                // Serialization failure, deadlock, lock not available: another writer got there first.
                return .busy(location)
            default:
                return .database(path: location, message: "\(message) (SQLSTATE \(state))")
            }
        }
        switch error.code {
        case .connectionError:
            let reason = error.underlying.map { "\($0)" } ?? "the connection failed"
            return .unreachable(store: location, reason: reason)
        case .sslUnsupported:
            return .unreachable(store: location, reason: "the server does not accept TLS (sslmode asks for it)")
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            let detail = error.underlying.map { "\($0)" } ?? "no detail"
            return .unreachable(store: location, reason: "the TLS handshake failed: \(detail)")
        case .authMechanismRequiresPassword:
            return .loginFailed(store: location, reason: "the server wants a password and none was given")
        case .unsupportedAuthMechanism, .saslError:
            return .loginFailed(store: location, reason: "authentication failed (\(error.code))")
        default:
            let reason = error.underlying.map { "\(error.code): \($0)" } ?? "\(error.code)"
            return .unavailable(store: location, reason: reason)
        }
    }
}
