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
        #expect(ProtocolFiles.schemaNames.count == 10)
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
        for file in ProtocolFiles.exampleNames where ProtocolFiles.messageName(ofExample: file) != "error_body" {
            let value = try WireJSON.decode(JSONValue.self, from: ProtocolFiles.example(file))
            #expect(value["v"] == .number(1), "\(file) lacks \"v\": 1")
        }
    }

    @Test func replyExamplesCarryAStatus() throws {
        let replies = ["submit_reply", "job_status", "broker_status", "error_reply"]
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
}
