import BrokerCore
import DocProtocol
import Foundation

/// Looks at every incoming message before the router does: is its key still authorized, may it do
/// what it asks, is it submitting too fast, has it sent garbage too often. Pure: keys, clock and
/// message come in, a verdict comes out, so the policy is tested without sockets.
struct PeerGuard {
    /// What to do with one message.
    enum Admission: Equatable {
        /// Hand it to the router.
        case pass
        /// Do not pass it on; send these frames back to the sender instead.
        case answer([Data])
        /// Ignore it.
        case drop
        /// Cut the sender's connection and make the router forget it (re-queueing what it held).
        case cut(reason: String)
    }

    struct PeerRecord {
        var keyName: String?
        var lastSeen: Int64
        var garbage: [Int64] = []
    }

    let limits: PeerLimits
    /// The services pipeline stages run on: only keys with a `call` role may call them directly.
    var stageServices: Set<String> = []
    private(set) var peers: [PeerID: PeerRecord] = [:]
    private var buckets: [String: TokenBucket] = [:]
    private var quarantinedUntil: [String: Int64] = [:]
    private(set) var counters: [String: Int] = [:]

    init(limits: PeerLimits = PeerLimits()) { self.limits = limits }

    /// The key name a peer authenticated with, for status views; nil without CURVE.
    func keyName(of peer: PeerID) -> String? { peers[peer]?.keyName }

    /// Peers seen in the last minute, by key name.
    func peersByKey(now: Int64) -> [String: Int] {
        var result: [String: Int] = [:]
        for record in peers.values where now - record.lastSeen < 60_000 {
            if let name = record.keyName { result[name, default: 0] += 1 }
        }
        return result
    }

    /// Decodes and judges (the broker decodes once itself and calls the other form).
    mutating func admit(
        from peer: PeerID, frames: [Data], userID: String?, presentedKey: String?, keys: AuthorizedKeySet?, now: Int64
    ) -> Admission {
        admit(
            from: peer, decoded: Result { () throws(ProtocolError) in try MDP.decodeAnyAtBroker(frames) },
            userID: userID, presentedKey: presentedKey, keys: keys, now: now)
    }

    /// `keys` is nil when the broker runs without CURVE; then `userID`/`presentedKey` are ignored.
    mutating func admit(
        from peer: PeerID, decoded: Result<(MDP.BrokerInbound, MDP.Version), ProtocolError>, userID: String?,
        presentedKey: String?, keys: AuthorizedKeySet?, now: Int64
    ) -> Admission {
        var roles = PeerRoles.unrestricted
        if let keys {
            // libzmq only delivers messages from connections the ZAP handler admitted, so a missing
            // or unknown name here means the key file was removed (or replaced) since then.
            guard let userID, let key = keys.byName[userID], presentedKey == nil || presentedKey == key.publicKey else {
                count("revoked_dropped")
                peers[peer] = nil
                return .cut(reason: "key '\(userID ?? "?")' is no longer authorized")
            }
            roles = key.roles
        }
        // Built lazily: most messages need no per-key limit (no submit). Submits are rate-limited per key
        // (one client, however many connections); garbage quarantines the one connection that sent it, not
        // every peer that shares its key.
        var limitKey: String { userID.map { "key:\($0)" } ?? "peer:\(peer)" }
        if !quarantinedUntil.isEmpty, let until = quarantinedUntil[peer.description] {
            if now < until {
                count("quarantine_dropped")
                return .cut(reason: "quarantined for sending garbage")
            }
            quarantinedUntil[peer.description] = nil
        }
        peers[peer, default: PeerRecord(keyName: userID, lastSeen: now)].lastSeen = now

        guard case .success(let (message, version)) = decoded else {
            return garbage(from: peer, now: now)
        }
        guard roles.permits(message, stageServices: stageServices) else {
            count("forbidden")
            return refusal(message, version: version, roles: roles, who: userID ?? "?")
        }
        if case .clientRequest(ServiceName.submit, _) = message, limits.submitsPerSecond > 0 {
            let limitKey = limitKey
            var bucket = buckets[limitKey] ?? TokenBucket(capacity: limits.submitBurst, now: now)
            let waitMs = bucket.take(rate: limits.submitsPerSecond, capacity: limits.submitBurst, now: now)
            buckets[limitKey] = bucket
            if let waitMs {
                count("submit_throttled")
                let reply = ErrorReply(
                    status: .busy, reason: "too_fast",
                    message: "this client is over \(Int(limits.submitsPerSecond)) submits/s; slow down",
                    retryAfterMs: Int(max(waitMs, 10)))
                return .answer(
                    MDP.clientReply(service: ServiceName.submit, body: [Self.encode(reply)], version: version))
            }
        }
        return .pass
    }

    /// Peers that authenticated with a key the set no longer has (its file was removed or replaced).
    func revoked(by keys: AuthorizedKeySet) -> [PeerID] {
        peers.filter { $0.value.keyName.map { keys.byName[$0] == nil } ?? false }.map(\.key)
    }

    mutating func forget(_ peer: PeerID) { peers[peer] = nil }

    /// Forgets idle peers, full buckets and served quarantines, so memory tracks live peers only.
    mutating func prune(now: Int64) {
        peers = peers.filter { now - $0.value.lastSeen < 300_000 }
        buckets = buckets.filter {
            !$0.value.isFull(rate: limits.submitsPerSecond, capacity: limits.submitBurst, now: now)
        }
        quarantinedUntil = quarantinedUntil.filter { $0.value > now }
    }

    private mutating func garbage(from peer: PeerID, now: Int64) -> Admission {
        var record = peers[peer] ?? PeerRecord(lastSeen: now)
        record.garbage = record.garbage.filter { now - $0 < limits.garbageWindowMs } + [now]
        peers[peer] = record
        guard limits.garbageLimit > 0, record.garbage.count >= limits.garbageLimit else {
            // Below the limit the router sees it, counts it under bad_frame and answers as RFC 7 says.
            return .pass
        }
        count("peers_cut_for_garbage")
        peers[peer] = nil
        quarantinedUntil[peer.description] = now + limits.quarantineMs
        return .cut(reason: "\(record.garbage.count) malformed messages in \(limits.garbageWindowMs) ms")
    }

    private func refusal(_ message: MDP.BrokerInbound, version: MDP.Version, roles: PeerRoles, who: String)
        -> Admission
    {
        switch message {
        case .clientRequest(let service, _):
            let reply = ErrorReply(
                status: StatusCode(403), reason: "forbidden",
                message: "key '\(who)' may not call '\(service)' (its roles: \(roles))")
            return .answer(MDP.clientReply(service: service, body: [Self.encode(reply)], version: version))
        case .ready:
            return .answer(MDP.disconnect(version))
        default:
            return .drop
        }
    }

    private static func encode(_ reply: ErrorReply) -> Data {
        (try? WireJSON.encode(reply)) ?? Data(#"{"status":500}"#.utf8)
    }

    private mutating func count(_ name: String) { counters[name, default: 0] += 1 }
}
