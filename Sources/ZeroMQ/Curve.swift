internal import CZeroMQ

/// CURVE security (ZMTP CurveZMQ): key generation and whether this libzmq was built with it.
///
/// Keys are Z85 text, 40 characters for 32 bytes, the form `Socket.setCurveKeys` expects.
public enum Curve {
    /// True when libzmq was built with CURVE support (libsodium or tweetnacl).
    public static var isAvailable: Bool { zmq_has("curve") != 0 }

    /// A fresh random key pair, in Z85.
    public static func keyPair() throws(ZMQError) -> (publicKey: String, secretKey: String) {
        // 40 characters of Z85 plus the terminating NUL libzmq writes.
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        try zmqCheck("generate CURVE key pair") { zmq_curve_keypair(&publicKey, &secretKey) }
        return (string(fromCBuffer: publicKey), string(fromCBuffer: secretKey))
    }
}
