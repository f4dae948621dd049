public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL server of its own for one test or benchmark: a new cluster (`initdb`) in a temp
/// folder, started with `pg_ctl` on a free loopback port and a Unix socket in that folder, stopped
/// by the pid in its `postmaster.pid`, and removed with its folder.
///
/// PostgreSQL refuses to run as root, so under root (CI) the folder is handed to the `postgres`
/// user that Debian's package creates (or `nobody`) and the server programs run as that user.
/// Nothing is ever skipped: when the programs are missing or the server will not start, ``start``
/// throws an error that says why and what to install.
public final class ThrowawayPostgres: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The folder holding the cluster (`data/`), its socket and its log.
    public let folder: String
    public let port: Int
    /// The address the server listens on (127.0.0.1 unless a namespace address was given).
    public let listenAddress: String
    /// The superuser the cluster was made with (trust login).
    public let user = "docpipe"
    /// The superuser's password, when the cluster was made to require one.
    public let password: String?

    /// The user the server programs run as: nil when this process is not root (they run as us).
    public static var serverUser: String? {
        guard getuid() == 0 else { return nil }
        return ["postgres", "nobody"].first { getpwnam($0) != nil }
    }
    private let binaries: String
    private let runAs: String?
    private let prefix: [String]

    /// Makes and starts a cluster.
    ///
    /// - Parameters:
    ///   - listenAddress: where TCP clients connect; `*` listens on every address (a network-namespace
    ///     test running the server inside a namespace with several links).
    ///   - commandPrefix: run the server under this (e.g. `ip netns exec NAME`).
    ///   - durable: false turns off fsync (tests); benchmarks keep it on to measure a real server.
    ///   - password: when set, the superuser needs it (scram-sha-256) instead of trust logins.
    ///   - settings: extra server settings (`-c NAME=VALUE`), e.g. ssl=on and its files.
    public init(
        listenAddress: String = "127.0.0.1", commandPrefix: [String] = [], durable: Bool = false,
        password: String? = nil, settings: [String: String] = [:]
    ) throws {
        self.password = password
        binaries = try Self.findBinaries()
        self.listenAddress = listenAddress
        prefix = commandPrefix
        port = try Self.freePort()
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent(
                "docpipe-pg-\(UUID().uuidString.prefix(8))"
            ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        runAs = Self.serverUser
        if let runAs { try Self.run(["chown", runAs, folder]) }
        var options = [
            "-p \(port)", "-k \(folder)", "-c listen_addresses='\(listenAddress)'",
            "-c max_connections=200", "-c shared_buffers=64MB",
        ]
        if !durable { options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"] }
        options += settings.sorted(by: { $0.key < $1.key }).map { "-c \($0.key)=\($0.value)" }
        self.options = options.joined(separator: " ")
        do {
            var initdb = [
                "\(binaries)/initdb", "-D", dataFolder, "-U", user, "-E", "UTF8", "--locale=C.UTF-8",
                "--no-sync",
            ]
            if let password {
                let file = folder + "/pwfile"
                try password.write(toFile: file, atomically: true, encoding: .utf8)
                if let runAs { try Self.run(["chown", runAs, file]) }
                initdb += ["-A", "scram-sha-256", "--pwfile=\(file)"]
            } else {
                initdb += ["-A", "trust"]
            }
            try server(initdb)
            if listenAddress != "127.0.0.1" {
                // Clients on other (namespace) hosts: initdb only lets loopback in.
                let method = password == nil ? "trust" : "scram-sha-256"
                let hba = try FileHandle(forWritingTo: URL(fileURLWithPath: dataFolder + "/pg_hba.conf"))
                try hba.seekToEnd()
                try hba.write(contentsOf: Data("host all all 0.0.0.0/0 \(method)\n".utf8))
                try hba.close()
            }
            try start()
        } catch {
            stop()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    private let options: String

    public var dataFolder: String { folder + "/data" }

    /// A store URL for `database` over TCP (sslmode=disable: the throwaway server has no certificate).
    public func url(database: String = "postgres", host: String? = nil) -> String {
        let login = password.map { "\(user):\($0)" } ?? user
        return "postgres://\(login)@\(host ?? clientHost):\(port)/\(database)?sslmode=disable"
    }

    /// Where a client on the server's own network reaches it: loopback when it listens everywhere.
    private var clientHost: String { listenAddress == "*" ? "127.0.0.1" : listenAddress }

    /// The same database through the Unix socket in ``folder``.
    public func socketURL(database: String = "postgres") -> String {
        "postgres://\(user)@/\(database)?host=\(folder)"
    }

    /// Starts the server (again) and waits until it accepts connections.
    public func start() throws {
        try server([
            "\(binaries)/pg_ctl", "-D", dataFolder, "-l", folder + "/server.log", "-o", options,
            "-w", "-t", "60", "start",
        ])
    }

    /// The postmaster's pid, from the first line of `postmaster.pid`; nil when it is not running.
    public var pid: pid_t? {
        guard let text = try? String(contentsOfFile: dataFolder + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first, let pid = pid_t(first), kill(pid, 0) == 0
        else { return nil }
        return pid
    }

    /// Stops the server by its pid (SIGINT: PostgreSQL's fast shutdown) and waits up to 30 s for it
    /// to go; SIGKILL after that.
    public func stop() {
        guard let pid else { return }
        kill(pid, SIGINT)
        let deadline = Date().addingTimeInterval(30)
        while kill(pid, 0) == 0 && Date() < deadline { usleep(50_000) }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        while kill(pid, 0) == 0 && Date() < deadline.addingTimeInterval(5) { usleep(50_000) }
    }

    /// Runs SQL through `psql` as the superuser (CREATE DATABASE, checks).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let secret = password.map { ["PGPASSWORD=\($0)"] } ?? []
        return try Self.run(
            secret + prefix + [
                "\(binaries)/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", clientHost, "-p", "\(port)", "-U", user, "-d", database, "-c", sql,
            ])
    }

    /// Stops the server and removes its folder.
    public func destroy() {
        stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    deinit { destroy() }

    /// The server's log, for a failing test's message.
    public var log: String {
        (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
    }

    private func server(_ command: [String]) throws {
        let asUser = runAs.map { ["setpriv", "--reuid=\($0)", "--regid=\($0)", "--init-groups", "--"] } ?? []
        do {
            try Self.run(prefix + asUser + command)
        } catch {
            throw Failure(description: "\(error)\n--- server log ---\n\(log.suffix(2000))")
        }
    }

    // MARK: - Finding and running the programs

    /// A loopback port nothing listens on, for tests that need a server to be absent.
    public static func freePortForTests() throws -> Int { try freePort() }

    /// Runs a helper program (openssl, chown) the way the server programs are run; its output.
    @discardableResult
    public static func runForTests(_ command: [String]) throws -> String { try run(command) }

    static func findBinaries() throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let newest = versions.compactMap { Int($0) }.sorted().last
        if let newest, FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(newest)/bin/pg_ctl") {
            return "/usr/lib/postgresql/\(newest)/bin"
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(folder)/pg_ctl")
            && FileManager.default.isExecutableFile(atPath: "\(folder)/initdb")
        {
            return String(folder)
        }
        throw Failure(
            description: """
                the PostgreSQL server programs (initdb, pg_ctl) are not installed: \
                apt-get install -y postgresql (the tests start their own throwaway server)
                """)
    }

    /// A TCP port nothing listens on now: bind port 0, read what the kernel chose, close.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "could not find a free port: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a command to its end and returns its output.
    ///
    /// Spawned with `posix_spawn` and reaped with `waitpid` rather than through Foundation's `Process`:
    /// `pg_ctl start` leaves a server behind that inherits whatever the spawner shares with its child,
    /// and `Process` (which watches a descriptor the child inherits) would wait for that server to end
    /// too. Output goes to a file for the same reason.
    @discardableResult
    static func run(_ command: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("docpipe-pg-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = ["env"] + command
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "env", &actions, nil, &argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "cannot start `\(command.joined(separator: " "))`: error \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let how = exited ? "exit status \(code)" : "signal \(status & 0x7f)"
            throw Failure(description: "`\(command.joined(separator: " "))` failed (\(how)): \(text)")
        }
        return text
    }
}
