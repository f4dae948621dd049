public import Foundation

/// What a client or worker needs to talk CURVE to a broker: the broker's public key and its own pair.
public struct CurveClientKeys: Sendable, Equatable {
    public var serverPublicKey: String
    public var publicKey: String
    public var secretKey: String

    public init(serverPublicKey: String, publicKey: String, secretKey: String) {
        self.serverPublicKey = serverPublicKey
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// The environment variables the flags fall back to.
    public static let serverKeyVariable = "DOCPIPE_SERVER_KEY"
    public static let keyVariable = "DOCPIPE_KEY"

    /// Builds the keys from `--server-key` (a public key file or the Z85 text itself) and `--key` (the
    /// caller's secret key file), each falling back to its environment variable. Nil when neither is
    /// given: plaintext, as on loopback. One without the other is an error, since it cannot work.
    public static func resolve(
        serverKey: String?, key: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CurveKeyError) -> CurveClientKeys? {
        let serverKey = nonEmpty(serverKey) ?? nonEmpty(environment[serverKeyVariable])
        let key = nonEmpty(key) ?? nonEmpty(environment[keyVariable])
        switch (serverKey, key) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw CurveKeyError(
                "a server key was given but no own key: pass --key FILE.key_secret "
                    + "(or set \(keyVariable)); make one with `docpipe keygen NAME`")
        case (nil, .some):
            throw CurveKeyError(
                "an own key was given but no server key: pass --server-key "
                    + "(the broker's server.key file or its Z85 text, or set \(serverKeyVariable))")
        case (let serverKey?, let key?):
            // A file wins: '/' and '.' are Z85 characters, so a 40-character path could pass for a key.
            let server =
                !FileManager.default.fileExists(atPath: serverKey) && Curve.isKey(serverKey)
                ? serverKey : try CurveCertificate.load(path: serverKey).publicKey
            let own = try CurveCertificate.load(path: key)
            guard let secretKey = own.secretKey else {
                throw CurveKeyError("\(key) has no secret key; pass the .key_secret file, not the public .key")
            }
            return CurveClientKeys(serverPublicKey: server, publicKey: own.publicKey, secretKey: secretKey)
        }
    }

    /// Makes `socket` a CURVE client; call before `connect`.
    public func apply(to socket: Socket) throws(ZMQError) {
        try socket.setCurveServerKey(serverPublicKey)
        try socket.setCurveKeys(publicKey: publicKey, secretKey: secretKey)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
