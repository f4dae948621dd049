import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `docpipe metrics --listen` against clients that misbehave: silent ones, slow ones, ones that vanish
/// before the answer. The endpoint keeps answering the scraper, and nothing kills it.
@Suite(.serialized)
struct MetricsEndpointTests {
    /// A TCP connection to 127.0.0.1:port, or a failure.
    static func connect(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, connected == 0 else { throw TestFailure("cannot connect to 127.0.0.1:\(port): errno \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func send(_ fd: Int32, _ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// GET /metrics on a fresh connection: the whole response, and how long it took.
    static func scrape(port: UInt16) throws -> (response: String, seconds: Double) {
        let started = Date()
        let fd = try connect(port: port)
        defer { close(fd) }
        send(fd, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            response += buffer[0..<count]
        }
        return (String(decoding: response, as: UTF8.self), Date().timeIntervalSince(started))
    }

    @Test(.timeLimit(.minutes(2)))
    func silentSlowAndVanishingClientsDoNotStopTheScraper() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.startBroker()
        try cluster.waitUntil("broker up", timeout: 20) { try cluster.status().workers == 0 }
        let metrics = try cluster.start(
            TestPaths.executable("docpipe"),
            [
                "metrics", "--listen", "127.0.0.1:0", "--broker", cluster.endpoint,
            ], label: "metrics")
        var port: UInt16 = 0
        try cluster.waitUntil("the endpoint is listening", timeout: 20) {
            guard let line = metrics.log.split(separator: "\n").first(where: { $0.contains("http://127.0.0.1:") }),
                let text = line.split(separator: ":").last?.split(separator: "/").first, let parsed = UInt16(text)
            else { return false }
            port = parsed
            return true
        }
        #expect(try Self.scrape(port: port).response.hasPrefix("HTTP/1.1 200 OK"))

        // 80 connections that never send a byte, and one that sends a byte every 300 ms.
        var idle: [Int32] = []
        defer { idle.forEach { close($0) } }
        for _ in 0..<80 { idle.append(try Self.connect(port: port)) }
        let slow = try Self.connect(port: port)
        defer { close(slow) }
        let dribbler = Thread {
            for byte in "GET /metrics HTTP/1.0\r\n\r\n" {
                Self.send(slow, String(byte))
                Thread.sleep(forTimeInterval: 0.3)
            }
        }
        dribbler.start()
        Thread.sleep(forTimeInterval: 0.3)
        let (response, seconds) = try Self.scrape(port: port)
        #expect(response.hasPrefix("HTTP/1.1 200 OK"))
        #expect(seconds < 1.5, "the scrape waited \(seconds) s behind silent and slow clients")

        // Clients that ask and reset the connection before the answer: writing to them must not kill the server.
        for _ in 0..<20 {
            let fd = try Self.connect(port: port)
            Self.send(fd, "GET /metrics HTTP/1.0\r\n\r\n")
            var reset = linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, socklen_t(MemoryLayout<linger>.size))
            close(fd)
        }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(metrics.process.isRunning, "the metrics endpoint died: \(metrics.log.suffix(500))")
        #expect(try Self.scrape(port: port).response.contains("docpipe_"))
    }
}
