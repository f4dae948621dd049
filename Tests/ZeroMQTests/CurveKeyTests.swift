import Foundation
import Testing
import ZeroMQ

/// Z85, key derivation, key files, and the per-message metadata a ZAP handler attaches.
@Suite struct CurveKeyTests {
    @Test func z85RoundTripsAndRejectsWhatIsNotZ85() throws {
        let bytes = Data((0..<32).map { UInt8($0 * 7 & 0xff) })
        let text = try #require(Curve.z85Encode(bytes))
        #expect(text.utf8.count == 40)
        #expect(Curve.z85Decode(text) == bytes)
        #expect(Curve.z85Encode(Data([1, 2, 3])) == nil, "Z85 needs a multiple of 4 bytes")
        #expect(Curve.z85Decode("abcd") == nil)
        #expect(
            !Curve.isKey(String(repeating: "~", count: 40)) || Curve.z85Decode(String(repeating: "~", count: 40)) != nil
        )
        #expect(!Curve.isKey("short"))
    }

    @Test
    func publicKeyIsDerivedFromTheSecretKey() throws {
        try #require(Curve.isAvailable, "libzmq was built without CURVE (libsodium): these tests cannot run")
        let pair = try Curve.keyPair()
        #expect(try Curve.publicKey(fromSecret: pair.secretKey) == pair.publicKey)
        #expect(throws: ZMQError.self) { try Curve.publicKey(fromSecret: "not a key") }
    }

    @Test
    func certificateFilesRoundTripInZPLAndSecretsAreOwnerOnly() throws {
        try #require(Curve.isAvailable, "libzmq was built without CURVE (libsodium): these tests cannot run")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dp-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificate = try CurveCertificate.generate(metadata: ["name": "alice", "roles": "client"])
        let secretPath = folder.appendingPathComponent("alice.key_secret").path
        let publicPath = folder.appendingPathComponent("alice.key").path
        try CurveCertificate.writeNewFile(
            certificate.text(includingSecret: true, comment: "test"), to: secretPath, mode: 0o600)
        try CurveCertificate.writeNewFile(
            certificate.text(includingSecret: false, comment: "test"), to: publicPath, mode: 0o644)

        let secret = try CurveCertificate.load(path: secretPath)
        #expect(secret == certificate)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: secretPath)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
        let onlyPublic = try CurveCertificate.load(path: publicPath)
        #expect(onlyPublic.secretKey == nil)
        #expect(onlyPublic.publicKey == certificate.publicKey)
        #expect(onlyPublic.metadata["roles"] == "client")

        // Never overwrite a key; never trust a secret others can read.
        #expect(throws: CurveKeyError.self) {
            try CurveCertificate.writeNewFile("x", to: secretPath, mode: 0o600)
        }
        chmod(secretPath, 0o644)
        #expect(throws: CurveKeyError.self) { try CurveCertificate.load(path: secretPath) }
    }

    @Test
    func aBareZ85LineAndAMismatchedPairAreHandled() throws {
        try #require(Curve.isAvailable, "libzmq was built without CURVE (libsodium): these tests cannot run")
        let pair = try Curve.keyPair()
        #expect(try CurveCertificate.parse("# hand-made\n\(pair.publicKey)\n").publicKey == pair.publicKey)
        let other = try Curve.keyPair()
        #expect(throws: CurveKeyError.self) {
            try CurveCertificate.parse(
                "curve\n public-key = \"\(other.publicKey)\"\n secret-key = \"\(pair.secretKey)\"\n")
        }
        #expect(throws: CurveKeyError.self) { try CurveCertificate.parse("nonsense here\n") }
    }

    @Test func clientKeysNeedBothHalves() throws {
        #expect(try CurveClientKeys.resolve(serverKey: nil, key: nil, environment: [:]) == nil)
        #expect(throws: CurveKeyError.self) {
            try CurveClientKeys.resolve(serverKey: String(repeating: "a", count: 40), key: nil, environment: [:])
        }
        #expect(throws: CurveKeyError.self) {
            try CurveClientKeys.resolve(serverKey: nil, key: nil, environment: [CurveClientKeys.keyVariable: "/nope"])
        }
    }

    /// A one-thread ZAP handler: the User-Id and metadata it returns arrive with every message.
    @Test(.timeLimit(.minutes(1)))
    func zapUserIdAndMetadataArriveWithEachMessage() throws {
        try #require(Curve.isAvailable, "libzmq was built without CURVE (libsodium): these tests cannot run")
        let server = try Curve.keyPair()
        let client = try Curve.keyPair()
        let context = Context()
        let zap = try makeSocket(context, .rep)
        defer { zap.close() }
        try zap.bind("inproc://zeromq.zap.01")
        let router = try makeSocket(context, .router)
        defer { router.close() }
        try router.setCurveServer(true)
        try router.setCurveKeys(publicKey: server.publicKey, secretKey: server.secretKey)
        try router.setZapDomain("test")
        let endpoint = try bindEphemeral(router)
        let dealer = try makeSocket(context, .dealer)
        defer { dealer.close() }
        try CurveClientKeys(serverPublicKey: server.publicKey, publicKey: client.publicKey, secretKey: client.secretKey)
            .apply(to: dealer)
        try dealer.connect(endpoint)
        try dealer.send(frames("hello"))

        let request = try #require(try zap.receive())
        #expect(request.count == 7)
        #expect(String(decoding: request[5], as: UTF8.self) == "CURVE")
        #expect(Curve.z85Encode(request[6]) == client.publicKey)
        var metadata = Data([UInt8(5)]) + Data("X-Key".utf8)
        withUnsafeBytes(of: UInt32(3).bigEndian) { metadata.append(contentsOf: $0) }
        metadata += Data("abc".utf8)
        try zap.send([Data("1.0".utf8), request[1], Data("200".utf8), Data("OK".utf8), Data("alice".utf8), metadata])

        // Polled first, as the broker does: libzmq then prefetches, which once lost the metadata.
        #expect(try poll([router], timeoutMilliseconds: 5000) == [true])
        let message = try #require(try router.receiveMessage(dontWait: true, properties: ["X-Key"]))
        #expect(message.frames.last == Data("hello".utf8))
        #expect(message.userID == "alice")
        #expect(message.properties["X-Key"] == "abc")
        #expect(message.peerAddress == "127.0.0.1")
        #expect(message.connection != nil)
    }
}
