import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately tiny HTTP/1.0 server for `docpipe metrics --listen`: GET (or HEAD) /metrics answers the
/// Prometheus text, anything else 404. One thread; requests are read from many connections at once.
final class MetricsHTTPServer {
    private let fd: Int32
    let boundAddress: String

    /// "host:port" → (host, port); nil when malformed.
    static func parse(_ address: String) -> (host: String, port: UInt16)? {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...])
        else { return nil }
        let host = String(address[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    init(address: String) throws {
        guard let (host, port) = Self.parse(address) else { throw CLIError("bad --listen address '\(address)'") }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw CLIError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else {
            close(fd)
            throw CLIError("--listen wants an IPv4 address, not '\(host)'")
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw CLIError("cannot listen on \(address): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        boundAddress = "\(host):\(UInt16(bigEndian: actual.sin_port))"
    }

    deinit { close(fd) }

    /// A connection whose request is still arriving.
    private struct Pending {
        var fd: Int32
        var request: [UInt8] = []
        var deadline: Date
    }

    /// Connections read at once, at most; past it the oldest is dropped for the newest.
    static let maxPending = 64
    /// How long a client has to send its whole request, and to take the whole response.
    static let clientSeconds = 2.0

    /// Answers requests until SIGINT/SIGTERM; `body` runs once per GET /metrics (on this thread).
    ///
    /// Requests are read from many connections at once with `poll`, each with a deadline for the whole
    /// request, so a client that connects and says nothing, or sends a byte a second, delays nobody else and
    /// is dropped after `clientSeconds`. Responses go out with MSG_NOSIGNAL and a send timeout: a client that
    /// vanished or stopped reading costs at most that, never a SIGPIPE.
    func serve(_ body: () -> String) throws {
        let stop = StopRequest()
        var pending: [Pending] = []
        while !stop.requested {
            var pollers = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
                + pending.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            guard poll(&pollers, nfds_t(pollers.count), 200) >= 0 else { continue }
            let now = Date()
            var kept: [Pending] = []
            for (index, var connection) in pending.enumerated() {
                let events = pollers[index + 1].revents
                if events != 0 {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    let count = recv(connection.fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                    if count > 0 { connection.request += buffer[0..<count] }
                    if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) {
                        close(connection.fd)  // gone before finishing its request
                        continue
                    }
                }
                if connection.request.containsHeaderEnd || connection.request.count >= 16_384 {
                    respond(connection.fd, to: connection.request, body)
                    close(connection.fd)
                } else if now >= connection.deadline {
                    close(connection.fd)  // too slow: dropped
                } else {
                    kept.append(connection)
                }
            }
            pending = kept
            if pollers[0].revents & Int16(POLLIN) != 0 {
                let client = accept(fd, nil, nil)
                if client >= 0 {
                    if pending.count >= Self.maxPending { close(pending.removeFirst().fd) }
                    pending.append(Pending(fd: client, deadline: now.addingTimeInterval(Self.clientSeconds)))
                }
            }
        }
        for connection in pending { close(connection.fd) }
    }

    private func respond(_ client: Int32, to request: [UInt8], _ body: () -> String) {
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        let response: String
        if line.count >= 2, line[0] == "GET" || line[0] == "HEAD",
           line[1] == "/metrics" || line[1].hasPrefix("/metrics?") {
            let text = body()
            response = "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                + "Content-Length: \(text.utf8.count)\r\nConnection: close\r\n\r\n" + (line[0] == "GET" ? text : "")
        } else {
            let text = "docpipe serves GET /metrics only\n"
            response = "HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: \(text.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + text
        }
        var timeout = timeval(tv_sec: Int(Self.clientSeconds), tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(response.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            offset += written
        }
    }
}

private extension [UInt8] {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for index in 0...(count - 4) where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13
            && self[index + 3] == 10 { return true }
        return false
    }
}
