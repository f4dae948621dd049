import DocBroker
import Foundation
import ZeroMQ

// `docpipe up` on a network address runs its broker with CURVE, like `docpipe broker` does, and
// its own workers must pass the same door as everyone else's: they connect with keys of their own.
// So that `docpipe keygen server` followed by `docpipe up --bind tcp://0.0.0.0:5555` just works, `up`
// makes those keys on first use and authorizes them, each with the least it needs: one key per worker
// service (DATA/keys/up-worker-SERVICE, role `worker:SERVICE`, so a compromised plugin can serve only its
// own service and cannot submit, operate or call a stage), and one for `up` itself (DATA/keys/up-operator,
// role `operator`, to read the broker's status for its table). `--worker-key` overrides with one key for all.

extension Docpipe.Up {
    /// What CURVE needs on this machine: the broker's security, the workers' keys, `up`'s own client keys.
    struct LocalCurve {
        var security: BrokerSecurity
        var serverKey: String
        var clientKeys: CurveClientKeys
        /// `--worker-key`: one key for every worker, as the operator chose.
        var sharedWorkerKey: String?
        var keysFolder: String
        var authorizedFolder: String

        /// The CURVE flags for a worker of `service`: its own key, made and authorized on first use.
        func workerFlags(service: String) throws -> [String] {
            let safe = String(
                service.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
            let key =
                try sharedWorkerKey
                ?? Docpipe.Up.ensureKey(
                    name: "up-worker-\(safe)", roles: "worker:\(service)", keys: keysFolder,
                    authorized: authorizedFolder)
            return ["--server-key", serverKey, "--key", key]
        }
    }

    static let operatorKeyName = "up-operator"

    /// nil when the broker `up` starts runs without CURVE (loopback, or --insecure).
    func localCurve(bind: String) throws -> LocalCurve? {
        guard
            let secretPath = Docpipe.BrokerCommand.curveSecretPath(
                explicit: curveSecret, bind: bind, insecure: insecure,
                data: data)
        else { return nil }
        let authorized = authorizedKeys ?? data.path("authorized_keys")
        let operatorSecret = try Self.ensureKey(
            name: Self.operatorKeyName, roles: "operator", keys: data.path("keys"),
            authorized: authorized)
        let server = try CurveCertificate.load(path: secretPath)
        let security = try BrokerSecurity.load(secretKeyFile: secretPath, authorizedKeysFolder: authorized)
        guard
            let clientKeys = try CurveClientKeys.resolve(
                serverKey: server.publicKey, key: operatorSecret, environment: [:])
        else { throw CLIError("cannot use \(operatorSecret) as up's own CURVE key") }
        return LocalCurve(
            security: security, serverKey: server.publicKey, clientKeys: clientKeys,
            sharedWorkerKey: workerKey, keysFolder: data.path("keys"), authorizedFolder: authorized)
    }

    /// DATA/keys/NAME.key_secret with these roles, made and authorized the first time.
    static func ensureKey(name: String, roles: String, keys: String, authorized: String) throws -> String {
        let secret = URL(fileURLWithPath: keys).appendingPathComponent("\(name).key_secret").path
        let authorizedCopy = URL(fileURLWithPath: authorized).appendingPathComponent("\(name).key").path
        if FileManager.default.fileExists(atPath: secret) {
            if !FileManager.default.fileExists(atPath: authorizedCopy) {
                say("warning: \(name).key is not in \(authorized); it will be refused")
            }
            return secret
        }
        let (base, _) = try Docpipe.Keygen.writePair(name: name, roles: roles, folder: keys)
        try FileManager.default.createDirectory(atPath: authorized, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: authorizedCopy)
        try FileManager.default.copyItem(atPath: base + ".key", toPath: authorizedCopy)
        say("made CURVE key \(name) (roles: \(roles)) at \(secret) and authorized it in \(authorized)")
        return secret
    }
}
