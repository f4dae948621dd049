import DocProtocol
import Foundation
import Testing

/// The submitted document forwarded as the client's bytes, with the broker's id written in.
@Suite struct DocumentBytesTests {
    private func document(_ data: Data?) throws -> Document {
        try WireJSON.decodeMessage(Document.self, from: try #require(data))
    }

    @Test func aDocumentWithoutAnIDGetsItSplicedInAndKeepsEverythingElse() throws {
        let sent = Data(#"{ "v":1,"name":"a \"b\".txt","content":"héllo\n","metadata":{"k":"v"},"extra":[1,2]}"#.utf8)
        let forwarded = DocumentBytes.withID(sent, id: "doc-0123")
        let decoded = try document(forwarded)
        #expect(decoded.id == "doc-0123")
        #expect(decoded.name == #"a "b".txt"#)
        #expect(decoded.content == "héllo\n")
        #expect(decoded.metadata == ["k": "v"])
        #expect(
            try RawJSON.objectMembers(try #require(forwarded)).map(\.key)
                == ["id", "v", "name", "content", "metadata", "extra"], "members the broker does not know pass through")
    }

    @Test func aDocumentWithTheSameIDIsForwardedByteForByte() {
        let sent = Data(#"{"v":1,"id":"mine","content":"x"}"#.utf8)
        #expect(DocumentBytes.withID(sent, id: "mine") == sent)
        // A slice of a larger message (non-zero start index) works the same.
        let message = Data(#"{"document":{"v":1,"id":"mine","content":"x"}}"#.utf8)
        let slice = message[message.index(message.startIndex, offsetBy: 12)..<message.index(before: message.endIndex)]
        #expect(DocumentBytes.withID(slice, id: "mine") == sent)
    }

    @Test func aNullOrDifferentIDOrBrokenJSONIsLeftToTheEncoder() {
        #expect(DocumentBytes.withID(Data(#"{"v":1,"id":null,"content":"x"}"#.utf8), id: "doc-1") == nil)
        #expect(DocumentBytes.withID(Data(#"{"v":1,"id":"other","content":"x"}"#.utf8), id: "doc-1") == nil)
        #expect(DocumentBytes.withID(Data(#"{"v":1,"content":"x""#.utf8), id: "doc-1") == nil)
    }

    @Test func aSubmitBodyHandsOverTheDocumentsBytes() throws {
        let body = Data(#"{"v":1,"pipeline":"default","document":{"v":1,"content":"x"}}"#.utf8)
        guard case .single(let request, let json) = try SubmitBody.decode(body) else {
            Issue.record("not a single submit")
            return
        }
        #expect(request.document.content == "x")
        #expect(json.map { Data($0) } == Data(#"{"v":1,"content":"x"}"#.utf8))
    }
}
