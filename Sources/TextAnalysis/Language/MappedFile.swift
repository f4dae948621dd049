import Foundation

#if canImport(Glibc)
    import Glibc
#endif

// The n-gram table is tens of megabytes; reading it into arrays would cost every worker start-up
// seconds and its own copy of the memory. Mapped read-only, it costs nothing at start and the page
// cache shares one copy between all the workers on a machine.

/// A whole file mapped read-only into memory for the life of the value.
///
/// `@unchecked Sendable`: the mapping is read-only and never changes after `init`, and it is unmapped
/// only in `deinit`, when no one can read it any more.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(path: String) throws(Failure) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(path): \(Self.lastError)") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure(description: "cannot stat \(path)") }
        let size = Int(status.st_size)
        guard size > 0 else { throw Failure(description: "\(path) is empty") }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw Failure(description: "cannot map \(path): \(Self.lastError)")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }

    private static var lastError: String { String(cString: strerror(errno)) }
}
