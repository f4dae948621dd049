import DocProtocol
import Foundation
import Testing

/// The two forms of a `docpipe.submit` body, and the reply to a batch.
@Suite struct BatchSubmitMessageTests {
    private func decode(_ json: String) throws(ErrorReply) -> SubmitBody {
        try SubmitBody.decode(Data(json.utf8))
    }

    private func refusal(_ json: String) -> ErrorReply? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func bothFormsDecode() throws {
        let single = try SubmitBody.decode(try ProtocolFiles.example("submit_request.json"))
        guard case .single(let request, _) = single else {
            Issue.record("\(single)")
            return
        }
        #expect(request.document.name == "nato-russia-strategy.txt")

        let batch = try SubmitBody.decode(try ProtocolFiles.example("submit_batch_request.json"))
        guard case .batch(let many, _) = batch else {
            Issue.record("\(batch)")
            return
        }
        #expect(many.pipeline == "default" && many.documents.count == 3)
        #expect(many.documents.last?.content == "")
    }

    @Test func theSingleFormIsUnchangedOnTheWire() throws {
        let document = Document(content: "hello")
        #expect(
            String(decoding: try WireJSON.encode(SubmitRequest(document: document)), as: UTF8.self)
                == #"{"document":{"content":"hello","encoding":"utf8","metadata":{},"v":1},"pipeline":"default","v":1}"#
        )
        #expect(
            String(decoding: try WireJSON.encode(SubmitBatchRequest(documents: [document])), as: UTF8.self)
                == #"{"documents":[{"content":"hello","encoding":"utf8","metadata":{},"v":1}],"pipeline":"default","v":1}"#
        )
    }

    @Test func documentAndDocumentsAreExclusive() {
        let both = refusal(
            #"{"v":1,"pipeline":"p","document":{"v":1,"content":"a"},"documents":[{"v":1,"content":"b"}]}"#)
        #expect(both?.status == .badRequest && both?.reason == "bad_request")
        #expect(both?.message.contains("not both") == true)
        let neither = refusal(#"{"v":1,"pipeline":"p"}"#)
        #expect(neither?.status == .badRequest && neither?.reason == "bad_json")
        #expect(neither?.message == "SubmitRequest: missing field 'document'")
    }

    @Test func anEmptyBatchIsRefused() {
        let empty = refusal(#"{"v":1,"pipeline":"p","documents":[]}"#)
        #expect(empty?.status == .badRequest && empty?.reason == "bad_request")
        #expect(empty?.message.contains("'documents' is empty") == true)
    }

    @Test func badFieldsAreNamed() {
        #expect(refusal(#"{"v":1,"pipeline":"p","documents":{}}"#)?.reason == "bad_json")
        let missing = refusal(#"{"v":1,"pipeline":"p","documents":[{"v":1}]}"#)
        #expect(missing?.reason == "bad_json" && missing?.message.contains("'content'") == true)
        // Where the scan stopped is part of the message.
        #expect(refusal("not json")?.message == "bad body: body is not valid JSON: expected an object at byte 0")
    }

    @Test func aBatchIsAtMostAThousandDocuments() throws {
        var documents = (0..<SubmitBatchRequest.maxDocuments).map { Document(content: "\($0)") }
        let full = try WireJSON.encode(SubmitBatchRequest(pipeline: "p", documents: documents))
        guard case .batch(let batch, _) = try SubmitBody.decode(full) else {
            Issue.record("not a batch")
            return
        }
        #expect(batch.documents.count == 1000)
        documents.append(Document(content: "one too many"))
        let over = try WireJSON.encode(SubmitBatchRequest(pipeline: "p", documents: documents))
        #expect(throws: ErrorReply.self) { try SubmitBody.decode(over) }
        do {
            _ = try SubmitBody.decode(over)
        } catch {
            #expect(error.status == .tooLarge && error.reason == "too_large")
        }
    }

    @Test func replyEntriesKeepTheirShapes() throws {
        let partial = try WireJSON.decode(
            SubmitBatchReply.self, from: ProtocolFiles.example("submit_batch_reply.partial.json"))
        #expect(partial.status == .multiStatus)
        #expect(partial.jobs.map { $0.error?.reason } == [nil, "busy", "empty_document"])
        #expect(partial.jobs[1].error?.retryAfterMs == 500)
        let request = try WireJSON.decode(
            SubmitBatchRequest.self, from: ProtocolFiles.example("submit_batch_request.json"))
        guard case .accepted(_, let documentID) = partial.jobs[0] else {
            Issue.record("\(partial.jobs[0])")
            return
        }
        #expect(documentID == ContentHash.documentID(for: request.documents[0]))

        let all = try WireJSON.decode(SubmitBatchReply.self, from: ProtocolFiles.example("submit_batch_reply.json"))
        #expect(all.status == .accepted && all.jobs.allSatisfy { $0.error == nil })
        // A refused entry is an ErrorReply without its `v`.
        let refused = SubmitBatchReply.Entry.refused(
            ErrorReply(status: .notFound, reason: "unknown_pipeline", message: "m"))
        #expect(
            String(decoding: try WireJSON.encode(refused), as: UTF8.self)
                == #"{"message":"m","reason":"unknown_pipeline","status":404}"#)
    }

    @Test func theStatusSummarizesTheEntries() throws {
        let accepted = SubmitBatchReply.Entry.accepted(jobID: "job-1", documentID: "doc-1")
        func refused(_ status: StatusCode, _ reason: String, _ message: String, _ retryAfterMs: Int? = nil)
            -> SubmitBatchReply.Entry
        {
            .refused(ErrorReply(status: status, reason: reason, message: message, retryAfterMs: retryAfterMs))
        }
        let busy = refused(.busy, "busy", "full", 250)
        let busier = refused(.busy, "busy", "full", 900)
        let empty = refused(.badRequest, "empty_document", "e")

        #expect(SubmitBatchReply(jobs: [accepted, accepted]).status == .accepted)
        #expect(try SubmitBatchReply.summarizing([accepted, busy]).get().status == .multiStatus)
        // All refused, for different reasons: still one entry each.
        #expect(try SubmitBatchReply.summarizing([busy, empty]).get().status == .multiStatus)
        // All refused alike: the one ErrorReply a single document would have had, waiting the longest asked.
        switch SubmitBatchReply.summarizing([busy, busier]) {
        case .success(let reply): Issue.record("expected an ErrorReply, got \(reply)")
        case .failure(let error):
            #expect(error.status == .busy && error.reason == "busy" && error.retryAfterMs == 900)
            #expect(error.message == "all 2 documents refused: full")
        }
        switch SubmitBatchReply.summarizing([empty]) {
        case .success(let reply): Issue.record("expected an ErrorReply, got \(reply)")
        case .failure(let error): #expect(error.message == "e")
        }
    }
}
