import Foundation
import ZeroMQ

/// The ZeroMQ Authentication Protocol (ZAP, RFC 27) as data: requests libzmq sends for every new
/// connection, and the replies that admit or refuse it. Pure, so the decisions are testable without sockets.
enum ZAP {
    /// Where libzmq looks for the handler, in the same context as the authenticating socket.
    static let endpoint = "inproc://zeromq.zap.01"
    /// The ZAP domain the broker's socket announces; requests from any other domain are refused.
    static let domain = "docpipe"
    /// Connection metadata carrying the admitted public key, so later messages can be re-checked
    /// against the key set (a key file replaced under the same name is a different key).
    static let keyProperty = "X-Docpipe-Key"

    struct Request: Equatable {
        var requestID: Data
        var domain: String
        var address: String
        var mechanism: String
        var credentials: [Data]
    }

    enum Decision: Equatable {
        case allow(key: AuthorizedKey)
        case deny(status: String, reason: String)
    }

    /// Frames: version "1.0", request id, domain, address, identity, mechanism, credentials…
    static func parse(_ frames: [Data]) -> Request? {
        guard frames.count >= 6, frames[0] == Data("1.0".utf8) else { return nil }
        return Request(
            requestID: frames[1], domain: String(decoding: frames[2], as: UTF8.self),
            address: String(decoding: frames[3], as: UTF8.self), mechanism: String(decoding: frames[5], as: UTF8.self),
            credentials: Array(frames.dropFirst(6)))
    }

    /// Admits a CURVE client whose long-term public key is in `keys`; refuses everything else.
    static func decide(_ request: Request, keys: AuthorizedKeySet) -> Decision {
        guard request.domain == domain else {
            return .deny(status: "400", reason: "unknown ZAP domain '\(request.domain)'")
        }
        guard request.mechanism == "CURVE" else {
            // NULL and PLAIN never reach a CURVE server socket; refuse them anyway, in case one ever does.
            return .deny(status: "400", reason: "mechanism \(request.mechanism) is not accepted")
        }
        guard request.credentials.count == 1, request.credentials[0].count == 32,
            let publicKey = Curve.z85Encode(request.credentials[0])
        else {
            return .deny(status: "400", reason: "malformed CURVE credentials")
        }
        guard let key = keys.byPublicKey[publicKey] else {
            return .deny(status: "400", reason: "key \(publicKey) is not authorized")
        }
        return .allow(key: key)
    }

    /// Frames: version, request id, status code, status text, user id, metadata.
    static func reply(to requestID: Data, _ decision: Decision) -> [Data] {
        switch decision {
        case .allow(let key):
            return [
                Data("1.0".utf8), requestID, Data("200".utf8), Data("OK".utf8), Data(key.name.utf8),
                metadata([keyProperty: key.publicKey]),
            ]
        case .deny(let status, let reason):
            return [Data("1.0".utf8), requestID, Data(status.utf8), Data(reason.utf8), Data(), Data()]
        }
    }

    /// A malformed request still needs an answer: the REP socket expects one, and libzmq refuses the peer.
    static func internalErrorReply(to frames: [Data]) -> [Data] {
        [
            Data("1.0".utf8), frames.count > 1 ? frames[1] : Data(), Data("500".utf8),
            Data("malformed ZAP request".utf8),
            Data(), Data(),
        ]
    }

    /// ZMTP property encoding: name length (1 byte), name, value length (4 bytes, network order), value.
    static func metadata(_ properties: [String: String]) -> Data {
        var data = Data()
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            let nameBytes = Array(name.utf8.prefix(255))
            let valueBytes = Array(value.utf8)
            data.append(UInt8(nameBytes.count))
            data.append(contentsOf: nameBytes)
            withUnsafeBytes(of: UInt32(valueBytes.count).bigEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: valueBytes)
        }
        return data
    }
}
