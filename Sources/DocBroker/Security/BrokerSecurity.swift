public import Foundation
import ZeroMQ

/// The broker's CURVE identity and who may connect: its server key pair and the authorized-keys folder.
///
/// With this set the broker's socket is a CURVE server, every connection is checked by the ZAP
/// handler against the folder, and every message against the folder as it is now (so deleting a
/// key file cuts its peers off). Without it the broker speaks plaintext, which is only safe on loopback.
public struct BrokerSecurity: Sendable, Equatable {
    public var serverPublicKey: String
    public var serverSecretKey: String
    public var authorizedKeysFolder: String

    public init(serverPublicKey: String, serverSecretKey: String, authorizedKeysFolder: String) {
        self.serverPublicKey = serverPublicKey
        self.serverSecretKey = serverSecretKey
        self.authorizedKeysFolder = authorizedKeysFolder
    }

    /// Reads the server's secret key file (`server.key_secret`, made by `docpipe keygen server`).
    public static func load(secretKeyFile: String, authorizedKeysFolder: String) throws -> BrokerSecurity {
        guard Curve.isAvailable else {
            throw BrokerError(message: "this libzmq was built without CURVE (libsodium); cannot run securely")
        }
        let certificate = try CurveCertificate.load(path: secretKeyFile)
        guard let secretKey = certificate.secretKey else {
            throw BrokerError(message: "\(secretKeyFile) has no secret key; pass the .key_secret file")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: authorizedKeysFolder, isDirectory: &isFolder), isFolder.boolValue
        else {
            throw BrokerError(
                message: "authorized-keys folder \(authorizedKeysFolder) does not exist; create it "
                    + "and copy each client's and worker's NAME.key into it")
        }
        return BrokerSecurity(
            serverPublicKey: certificate.publicKey, serverSecretKey: secretKey,
            authorizedKeysFolder: authorizedKeysFolder)
    }
}
