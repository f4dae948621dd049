import BrokerCore
import DocProtocol
import Foundation
import Testing
import ZeroMQ

@testable import DocBroker

/// The broker's security decisions without sockets: ZAP verdicts, roles, per-peer limits.
@Suite struct SecurityPolicyTests {
    static func keySet(_ entries: [(String, String, PeerRoles)]) -> AuthorizedKeySet {
        var set = AuthorizedKeySet()
        for (name, key, roles) in entries {
            let authorized = AuthorizedKey(name: name, publicKey: key, roles: roles)
            set.byName[name] = authorized
            set.byPublicKey[key] = authorized
        }
        return set
    }

    static func zapRequest(key: Data, domain: String = ZAP.domain, mechanism: String = "CURVE") -> [Data] {
        [Data("1.0".utf8), Data("7".utf8), Data(domain.utf8), Data("10.0.0.9".utf8), Data(), Data(mechanism.utf8), key]
    }

    @Test
    func zapAdmitsOnlyAuthorizedKeysInOurDomain() throws {
        try #require(Curve.isAvailable, "libzmq was built without CURVE (libsodium): these tests cannot run")
        let known = try Curve.keyPair().publicKey
        let keys = Self.keySet([("alice", known, .unrestricted)])
        let knownBytes = try #require(Curve.z85Decode(known))
        let request = try #require(ZAP.parse(Self.zapRequest(key: knownBytes)))
        guard case .allow(let key) = ZAP.decide(request, keys: keys) else {
            Issue.record("known key refused")
            return
        }
        #expect(key.name == "alice")
        let reply = ZAP.reply(to: request.requestID, .allow(key: key))
        #expect(reply[2] == Data("200".utf8))
        #expect(reply[4] == Data("alice".utf8))

        let stranger = try #require(Curve.z85Decode(try Curve.keyPair().publicKey))
        let refused = ZAP.decide(try #require(ZAP.parse(Self.zapRequest(key: stranger))), keys: keys)
        guard case .deny(let status, _) = refused else {
            Issue.record("unknown key admitted")
            return
        }
        #expect(status == "400")
        let otherDomain = try #require(ZAP.parse(Self.zapRequest(key: knownBytes, domain: "other")))
        #expect(ZAP.decide(otherDomain, keys: keys) != .allow(key: key))
        let plain = try #require(ZAP.parse(Self.zapRequest(key: knownBytes, mechanism: "PLAIN")))
        #expect(ZAP.decide(plain, keys: keys) != .allow(key: key))
        #expect(ZAP.parse([Data("2.0".utf8)]) == nil)
        #expect(ZAP.internalErrorReply(to: [Data("x".utf8), Data("9".utf8)])[2] == Data("500".utf8))
    }

    @Test func rolesLimitWhatAKeyMaySend() throws {
        let client = try PeerRoles.parse("client").get()
        #expect(client.permits(.clientRequest(service: ServiceName.submit, body: [])))
        #expect(client.permits(.clientRequest(service: ServiceName.job, body: [])))
        #expect(!client.permits(.clientRequest(service: ServiceName.status, body: [])))
        #expect(!client.permits(.ready(service: "extractor")))
        let extractor = try PeerRoles.parse("worker:extractor").get()
        #expect(extractor.permits(.ready(service: "extractor")))
        #expect(!extractor.permits(.ready(service: "summarizer")))
        #expect(extractor.permits(.heartbeat))
        #expect(!extractor.permits(.clientRequest(service: ServiceName.submit, body: [])))
        let anyWorker = try PeerRoles.parse("worker:x, worker").get()
        #expect(anyWorker.permits(.ready(service: "summarizer")))
        let operatorRole = try PeerRoles.parse("operator").get()
        #expect(operatorRole.permits(.clientRequest(service: ServiceName.status, body: [])))
        #expect(!operatorRole.permits(.clientRequest(service: ServiceName.submit, body: [])))
        #expect(throws: RolesError.self) { try PeerRoles.parse("client, admin").get() }
    }

    @Test func aFastClientGetsBusyWithARetryHint() throws {
        var guardian = PeerGuard(limits: PeerLimits(submitsPerSecond: 10, submitBurst: 3))
        let peer = PeerID(Data([1, 2, 3]))
        let submit = MDP.clientRequest(service: ServiceName.submit, body: [Data("{}".utf8)])
        var verdicts: [PeerGuard.Admission] = []
        for _ in 0..<5 {
            verdicts.append(
                guardian.admit(from: peer, frames: submit, userID: nil, presentedKey: nil, keys: nil, now: 1000))
        }
        #expect(verdicts.prefix(3).allSatisfy { $0 == .pass })
        guard case .answer(let frames) = verdicts[3] else {
            Issue.record("4th submit not refused")
            return
        }
        let reply = try DocpipeReply.decode(frames)
        #expect(reply.status == .busy)
        #expect(reply.reason == "too_fast")
        #expect((reply.retryAfterMs ?? 0) >= 10)
        // Tokens come back with time; other services are never throttled.
        #expect(
            guardian.admit(from: peer, frames: submit, userID: nil, presentedKey: nil, keys: nil, now: 1200) == .pass)
        let status = MDP.clientRequest(service: ServiceName.status, body: [])
        #expect(
            guardian.admit(from: peer, frames: status, userID: nil, presentedKey: nil, keys: nil, now: 1200) == .pass)
        #expect(guardian.counters["submit_throttled"] == 2)
    }

    @Test func aPeerSendingGarbageRepeatedlyIsCutAndQuarantined() {
        var guardian = PeerGuard(limits: PeerLimits(garbageLimit: 5, garbageWindowMs: 10_000, quarantineMs: 30_000))
        let peer = PeerID(Data([9]))
        let garbage = [Data([0xde, 0xad])]
        var verdicts: [PeerGuard.Admission] = []
        for tick in 0..<5 {
            verdicts.append(
                guardian.admit(
                    from: peer, frames: garbage, userID: nil, presentedKey: nil, keys: nil,
                    now: Int64(tick)))
        }
        #expect(verdicts.prefix(4).allSatisfy { $0 == .pass }, "below the limit the router answers as usual")
        #expect(verdicts[4] == .cut(reason: "5 malformed messages in 10000 ms"))
        let heartbeat = MDP.heartbeat
        guard
            case .cut = guardian.admit(
                from: peer, frames: heartbeat, userID: nil, presentedKey: nil, keys: nil, now: 100)
        else {
            Issue.record("quarantined peer was let through")
            return
        }
        #expect(
            guardian.admit(from: peer, frames: heartbeat, userID: nil, presentedKey: nil, keys: nil, now: 40_000)
                == .pass)
        // Sparse garbage never adds up to a disconnect.
        var sparse = PeerGuard(limits: PeerLimits(garbageLimit: 5, garbageWindowMs: 1000))
        for tick in 0..<20 {
            #expect(
                sparse.admit(
                    from: peer, frames: garbage, userID: nil, presentedKey: nil, keys: nil,
                    now: Int64(tick) * 500) == .pass)
        }
    }

    @Test func aRevokedOrReplacedKeyIsCutAndRolesAreEnforced() throws {
        let keys = Self.keySet([("feeder", "K1", try PeerRoles.parse("client").get())])
        var guardian = PeerGuard()
        let peer = PeerID(Data([7]))
        let submit = MDP.clientRequest(service: ServiceName.submit, body: [Data("{}".utf8)])
        #expect(
            guardian.admit(from: peer, frames: submit, userID: "feeder", presentedKey: "K1", keys: keys, now: 0)
                == .pass)
        #expect(guardian.keyName(of: peer) == "feeder")
        guard
            case .answer(let refusal) = guardian.admit(
                from: peer, frames: MDP.clientRequest(service: ServiceName.status, body: []),
                userID: "feeder", presentedKey: "K1", keys: keys, now: 1)
        else {
            Issue.record("operator service allowed to a client key")
            return
        }
        #expect(try DocpipeReply.decode(refusal).status == StatusCode(403))
        #expect(
            guardian.admit(
                from: peer, frames: MDP.ready(service: "extractor"), userID: "feeder", presentedKey: "K1",
                keys: keys, now: 2) == .answer(MDP.disconnect))
        // Same name, different key: the file was replaced, the old connection must go.
        guard
            case .cut = guardian.admit(
                from: peer, frames: submit, userID: "feeder", presentedKey: "K2", keys: keys, now: 3)
        else {
            Issue.record("replaced key still accepted")
            return
        }
        guard
            case .cut = guardian.admit(
                from: peer, frames: submit, userID: "feeder", presentedKey: "K1",
                keys: AuthorizedKeySet(), now: 4)
        else {
            Issue.record("revoked key still accepted")
            return
        }
        #expect(guardian.counters["revoked_dropped"] == 2)
    }

    @Test func pipelineStageServicesNeedACallRole() throws {
        let keys = Self.keySet([
            ("feeder", "K1", .clientOnly),
            ("repair", "K2", try PeerRoles.parse("client, call:storage-writer").get()),
        ])
        var guardian = PeerGuard()
        guardian.stageServices = ["extractor", "storage-writer"]
        let forged = MDP.clientRequest(service: "storage-writer", body: [Data("{}".utf8)])
        guard
            case .answer(let refusal) = guardian.admit(
                from: PeerID(Data([1])), frames: forged, userID: "feeder",
                presentedKey: "K1", keys: keys, now: 0)
        else {
            Issue.record("a client key called the storage writer directly")
            return
        }
        #expect(try DocpipeReply.decode(refusal).status == StatusCode(403))
        #expect(
            guardian.admit(
                from: PeerID(Data([2])), frames: forged, userID: "repair", presentedKey: "K2", keys: keys,
                now: 0) == .pass)
        guard
            case .answer = guardian.admit(
                from: PeerID(Data([2])), frames: MDP.clientRequest(service: "extractor", body: []),
                userID: "repair", presentedKey: "K2", keys: keys, now: 0)
        else {
            Issue.record("call:storage-writer allowed another stage")
            return
        }
        // A worker service that is no pipeline stage stays open to clients (docpipe call).
        #expect(
            guardian.admit(
                from: PeerID(Data([1])), frames: MDP.clientRequest(service: "echo", body: []),
                userID: "feeder", presentedKey: "K1", keys: keys, now: 0) == .pass)
        #expect(try PeerRoles.parse("call, worker:x").get().description == "worker:x,call")
    }

    @Test func garbageQuarantinesTheConnectionThatSentItNotItsKey() {
        let keys = Self.keySet([("shared", "K", .unrestricted)])
        var guardian = PeerGuard(limits: PeerLimits(garbageLimit: 3, garbageWindowMs: 10_000, quarantineMs: 30_000))
        let noisy = PeerID(Data([1]))
        let quiet = PeerID(Data([2]))
        for tick in 0..<3 {
            _ = guardian.admit(
                from: noisy, frames: [Data([0xde])], userID: "shared", presentedKey: "K", keys: keys,
                now: Int64(tick))
        }
        guard
            case .cut = guardian.admit(
                from: noisy, frames: MDP.heartbeat, userID: "shared", presentedKey: "K",
                keys: keys, now: 10)
        else {
            Issue.record("the noisy connection was not quarantined")
            return
        }
        #expect(
            guardian.admit(
                from: quiet, frames: MDP.heartbeat, userID: "shared", presentedKey: "K", keys: keys,
                now: 10) == .pass, "another connection of the same key goes on")
    }

    @Test func peersOfARemovedKeyAreFoundWithoutWaitingForTheirNextMessage() {
        let keys = Self.keySet([("a", "KA", .unrestricted), ("b", "KB", .unrestricted)])
        var guardian = PeerGuard()
        _ = guardian.admit(
            from: PeerID(Data([1])), frames: MDP.heartbeat, userID: "a", presentedKey: "KA", keys: keys, now: 0)
        _ = guardian.admit(
            from: PeerID(Data([2])), frames: MDP.heartbeat, userID: "b", presentedKey: "KB", keys: keys, now: 0)
        #expect(guardian.revoked(by: keys).isEmpty)
        #expect(guardian.revoked(by: Self.keySet([("a", "KA", .unrestricted)])) == [PeerID(Data([2]))])
    }

    @Test func loopbackIsToldApartFromNetworkEndpoints() {
        for endpoint in ["ipc:///tmp/x", "inproc://a", "tcp://127.0.0.1:5555", "tcp://localhost:1", "tcp://[::1]:5"] {
            #expect(EndpointScope.isLoopback(endpoint), "\(endpoint)")
        }
        for endpoint in [
            "tcp://0.0.0.0:5555", "tcp://*:5555", "tcp://10.200.1.1:5555", "tcp://eth0:5555",
            "tcp://[::]:5555", "tcp://127.example.com:5", "tcp://broker:5555",
        ] {
            #expect(!EndpointScope.isLoopback(endpoint), "\(endpoint)")
        }
    }

    @Test
    func theKeyFolderIsReReadWhenItChanges() throws {
        try #require(Curve.isAvailable, "libzmq was built without CURVE (libsodium): these tests cannot run")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dp-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyring = Keyring(folder: folder.path)
        #expect(keyring.current().byName.isEmpty)
        let certificate = try CurveCertificate.generate()
        let path = folder.appendingPathComponent("bob.key").path
        try CurveCertificate.writeNewFile(certificate.text(includingSecret: false, comment: "t"), to: path, mode: 0o644)
        #expect(keyring.current().byName["bob"]?.publicKey == certificate.publicKey)
        #expect(keyring.current().byName["bob"]?.roles == .clientOnly, "a key file without roles is a client only")
        try CurveCertificate.writeNewFile(
            "roles = \"boss\"\n\(certificate.publicKey)\n",
            to: folder.appendingPathComponent("eve.key").path, mode: 0o644)
        let withBadRoles = keyring.current()
        #expect(withBadRoles.byName["eve"] == nil)
        #expect(withBadRoles.problems.contains { $0.contains("boss") }, "\(withBadRoles.problems)")
        try FileManager.default.removeItem(atPath: path)
        #expect(keyring.current().byName["bob"] == nil)
    }
}

/// Decodes a broker reply the guard produced, to look at its status.
enum DocpipeReply {
    static func decode(_ frames: [Data]) throws -> ErrorReply {
        let reply = try MDP.decodeAtClient(frames)
        return try WireJSON.decode(ErrorReply.self, from: try #require(reply.body.first))
    }
}
