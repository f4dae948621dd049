import DocClient
import DocProtocol
import Foundation
import Testing
import ZeroMQ

/// Keys made with the real `docpipe keygen`, in a cluster's folder: `keys/` holds every pair,
/// `authorized/` is the broker's authorized-keys folder.
struct TestKeys {
    let folder: URL
    var authorized: URL { folder.appendingPathComponent("authorized") }
    var keys: URL { folder.appendingPathComponent("keys") }

    init(in cluster: TestCluster) throws {
        folder = cluster.folder
        try FileManager.default.createDirectory(at: authorized, withIntermediateDirectories: true)
        try make("server")
    }

    /// A key pair; `roles: nil` writes no roles line (a client only).
    func make(_ name: String, roles: String? = "client, operator, worker") throws {
        let result = try runCommand(
            TestPaths.executable("docpipe"),
            ["keygen", name, "--out", keys.path] + (roles.map { ["--roles", $0] } ?? []),
            timeout: 30)
        guard result.status == 0 else { throw TestFailure("keygen \(name) failed: \(result.errors)") }
    }

    func secret(_ name: String) -> String { keys.appendingPathComponent("\(name).key_secret").path }
    func publicFile(_ name: String) -> String { keys.appendingPathComponent("\(name).key").path }
    func authorizedFile(_ name: String) -> String { authorized.appendingPathComponent("\(name).key").path }

    /// Lets `name` in (copies its public key file into the authorized folder).
    func authorize(_ name: String) throws {
        try? FileManager.default.removeItem(atPath: authorizedFile(name))
        try FileManager.default.copyItem(atPath: publicFile(name), toPath: authorizedFile(name))
    }

    func revoke(_ name: String) throws { try FileManager.default.removeItem(atPath: authorizedFile(name)) }

    /// Broker flags for CURVE with these keys.
    var brokerFlags: [String] { ["--curve-secret", secret("server"), "--authorized-keys", authorized.path] }

    /// Worker (or CLI) flags to connect as `name`.
    func clientFlags(_ name: String) -> [String] { ["--server-key", publicFile("server"), "--key", secret(name)] }

    func clientKeys(_ name: String) throws -> CurveClientKeys {
        try #require(try CurveClientKeys.resolve(serverKey: publicFile("server"), key: secret(name), environment: [:]))
    }
}

extension TestCluster {
    func client(as keys: CurveClientKeys?, timeoutMs: Int = 3000) throws -> DocpipeClient {
        try DocpipeClient(broker: endpoint, timeoutMs: timeoutMs, curve: keys)
    }

    func workers(of service: String, status: BrokerStatus) -> Int {
        status.services.first { $0.name == service }?.workers ?? 0
    }
}
