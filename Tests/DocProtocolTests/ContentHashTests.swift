import DocProtocol
import Foundation
import Testing

@Suite struct ContentHashTests {
    @Test func sha256IsPrefixedLowercaseHex() {
        #expect(
            ContentHash.sha256(Data("hello".utf8))
                == "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
    }

    @Test func documentIDIsTheFirstSixteenHexDigits() {
        #expect(ContentHash.documentID(for: Document(content: "hello")) == "doc-2cf24dba5fb0a30e")
    }

    @Test func documentIDDependsOnBytesOnly() {
        let text = Document(name: "a.txt", content: "hello", metadata: ["source": "x"])
        let binary = Document(name: "b.bin", encoding: .base64, content: Data("hello".utf8).base64EncodedString())
        #expect(ContentHash.documentID(for: text) == ContentHash.documentID(for: binary))
        #expect(ContentHash.documentID(for: text) == ContentHash.documentID(for: text))
        #expect(ContentHash.documentID(for: Document(content: "hello!")) != ContentHash.documentID(for: text))
    }

    @Test func goldenDocumentIDIsItsContentHash() throws {
        let document = try WireJSON.decode(Document.self, from: ProtocolFiles.example("document.json"))
        #expect(document.id == "doc-f878ed922a5efb30")
        #expect(ContentHash.documentID(for: document) == document.id)
    }

    @Test func documentFromBytesChoosesTextOrBase64() {
        let text = Document(bytes: Data("plain text".utf8), name: "a.txt")
        #expect(text.encoding == .utf8 && text.content == "plain text")
        let binary = Document(bytes: Data([0x25, 0x50, 0x00, 0xff]), name: "a.bin")
        #expect(binary.encoding == .base64 && binary.bytes == Data([0x25, 0x50, 0x00, 0xff]))
    }
}
