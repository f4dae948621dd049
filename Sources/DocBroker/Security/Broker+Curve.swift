import Foundation
import Logging
import ZeroMQ

/// The CURVE server side of a running broker: the shared keyring and the ZAP handler thread.
struct CurveServer {
    let keyring: Keyring
    let handler: ZAPHandler

    /// The key set the loop checks messages against; re-read from disk at most every 250 ms.
    func currentKeys() -> AuthorizedKeySet { keyring.current(maxAgeMs: 250) }
}

extension Broker {
    /// Makes `socket` a CURVE server that admits only authorized keys, when the configuration asks for
    /// it. Must run before `bind`: the ZAP handler has to be listening before the first peer arrives,
    /// or libzmq would let that peer in unchecked. Nil when the broker runs in plaintext.
    func enableCurve(on socket: Socket, context: Context) throws -> CurveServer? {
        guard let security = configuration.security else {
            if !EndpointScope.isLoopback(configuration.endpoint) {
                logger.warning(
                    "INSECURE: plaintext on a network endpoint; anyone who can reach it can register workers and read every document",
                    metadata: ["endpoint": "\(configuration.endpoint)"])
            }
            return nil
        }
        let logger = self.logger
        let keyring = Keyring(folder: security.authorizedKeysFolder) { keys in
            logger.info(
                "authorized keys loaded",
                metadata: [
                    "folder": "\(security.authorizedKeysFolder)", "count": "\(keys.byName.count)",
                    "keys": "\(keys.byName.keys.sorted().joined(separator: ","))",
                ])
            for problem in keys.problems { logger.warning("authorized keys: \(problem)") }
        }
        _ = keyring.current()
        let handler = ZAPHandler(context: context, keyring: keyring, logger: logger)
        try handler.start()
        try socket.setCurveServer(true)
        try socket.setCurveKeys(publicKey: security.serverPublicKey, secretKey: security.serverSecretKey)
        try socket.setZapDomain(ZAP.domain)
        logger.info(
            "CURVE on: only authorized keys may connect",
            metadata: [
                "server_key": "\(security.serverPublicKey)", "authorized_keys": "\(security.authorizedKeysFolder)",
            ])
        return CurveServer(keyring: keyring, handler: handler)
    }
}

/// Whether an endpoint can be reached from other machines, for the default-deny rule.
public enum EndpointScope {
    /// True for ipc://, inproc:// and TCP on a loopback address; everything else is reachable from
    /// the network (including `*`, `0.0.0.0`, interface names and host names).
    public static func isLoopback(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") { return true }
        guard endpoint.hasPrefix("tcp://") else { return false }
        let rest = endpoint.dropFirst("tcp://".count)
        // A source address ("tcp://src;dst") does not matter here: what binds is the part after ';'.
        let address = rest.split(separator: ";").last.map(String.init) ?? String(rest)
        let host: String
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            host = String(address[address.index(after: address.startIndex)..<close])
        } else {
            host = String(address.split(separator: ":", omittingEmptySubsequences: false).first ?? "")
        }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        let isIPv4Loopback = octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
        return host == "localhost" || host == "::1" || isIPv4Loopback
    }
}
