import DocProtocol
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The systemd units in contrib/systemd pass `systemd-analyze verify`, and the broker speaks systemd's
/// readiness protocol: READY=1 once it serves, STOPPING=1 when SIGTERM makes it drain.
@Suite(.serialized)
struct SystemdTests {
    @Test(.timeLimit(.minutes(1)))
    func theShippedUnitFilesPassSystemdAnalyzeVerify() throws {
        let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        let tool = try #require(
            analyze, "systemd-analyze is not installed (Debian's systemd package); cannot check the units")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The units name /usr/local/bin; point them at the executables this test built. The worker template is
        // checked as an instance, as systemd would start it.
        let source = TestPaths.repoRoot.appendingPathComponent("contrib/systemd")
        let units = [
            "docpipe-broker.service": "docpipe-broker.service",
            "docpipe-gateway.service": "docpipe-gateway.service",
            "docpipe-worker@.service": "docpipe-worker@extractor.service",
        ]
        var paths: [String] = []
        for (name, target) in units.sorted(by: { $0.key < $1.key }) {
            let text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/", with: TestPaths.binDir.path + "/")
            let path = folder.appendingPathComponent(target).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let result = try runCommand(URL(fileURLWithPath: tool), ["verify"] + paths, timeout: 30)
        #expect(result.status == 0, "systemd-analyze verify: \(result.output) \(result.errors)")
        let broker = try String(contentsOf: source.appendingPathComponent("docpipe-broker.service"), encoding: .utf8)
        #expect(broker.contains("Type=notify"))
    }

    /// A Unix datagram socket in a temp folder, as systemd listens on `$NOTIFY_SOCKET`.
    final class NotifySocket {
        let path: String
        let fd: Int32

        init(folder: URL) throws {
            path = folder.appendingPathComponent("notify.sock").path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard bound == 0 else { throw TestFailure("bind \(path): \(errno)") }
            var timeout = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// Datagrams received until one contains `line` or `seconds` pass; everything received.
        func wait(for line: String, seconds: Double) -> [String] {
            var received: [String] = []
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline {
                let count = recv(fd, &buffer, buffer.count, 0)
                guard count > 0 else { continue }
                let message = String(decoding: buffer[0..<count], as: UTF8.self)
                received.append(message)
                if message.split(separator: "\n").contains(Substring(line)) { break }
            }
            return received
        }

        deinit { close(fd) }
    }

    @Test(.timeLimit(.minutes(1)))
    func theBrokerSaysReadyWhenItServesAndStoppingWhenItDrains() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let notify = try NotifySocket(folder: cluster.folder)
        let broker = try cluster.startBroker(environment: ["NOTIFY_SOCKET": notify.path])
        let ready = notify.wait(for: "READY=1", seconds: 20)
        #expect(ready.last?.contains("READY=1") == true, "\(ready)\n\(cluster.logs())")
        #expect(ready.last?.contains("STATUS=active") == true, "\(ready)")
        // Ready means ready: the broker answers at once.
        #expect(try cluster.client(timeoutMs: 2000).status().isActive)
        broker.signal(SIGTERM)
        let stopping = notify.wait(for: "STOPPING=1", seconds: 20)
        #expect(stopping.last?.contains("STOPPING=1") == true, "\(stopping)")
        #expect(broker.waitForExit(timeout: 20))
    }
}
