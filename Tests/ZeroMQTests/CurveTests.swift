import Foundation
import Testing
import ZeroMQ

@Suite struct CurveTests {
    @Test
    func keyPairsAreFreshZ85() throws {
        try #require(Curve.isAvailable, "libzmq was built without CURVE (libsodium): these tests cannot run")
        let first = try Curve.keyPair()
        let second = try Curve.keyPair()
        #expect(first.publicKey.utf8.count == 40)
        #expect(first.secretKey.utf8.count == 40)
        #expect(first.publicKey != second.publicKey)
    }

    @Test
    func encryptedRequestReplyRoundTrip() throws {
        try #require(Curve.isAvailable, "libzmq was built without CURVE (libsodium): these tests cannot run")
        let serverKeys = try Curve.keyPair()
        let clientKeys = try Curve.keyPair()
        let context = Context()
        let server = try makeSocket(context, .rep)
        defer { server.close() }
        try server.setCurveServer(true)
        try server.setCurveKeys(publicKey: serverKeys.publicKey, secretKey: serverKeys.secretKey)
        let endpoint = try bindEphemeral(server)
        let client = try makeSocket(context, .req)
        defer { client.close() }
        try client.setCurveServerKey(serverKeys.publicKey)
        try client.setCurveKeys(publicKey: clientKeys.publicKey, secretKey: clientKeys.secretKey)
        try client.connect(endpoint)

        try client.send(frames("secret question"))
        #expect(try server.receive() == frames("secret question"))
        try server.send(frames("secret answer"))
        #expect(try client.receive() == frames("secret answer"))
    }

    @Test
    func clientWithTheWrongServerKeyGetsNothingThrough() throws {
        try #require(Curve.isAvailable, "libzmq was built without CURVE (libsodium): these tests cannot run")
        let serverKeys = try Curve.keyPair()
        let impostorKeys = try Curve.keyPair()
        let clientKeys = try Curve.keyPair()
        let context = Context()
        let server = try makeSocket(context, .pull, timeoutMilliseconds: 500)
        defer { server.close() }
        try server.setCurveServer(true)
        try server.setCurveKeys(publicKey: serverKeys.publicKey, secretKey: serverKeys.secretKey)
        let endpoint = try bindEphemeral(server)
        let client = try makeSocket(context, .push, timeoutMilliseconds: 500)
        defer { client.close() }
        try client.setCurveServerKey(impostorKeys.publicKey)
        try client.setCurveKeys(publicKey: clientKeys.publicKey, secretKey: clientKeys.secretKey)
        try client.connect(endpoint)

        _ = try client.send(frames("should not arrive"))
        #expect(try server.receive() == nil)
    }

    @Test func versionIsTheInstalledLibrary() {
        #expect(ZeroMQVersion.string == "4.3.4")
        #expect(ZeroMQVersion.components.major == 4)
    }
}
