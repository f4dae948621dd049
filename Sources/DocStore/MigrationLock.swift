import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A cross-process exclusive lock (flock on a small file next to the database), held while a schema
/// migration runs. The lock is released when the descriptor closes, even if the process dies.
enum MigrationLock {
    static func holding<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return try body() } // cannot lock (read-only folder?): migrate unguarded
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { return try body() }
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }
}
