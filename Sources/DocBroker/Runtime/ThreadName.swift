#if canImport(Glibc)
    import Glibc
#endif

/// Names the calling thread for the operating system (`top -H`, `ps -L`, /proc/<pid>/task/<tid>/comm), so
/// an operator — and `make bench`, which reports the broker's CPU per thread — can tell the broker's threads
/// apart. Foundation's `Thread.name` does not reach the kernel on Linux: without this the loop and journal
/// threads showed as "oot.default-qos", the name of the dispatch thread that started them.
///
/// Written to /proc/thread-self/comm, the kernel's own file for it: `pthread_setname_np` is not visible to
/// Swift through Glibc, and `prctl` is variadic, which Swift cannot call. Best effort: a name that cannot be
/// set changes nothing else.
enum ThreadName {
    /// At most 15 bytes are kept by the kernel; longer names are cut there.
    static func setCurrent(_ name: String) {
        #if canImport(Glibc)
            let file = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            guard file >= 0 else { return }
            defer { close(file) }
            let bytes = Array(name.utf8.prefix(15))
            _ = bytes.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
        #endif
    }
}
