public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// systemd's readiness protocol (`Type=notify`), spoken directly: one datagram of `KEY=VALUE` lines to the
/// Unix socket named by `$NOTIFY_SOCKET` (a path, or `@name` for an abstract socket). No libsystemd needed,
/// and without the variable (not under systemd) every call does nothing.
///
/// The broker says READY=1 once it is bound and serving in either role (a standby is ready too: it answers
/// peers and takes over by itself), STATUS= with its role as that changes, and STOPPING=1 when it drains.
public enum SystemdNotify {
    /// Sends `state` (e.g. "READY=1\nSTATUS=active"); true when a datagram went out.
    @discardableResult
    public static func send(_ state: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Bool
    {
        guard let target = environment["NOTIFY_SOCKET"], !target.isEmpty,
            target.hasPrefix("/") || target.hasPrefix("@")
        else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(target.utf8)
        // An abstract socket's name starts with a NUL byte where the `@` stands.
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let payload = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(fd, payload, payload.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
        return sent == payload.count
    }
}
