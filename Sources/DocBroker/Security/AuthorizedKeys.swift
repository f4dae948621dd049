public import Foundation
import Synchronization
import ZeroMQ

/// One key the broker lets in: its name (the file name without `.key`), public key and roles.
public struct AuthorizedKey: Sendable, Equatable {
    public var name: String
    public var publicKey: String
    public var roles: PeerRoles
}

/// The contents of the authorized-keys folder at one moment: one `NAME.key` file per client or worker,
/// like ssh's authorized_keys but a file per key, so granting is copying a file and revoking is deleting it.
public struct AuthorizedKeySet: Sendable, Equatable {
    public var byPublicKey: [String: AuthorizedKey] = [:]
    public var byName: [String: AuthorizedKey] = [:]
    /// Files that could not be used, with why; logged when the folder changes.
    public var problems: [String] = []

    public init() {}

    /// Reads every `*.key` file in `folder`. A missing folder is an empty set: nobody gets in.
    public static func load(folder: String) -> AuthorizedKeySet {
        var set = AuthorizedKeySet()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for file in names where !file.hasPrefix(".") {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(file).path
            if file.hasSuffix(".key_secret") {
                set.problems.append("\(path): a secret key does not belong here (only public .key files); ignored")
                continue
            }
            guard file.hasSuffix(".key") else { continue }
            let name = String(file.dropLast(4))
            do {
                let certificate = try CurveCertificate.load(path: path)
                var roles = PeerRoles.clientOnly
                if let text = certificate.metadata["roles"] {
                    switch PeerRoles.parse(text) {
                    case .success(let parsed): roles = parsed
                    case .failure(let error):
                        set.problems.append("\(path): \(error); key ignored")
                        continue
                    }
                }
                if let other = set.byPublicKey[certificate.publicKey] {
                    set.problems.append("\(path): same key as \(other.name).key; ignored")
                    continue
                }
                let key = AuthorizedKey(name: name, publicKey: certificate.publicKey, roles: roles)
                set.byPublicKey[key.publicKey] = key
                set.byName[name] = key
            } catch {
                set.problems.append("\(error); key ignored")
            }
        }
        return set
    }
}

/// The authorized keys as the broker currently knows them, shared by the ZAP thread and the broker loop.
///
/// Each caller asks for `current()`; the folder is re-read only when a cheap fingerprint of it (file
/// names, sizes and modification times) has changed, so a key added or removed takes effect on the
/// next handshake or message without a restart, and an unchanged folder costs one directory listing.
public final class Keyring: Sendable {
    public let folder: String
    private struct State {
        var fingerprint: [String] = ["never read"]
        var keys = AuthorizedKeySet()
        var checkedAt: UInt64 = 0
    }
    private let state = Mutex(State())
    private let onChange: @Sendable (AuthorizedKeySet) -> Void

    /// `onChange` runs (on the caller's thread) whenever a re-read changes the set, e.g. to log it.
    public init(folder: String, onChange: @escaping @Sendable (AuthorizedKeySet) -> Void = { _ in }) {
        self.folder = folder
        self.onChange = onChange
    }

    /// The keys now; re-checks the folder when the last check is older than `maxAgeMs`.
    public func current(maxAgeMs: UInt64 = 0) -> AuthorizedKeySet {
        let now = DispatchTime.now().uptimeNanoseconds / 1_000_000
        if let fresh = state.withLock({ now - $0.checkedAt < maxAgeMs ? $0.keys : nil }) { return fresh }
        let fingerprint = Self.fingerprint(folder)
        var changed: AuthorizedKeySet?
        let keys = state.withLock { state -> AuthorizedKeySet in
            state.checkedAt = now
            guard fingerprint != state.fingerprint else { return state.keys }
            state.fingerprint = fingerprint
            state.keys = AuthorizedKeySet.load(folder: folder)
            changed = state.keys
            return state.keys
        }
        if let changed { onChange(changed) }
        return keys
    }

    private static func fingerprint(_ folder: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        return names.map { name in
            var info = stat()
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            guard stat(path, &info) == 0 else { return name }
            return "\(name):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_mode)"
        }
    }
}
