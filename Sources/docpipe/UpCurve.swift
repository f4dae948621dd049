import DocBroker
import Foundation
import ZeroMQ

// `docpipe up` on a network address runs its broker with CURVE, like `docpipe broker` does, and
// its own workers must pass the same door as everyone else's: they connect with a key of their
// own. So that `docpipe keygen server` followed by `docpipe up --bind tcp://0.0.0.0:5555` just
// works, `up` makes that key (DATA/keys/up-workers) on first use and authorizes it. Its roles are
// worker and operator: the same key lets `up` read the broker's status for its table.

extension Docpipe.Up {
    /// What CURVE needs on this machine: the broker's security, the workers' flags, `up`'s own client keys.
    struct LocalCurve {
        var security: BrokerSecurity
        var workerFlags: [String]
        var clientKeys: CurveClientKeys
    }

    static let workerKeyName = "up-workers"

    /// nil when the broker `up` starts runs without CURVE (loopback, or --insecure).
    func localCurve(bind: String) throws -> LocalCurve? {
        guard let secretPath = Docpipe.BrokerCommand.curveSecretPath(explicit: curveSecret, bind: bind, insecure: insecure,
                                                             data: data)
        else { return nil }
        let authorized = authorizedKeys ?? data.path("authorized_keys")
        let workerSecret = try workerKey ?? Self.ensureWorkerKey(keys: data.path("keys"), authorized: authorized)
        let server = try CurveCertificate.load(path: secretPath)
        let security = try BrokerSecurity.load(secretKeyFile: secretPath, authorizedKeysFolder: authorized)
        guard let clientKeys = try CurveClientKeys.resolve(serverKey: server.publicKey, key: workerSecret, environment: [:])
        else { throw CLIError("cannot use \(workerSecret) as the workers' CURVE key") }
        return LocalCurve(security: security, workerFlags: ["--server-key", server.publicKey, "--key", workerSecret],
                          clientKeys: clientKeys)
    }

    /// DATA/keys/up-workers.key_secret, made and authorized the first time.
    static func ensureWorkerKey(keys: String, authorized: String) throws -> String {
        let secret = URL(fileURLWithPath: keys).appendingPathComponent("\(workerKeyName).key_secret").path
        let authorizedCopy = URL(fileURLWithPath: authorized).appendingPathComponent("\(workerKeyName).key").path
        if FileManager.default.fileExists(atPath: secret) {
            if !FileManager.default.fileExists(atPath: authorizedCopy) {
                say("warning: \(workerKeyName).key is not in \(authorized); this machine's workers will be refused")
            }
            return secret
        }
        let (base, _) = try Docpipe.Keygen.writePair(name: workerKeyName, roles: "worker, operator", folder: keys)
        try FileManager.default.createDirectory(atPath: authorized, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: authorizedCopy)
        try FileManager.default.copyItem(atPath: base + ".key", toPath: authorizedCopy)
        say("made CURVE key \(workerKeyName) for this machine's workers (\(secret)) and authorized it in \(authorized)")
        return secret
    }
}
