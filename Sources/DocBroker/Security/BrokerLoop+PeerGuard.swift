import BrokerCore
import DocProtocol
import Foundation
import ZeroMQ

/// Where the broker loop meets the `PeerGuard`: each received message is judged before the router
/// sees it, and the verdict is carried out here (answer, drop, or cut the connection).
extension BrokerLoop {
    /// Judges one received message and acts on the verdict. `keys` is nil when CURVE is off.
    /// The most frames a message may have: the routing id, MDP's envelope (at most 6 frames, a worker's
    /// REPLY) and a body of up to 9 frames (docpipe's own bodies are one frame).
    static let maxFrames = 16

    mutating func admit(_ message: ReceivedMessage, keys: AuthorizedKeySet?) {
        guard let identity = message.frames.first, !identity.isEmpty else { return }
        let peer = PeerID(identity)
        if message.truncated {
            // More frames or bytes than any MDP message docpipe accepts: its tail was dropped unread, and the
            // sender is cut off before anything is decoded.
            counters["oversized_messages", default: 0] += 1
            logger.warning(
                "disconnecting peer that sent an oversized message",
                metadata: [
                    "peer": "\(peer)", "key": "\(message.userID ?? "-")",
                    "limit": "\(Self.maxFrames) frames, \(configuration.maxMessageBytes * 2 + (1 << 20)) bytes",
                ])
            message.connection?.cut()
            received([identity] + MDP.disconnect)
            return
        }
        let frames = Array(message.frames.dropFirst())
        // The one MDP decode of this message: the guard and the router both use its result.
        let decoded = Result { () throws(ProtocolError) in try MDP.decodeAnyAtBroker(frames) }
        let verdict = peerGuard.admit(
            from: peer, decoded: decoded, userID: message.userID,
            presentedKey: message.properties[ZAP.keyProperty], keys: keys, now: now())
        // Known connections of authenticated peers, so a revoked key's can be cut without waiting for it.
        if keys != nil, let connection = message.connection, peerGuard.peers[peer] != nil {
            peerConnections[peer] = connection
        }
        switch verdict {
        case .pass:
            switch decoded {
            case .success(let (inbound, version)):
                perform(router.received(from: peer, message: inbound, version: version, now: now()))
            case .failure(let error):
                perform(router.malformed(from: peer, frames: frames, error: error, now: now()))
            }
        case .answer(let reply):
            send(reply, to: peer)
        case .drop:
            break
        case .cut(let reason):
            logger.warning(
                "disconnecting peer",
                metadata: [
                    "peer": "\(peer)", "key": "\(message.userID ?? "-")", "reason": "\(reason)",
                ])
            message.connection?.cut()
            // As if the peer had said DISCONNECT: a worker is forgotten and its document re-queued at once,
            // rather than after the heartbeat expiry.
            received([identity] + MDP.disconnect)
        }
    }

    /// The services any pipeline runs a stage on (only `call` roles may call them directly).
    static func stageServices(of pipelines: [String: PipelineDefinition]) -> Set<String> {
        Set(pipelines.values.flatMap { $0.stages.map(\.service) })
    }

    /// Housekeeping once a second: cut the connections of keys whose file was removed (at once, not at
    /// their next message), forget idle peers and publish the guard's counters (this run's totals, so they
    /// add up with the saved ones like every other counter).
    mutating func tickPeers(_ curve: CurveServer?) {
        let now = now()
        guard now >= peerGuardTickAt else { return }
        peerGuardTickAt = now + 1000
        if let keys = curve?.currentKeys() {
            authorizedKeyCount = keys.byName.count
            for peer in peerGuard.revoked(by: keys) {
                counters["revoked_cut", default: 0] += 1
                logger.warning(
                    "disconnecting peer: its key is no longer authorized",
                    metadata: [
                        "peer": "\(peer)", "key": "\(peerGuard.keyName(of: peer) ?? "-")",
                    ])
                peerGuard.forget(peer)
                peerConnections.removeValue(forKey: peer)?.cut()
                received([peer.bytes] + MDP.disconnect)
            }
        }
        peerConnections = peerConnections.filter { peerGuard.peers[$0.key] != nil }
        peerGuard.prune(now: now)
        for (name, count) in peerGuard.counters { counters[name] = count }
        if let totals = curve?.handler.totals {
            counters["auth_admitted"] = totals.allowed
            counters["auth_refused"] = totals.denied
        }
    }

    /// Who can reach the broker and with what rights, for `docpipe status`.
    var accessSummary: String {
        if let security = configuration.security {
            return
                "CURVE: only the \(authorizedKeyCount) keys in \(security.authorizedKeysFolder) get in, each with its roles "
                + "(a key file without roles may only submit and ask about jobs)"
        }
        if EndpointScope.isLoopback(endpoint) {
            return
                "plaintext on \(endpoint): any local user who can reach it may submit, operate and serve as a worker; "
                + "bind a network address with keys to tell peers apart"
        }
        return "plaintext on \(endpoint) (--insecure): anyone who can reach this address may submit, operate and serve "
            + "as a worker"
    }
}
