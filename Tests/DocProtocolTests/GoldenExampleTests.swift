import DocProtocol
import Foundation
import Testing

/// Every golden example in protocol/examples decodes into its Swift type and encodes back to the same JSON.
@Suite struct GoldenExampleTests {
    @Test(arguments: ProtocolFiles.exampleNames)
    func exampleRoundTrips(file: String) throws {
        let name = ProtocolFiles.messageName(ofExample: file)
        let codec = try #require(MessageCodec.all[name], "no Swift type for example \(file)")
        let original = try ProtocolFiles.example(file)
        let encoded = try codec.roundTrip(original)
        let before = try WireJSON.decode(JSONValue.self, from: original)
        let after = try WireJSON.decode(JSONValue.self, from: encoded)
        #expect(before == after, "\(file) changed through \(codec.typeName)")
    }

    @Test func thereAreGoldenExamples() {
        #expect(ProtocolFiles.exampleNames.count >= ProtocolFiles.schemaNames.count)
        #expect(ProtocolFiles.schemaNames.count == 14)
    }

    @Test func everySchemaHasACodecAndAnExample() {
        let schemas = Set(ProtocolFiles.schemaNames)
        let exampleMessages = Set(ProtocolFiles.exampleNames.map(ProtocolFiles.messageName(ofExample:)))
        #expect(schemas == Set(MessageCodec.all.keys), "schemas and Swift codecs differ")
        #expect(schemas.subtracting(exampleMessages).isEmpty, "schemas without an example: \(schemas.subtracting(exampleMessages))")
        #expect(exampleMessages.subtracting(schemas).isEmpty, "examples without a schema: \(exampleMessages.subtracting(schemas))")
    }

    @Test func specNamesEverySchema() throws {
        let spec = try String(contentsOf: ProtocolFiles.protocolDir.appendingPathComponent("SPEC.md"), encoding: .utf8)
        for name in ProtocolFiles.schemaNames {
            #expect(spec.contains("\(name).schema.json"), "SPEC.md does not mention \(name).schema.json")
        }
    }

    @Test func examplesAreVersionOne() throws {
        // ErrorBody and StageAttempt only travel inside other messages.
        let nested: Set<String> = ["error_body", "stage_attempt"]
        for file in ProtocolFiles.exampleNames where !nested.contains(ProtocolFiles.messageName(ofExample: file)) {
            let value = try WireJSON.decode(JSONValue.self, from: ProtocolFiles.example(file))
            #expect(value["v"] == .number(1), "\(file) lacks \"v\": 1")
        }
    }

    @Test func replyExamplesCarryAStatus() throws {
        let replies = [
            "submit_reply", "job_status", "broker_status", "error_reply", "dead_letter_list", "dead_letter_action_reply",
        ]
        for file in ProtocolFiles.exampleNames where replies.contains(ProtocolFiles.messageName(ofExample: file)) {
            let head = try WireJSON.decode(ReplyHead.self, from: ProtocolFiles.example(file))
            let expectSuccess = ProtocolFiles.messageName(ofExample: file) != "error_reply"
            #expect(head.status.isSuccess == expectSuccess, "\(file): status \(head.status)")
        }
    }

    @Test func submitReplyNamesTheSubmittedDocument() throws {
        let request = try WireJSON.decode(SubmitRequest.self, from: ProtocolFiles.example("submit_request.json"))
        let reply = try WireJSON.decode(SubmitReply.self, from: ProtocolFiles.example("submit_reply.json"))
        #expect(request.document.id == nil)
        #expect(reply.documentID == ContentHash.documentID(for: request.document))
        #expect(reply.status == .accepted)
    }

    @Test func extractorOutputHashesTheDocument() throws {
        let result = try WireJSON.decode(StageResult.self, from: ProtocolFiles.example("stage_result.ok.json"))
        let request = try WireJSON.decode(StageRequest.self, from: ProtocolFiles.example("stage_request.json"))
        #expect(result.status == .ok)
        #expect(result.output?["content_hash"]?.stringValue == ContentHash.sha256(try #require(request.document.bytes)))
        #expect(result.output?["word_count"]?.intValue == 87)
    }

    @Test func deadLetterJobStatusExplainsItsFailure() throws {
        let status = try WireJSON.decode(JobStatus.self, from: ProtocolFiles.example("job_status.dead_letter.json"))
        let history = try #require(status.history)
        let last = try #require(history.last)
        #expect(status.state == .failed && status.stage == nil)
        #expect(last.outcome == .timeout && last.error == status.error && last.attempt == status.attempts)
        #expect(history.filter { $0.outcome == .ok }.map(\.stage) == status.stagesDone)
        #expect(zip(history, history.dropFirst()).allSatisfy { $0.at <= $1.at })

        let list = try WireJSON.decode(DeadLetterList.self, from: ProtocolFiles.example("dead_letter_list.json"))
        let entry = try #require(list.jobs.first { $0.jobID == status.jobID })
        #expect(list.total >= list.jobs.count)
        #expect(entry.stage == last.stage && entry.attempts == status.attempts && entry.error == status.error)
        #expect(entry.failedAt == status.updatedAt && entry.documentID == status.documentID)
    }

    @Test func deadLetterRequestsAndReplies() throws {
        let retry = try WireJSON.decode(DeadLetterRequest.self, from: ProtocolFiles.example("dead_letter_request.retry.json"))
        let reply = try WireJSON.decode(DeadLetterActionReply.self, from: ProtocolFiles.example("dead_letter_action_reply.json"))
        let retried = try #require(retry.jobID)
        #expect(retry.op == .retry && reply.op == .retry && reply.jobIDs == [retried])
        let drop = try WireJSON.decode(DeadLetterRequest.self, from: ProtocolFiles.example("dead_letter_request.drop_all.json"))
        #expect(drop.op == .drop && drop.all == true && drop.jobID == nil)
        let list = try WireJSON.decode(DeadLetterRequest.self, from: ProtocolFiles.example("dead_letter_request.list.json"))
        #expect(list.op == .list && list.jobID == nil && list.all == nil)
        let show = try WireJSON.encode(DeadLetterRequest(op: .show, jobID: "j"))
        #expect(String(decoding: show, as: UTF8.self) == #"{"job_id":"j","op":"show","v":1}"#)
    }
}
