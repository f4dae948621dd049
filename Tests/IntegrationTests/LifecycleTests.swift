import Foundation
import Testing

/// `docpipe run` and `docpipe up` are service groups (the broker's service beside a session or a
/// supervisor): Ctrl-C or SIGTERM stops the workers, then the broker; a broker that cannot start ends the
/// command with its reason, leaving nothing behind.
@Suite(.serialized)
struct LifecycleTests {
    static let docpipe = TestPaths.executable("docpipe")

    @Test(.timeLimit(.minutes(2)))
    func runStopsItsWorkersAndBrokerOnCtrlC() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        // A pipeline whose only stage nobody serves: the job waits, so `run` is mid-work when Ctrl-C comes.
        try cluster.writeBrokerConfig(#"{"pipelines": {"stuck": {"stages": ["nobody-serves-this"]}}}"#)
        let input = cluster.folder.appendingPathComponent("note.txt")
        try "A short note that will wait for a stage nobody serves.".write(to: input, atomically: true, encoding: .utf8)
        let run = try cluster.start(
            Self.docpipe,
            [
                "run", input.path, "--pipeline", "stuck", "--data", cluster.dataFolder, "--timeout", "100", "--quiet",
            ], label: "run")
        var workers: [Int32] = []
        defer { for pid in workers where kill(pid, 0) == 0 { kill(pid, SIGKILL) } }
        try cluster.waitUntil("run's four workers started", timeout: 30) {
            workers = Self.children(of: run.process.processIdentifier)
            return workers.count == 4
        }
        // Let the document reach the broker: the journal shows it once the submit was answered.
        Thread.sleep(forTimeInterval: 1)

        run.signal(SIGINT)
        #expect(run.waitForExit(timeout: 20), "run did not stop on SIGINT\n\(run.log)")
        guard !run.process.isRunning else { return }
        #expect(run.process.terminationStatus == 130, "\(run.log)")
        #expect(run.log.contains("interrupted; stopping workers"), "\(run.log)")
        for pid in workers {
            let gone = Date().addingTimeInterval(5)
            while kill(pid, 0) == 0, Date() < gone { Thread.sleep(forTimeInterval: 0.05) }
            #expect(kill(pid, 0) != 0, "worker pid \(pid) was left running")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func upWhoseBrokerCannotBindSaysWhyAndStartsNoWorker() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        // Someone else holds the TCP port (an ipc:// path would simply be taken over by the second bind).
        let holder = try PortHolder()
        defer { holder.close() }
        let up = try cluster.start(
            Self.docpipe,
            [
                "up", "--bind", "tcp://127.0.0.1:\(holder.port)", "--data", cluster.dataFolder, "--only", "extractor",
                "--status-every", "0",
            ], label: "up")
        #expect(up.waitForExit(timeout: 30), "up did not give up\n\(up.log)")
        guard !up.process.isRunning else { return }
        #expect(up.process.terminationStatus != 0, "\(up.log)")
        #expect(up.log.contains("cannot bind") && up.log.contains("Is another broker running?"), "\(up.log)")
        #expect(!up.log.contains(" started (pid "), "a worker was started for a broker that never ran\n\(up.log)")
    }

    /// The pids whose parent is `pid`, read from /proc.
    static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { candidate in
            guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            // Fields after the command name: state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid
        }
    }
}

/// A listening TCP socket on a free loopback port, so a broker's bind to that port fails.
final class PortHolder {
    private let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 1) == 0
                    && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw TestFailure("cannot hold a loopback port: errno \(errno)") }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
