import DocProtocol
import Foundation
import Testing

/// The submit reader picks fields out of the bytes itself (no JSONDecoder): it must accept and refuse
/// exactly what the Codable types do, and hand back each document's own bytes.
@Suite struct SubmitBodyReaderTests {
    /// What Codable makes of a single submit: the request, or nil when it refuses it.
    private func codable(_ json: String) -> SubmitRequest? {
        try? JSONDecoder().decode(SubmitRequest.self, from: Data(json.utf8))
    }

    private func raw(_ json: String) -> SubmitRequest? {
        guard case .single(let request, _)? = try? SubmitBody.decode(Data(json.utf8)) else { return nil }
        return request
    }

    @Test func acceptsAndRefusesWhatCodableDoes() {
        let bodies = [
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"hello"}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"h\u00e9\n\"q\"","name":"a.txt","id":null}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"x","encoding":"base64","content_type":"a/b"}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"x","metadata":{"k":"v","l\u0041":"w"}}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"x","metadata":null,"extra":[1,{"a":2}]}}"#,
            #"{"v":1.0,"pipeline":"p","document":{"v":1,"content":"x","name":null,"encoding":null}}"#,
            #"{"v":1,"pipeline":"p","extra":true,"document":{"v":1,"content":""}}"#,
            // Refused by both:
            #"{"v":1,"pipeline":"p","document":{"v":1}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":"1","content":"x"}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1.5,"content":"x"}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":null}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":7}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"x","encoding":"utf16"}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"x","metadata":{"k":1}}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"x","metadata":{"k":null}}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"x","metadata":[]}}"#,
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"x","name":3}}"#,
            #"{"v":1,"pipeline":"p","document":[]}"#,
            #"{"v":1,"pipeline":"p","document":null}"#,
            #"{"v":1,"pipeline":null,"document":{"v":1,"content":"x"}}"#,
            #"{"pipeline":"p","document":{"v":1,"content":"x"}}"#,
            #"{"v":true,"pipeline":"p","document":{"v":1,"content":"x"}}"#,
        ]
        for body in bodies {
            #expect(raw(body) == codable(body), "\(body)")
        }
        #expect(codable(bodies[0]) != nil && codable(bodies[7]) == nil) // the list holds both kinds
    }

    @Test func refusalsNameTheField() {
        func message(_ json: String) -> String? {
            do {
                _ = try SubmitBody.decode(Data(json.utf8))
                return nil
            } catch {
                return error.message
            }
        }
        #expect(
            message(#"{"v":1,"pipeline":"p","document":{"v":1}}"#) == "bad body: SubmitRequest: missing field 'content'"
        )
        #expect(
            message(#"{"v":1,"pipeline":"p","document":{"v":1,"content":7}}"#)
                == "bad body: SubmitRequest: wrong type at 'document.content'")
        #expect(
            message(
                #"{"v":1,"pipeline":"p","documents":[{"v":1,"content":"a"},{"v":1,"content":"b","metadata":{"k":null}}]}"#
            )
                == "bad body: SubmitBatchRequest: null at 'documents.1.metadata.k'")
        #expect(
            message(#"{"v":1,"pipeline":"p","documents":[{"v":1,"content":"a"},"b"]}"#)
                == "bad body: SubmitBatchRequest: wrong type at 'documents.1'")
    }

    @Test func eachDocumentComesWithItsOwnBytes() throws {
        let first = #"{"v":1,"content":"a","metadata":{"n":"1"}}"#
        let second = #"{ "content" : "b\"c", "v" : 1 }"#
        let body = Data(#"{"v":1,"pipeline":"p","documents":[\#(first) , \#(second)]}"#.utf8)
        guard case .batch(let batch, let json) = try SubmitBody.decode(body) else {
            Issue.record("not a batch")
            return
        }
        #expect(json.map { $0.map { String(decoding: $0, as: UTF8.self) } } == [first, second])
        #expect(batch.documents.map(\.content) == ["a", "b\"c"])
        #expect(batch.documents[0].metadata == ["n": "1"])

        let single = Data(#"{"v":1,"pipeline":"p","document":\#(second)}"#.utf8)
        guard case .single(let request, let document) = try SubmitBody.decode(single) else {
            Issue.record("not single")
            return
        }
        #expect(document.map { String(decoding: $0, as: UTF8.self) } == second)
        #expect(request.document.content == "b\"c" && request.pipeline == "p")
    }

    @Test func aNullIDIsNotForwardedAsItCame() throws {
        // Splicing an id into bytes that already say `"id":null` would give the worker two `id` members.
        let body = Data(#"{"v":1,"pipeline":"p","document":{"v":1,"id":null,"content":"x"}}"#.utf8)
        guard case .single(let request, let json) = try SubmitBody.decode(body) else {
            Issue.record("not single")
            return
        }
        #expect(request.document.id == nil && json == nil)
        let batch = Data(
            #"{"v":1,"pipeline":"p","documents":[{"v":1,"id":null,"content":"x"},{"v":1,"content":"y"}]}"#.utf8)
        guard case .batch(_, let documents) = try SubmitBody.decode(batch) else {
            Issue.record("not a batch")
            return
        }
        #expect(documents[0] == nil && documents[1] != nil)
    }

    @Test func theIDIsSplicedInWithoutAScan() {
        func spliced(_ json: String) -> String? {
            DocumentBytes.insertingID(Data(json.utf8), id: "d1").map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(spliced(#"{"v":1,"content":"x"}"#) == #"{"id":"d1","v":1,"content":"x"}"#)
        #expect(spliced("{ }") == #"{"id":"d1" }"#)
        #expect(spliced("{}") == #"{"id":"d1"}"#)
        // From a slice of a larger message (a batch's document), with an id that needs escaping.
        let message = Data(#"[{"a":1}]"#.utf8)
        let spliced = DocumentBytes.insertingID(message[1..<8], id: #"q"1"#)
        #expect(spliced.map { String(decoding: $0, as: UTF8.self) } == #"{"id":"q\"1","a":1}"#)
    }
}

/// String literals are unescaped by RawJSON itself: the same text as JSONDecoder gives, or nil where it refuses.
@Suite struct RawJSONStringTests {
    @Test func unescapesAsJSONDecoderDoes() {
        let literals = [
            #""plain""#, #""""#, #""line\nbreak\ttab\r""#, #""quote \" and \\ and \/""#, #""\b\f""#,
            #""\u00e9t\u00C9 \u20ac""#, #""emoji \ud83d\ude00 end""#, #""caf\u00e9\n""#, #""\u0000x""#,
            #""ünïcödé \"raw\"""#,
            // Refused by both:
            #""lone \ud83d surrogate""#, #""low first \ude00""#, #""bad \x escape""#, #""short \u12""#,
            #""trailing \""#,
        ]
        for literal in literals {
            let expected = try? JSONDecoder().decode(String.self, from: Data(literal.utf8))
            #expect(RawJSON.string(Data(literal.utf8)) == expected, "\(literal)")
        }
        #expect(RawJSON.string(Data("x".utf8)) == nil && RawJSON.string(Data("\"".utf8)) == nil)
        // A slice with a non-zero start index reads the same.
        let padded = Data(#"xx"a\nb"yy"#.utf8)
        #expect(RawJSON.string(padded[2..<8]) == "a\nb")
    }
}

/// The 202 replies are written by hand; their bytes must be the encoder's.
@Suite struct SubmitReplyBytesTests {
    @Test func theBytesAreTheEncoders() throws {
        let single = SubmitReply(jobID: "job-00ff", documentID: "doc \"quoted\"\n")
        #expect(single.wireBytes == (try WireJSON.encode(single)))
        let accepted = SubmitBatchReply(jobs: [
            .accepted(jobID: "job-1", documentID: "d1"), .accepted(jobID: "job-2", documentID: "d/2"),
        ])
        #expect(try accepted.wireBytes() == (try WireJSON.encode(accepted)))
        let mixed = SubmitBatchReply(jobs: [
            .accepted(jobID: "job-1", documentID: "d1"),
            .refused(ErrorReply(status: .busy, reason: "busy", message: "later", retryAfterMs: 50)),
        ])
        #expect(try mixed.wireBytes() == (try WireJSON.encode(mixed)))
        // Counted before written (ByteWriter): no entries, one, and escapes in both ids.
        for jobs in [[], [SubmitBatchReply.Entry.accepted(jobID: "j\\1", documentID: "d\t\"")]] {
            let reply = SubmitBatchReply(jobs: jobs)
            #expect(try reply.wireBytes() == (try WireJSON.encode(reply)))
        }
    }
}
