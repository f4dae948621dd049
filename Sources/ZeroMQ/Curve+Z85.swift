internal import CZeroMQ
public import Foundation

/// Z85 text (ZeroMQ RFC 32) and the CURVE key conversions built on it.
extension Curve {
    /// True for text that is a CURVE key in Z85: exactly 40 characters of the Z85 alphabet.
    public static func isKey(_ text: String) -> Bool {
        text.utf8.count == 40 && z85Decode(text) != nil
    }

    /// The public key that belongs to a Z85 secret key, so a secret key file alone is a whole identity.
    public static func publicKey(fromSecret secretKey: String) throws(ZMQError) -> String {
        guard isKey(secretKey) else {
            throw ZMQError(code: EINVAL, message: "not a CURVE secret key: expected 40 characters of Z85")
        }
        var publicKey = [CChar](repeating: 0, count: 41)
        try zmqCheck("derive CURVE public key") { zmq_curve_public(&publicKey, secretKey) }
        return string(fromCBuffer: publicKey)
    }

    /// Encodes bytes as Z85; nil unless the length is a multiple of 4 (RFC 32 pads nothing).
    public static func z85Encode(_ bytes: Data) -> String? {
        guard bytes.count % 4 == 0 else { return nil }
        var text = [CChar](repeating: 0, count: bytes.count * 5 / 4 + 1)
        let encoded = Array(bytes).withUnsafeBufferPointer { source in
            zmq_z85_encode(&text, source.baseAddress, source.count) != nil
        }
        return encoded ? string(fromCBuffer: text) : nil
    }

    /// Decodes Z85 text; nil unless the length is a multiple of 5 and every character is in the alphabet.
    public static func z85Decode(_ text: String) -> Data? {
        let characters = Array(text.utf8)
        guard characters.count % 5 == 0, !characters.isEmpty else { return nil }
        // zmq_z85_decode reads a NUL-terminated string and checks the alphabet itself.
        var bytes = [UInt8](repeating: 0, count: characters.count * 4 / 5)
        let decoded = text.withCString { zmq_z85_decode(&bytes, $0) != nil }
        return decoded ? Data(bytes) : nil
    }
}
