public import Foundation

/// A CURVE key pair (or just its public half) as a file, in the ZPL layout that czmq's `zcert` and
/// pyzmq's `zmq.auth.create_certificates` write, so keys move freely between docpipe and other stacks.
///
/// `NAME.key` holds the public key and is safe to copy anywhere; `NAME.key_secret` adds the secret
/// key and is created readable by its owner only. `metadata` carries free-form `key = "value"` pairs
/// (docpipe uses `name` and `roles`).
public struct CurveCertificate: Sendable, Equatable {
    public var publicKey: String
    public var secretKey: String?
    public var metadata: [String: String]

    public init(publicKey: String, secretKey: String? = nil, metadata: [String: String] = [:]) {
        self.publicKey = publicKey
        self.secretKey = secretKey
        self.metadata = metadata
    }

    /// A fresh random key pair.
    public static func generate(metadata: [String: String] = [:]) throws(ZMQError) -> CurveCertificate {
        let pair = try Curve.keyPair()
        return CurveCertificate(publicKey: pair.publicKey, secretKey: pair.secretKey, metadata: metadata)
    }

    /// Reads `text`: ZPL `public-key = "…"` / `secret-key = "…"` lines, or a bare 40-character Z85 line
    /// (a key pasted by hand). Lines starting with `#` are comments. A secret key alone is enough: the
    /// public key is derived from it.
    public static func parse(_ text: String, source: String = "key") throws(CurveKeyError) -> CurveCertificate {
        var publicKey: String?
        var secretKey: String?
        var metadata: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            // A bare key first: Z85 has '#' and '=' in its alphabet, so it could pass for a comment.
            if publicKey == nil, Curve.isKey(line) {
                publicKey = line
                continue
            }
            if line.isEmpty || line.hasPrefix("#") || line == "metadata" || line == "curve" { continue }
            if let (name, value) = Self.assignment(line) {
                switch name {
                case "public-key": publicKey = value
                case "secret-key": secretKey = value
                default: metadata[name] = value
                }
            } else {
                throw CurveKeyError("\(source): unreadable line '\(line.prefix(60))'")
            }
        }
        if let secretKey {
            guard Curve.isKey(secretKey) else {
                throw CurveKeyError("\(source): secret-key is not 40 characters of Z85")
            }
            let derived: String
            do { derived = try Curve.publicKey(fromSecret: secretKey) } catch {
                throw CurveKeyError("\(source): \(error)")
            }
            if let publicKey, publicKey != derived {
                throw CurveKeyError("\(source): public-key does not belong to secret-key")
            }
            publicKey = derived
        }
        guard let publicKey else { throw CurveKeyError("\(source): no CURVE key in it") }
        guard Curve.isKey(publicKey) else { throw CurveKeyError("\(source): public-key is not 40 characters of Z85") }
        return CurveCertificate(publicKey: publicKey, secretKey: secretKey, metadata: metadata)
    }

    /// Loads a key file. A secret key file must not be readable by group or others (as ssh insists),
    /// because anyone who can read it can act as its owner.
    public static func load(path: String) throws(CurveKeyError) -> CurveCertificate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CurveKeyError("cannot read key file \(path)")
        }
        let certificate = try parse(String(decoding: data, as: UTF8.self), source: path)
        if certificate.secretKey != nil,
            let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
            mode & 0o077 != 0
        {
            throw CurveKeyError("\(path) holds a secret key but others can read it; run: chmod 600 \(path)")
        }
        return certificate
    }

    /// The file text; with `includingSecret` false only the public half (the `.key` file).
    public func text(includingSecret: Bool, comment: String) -> String {
        var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map { "#   \($0)" }
        lines.append("metadata")
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { lines.append("    \(name) = \"\(value)\"") }
        lines.append("curve")
        lines.append("    public-key = \"\(publicKey)\"")
        if includingSecret, let secretKey { lines.append("    secret-key = \"\(secretKey)\"") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `text` to a new file with `mode`, refusing to replace an existing one. The mode is given
    /// to open(2) itself, so a secret is never on disk with wider permissions, not even for a moment.
    public static func writeNewFile(_ text: String, to path: String, mode: mode_t) throws(CurveKeyError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else {
            let reason =
                errno == EEXIST ? "it already exists (remove it first to replace it)" : String(cString: strerror(errno))
            throw CurveKeyError("cannot create \(path): \(reason)")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw CurveKeyError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// `name = "value"` (ZPL); nil for any other line.
    private static func assignment(_ line: String) -> (String, String)? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let name = line[..<equals].trimmingCharacters(in: .whitespaces)
        var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast())
        }
        guard !name.isEmpty, !name.contains(" ") else { return nil }
        return (name, value)
    }
}

/// A key file or key text that cannot be used, with the reason in words an operator can act on.
public struct CurveKeyError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
