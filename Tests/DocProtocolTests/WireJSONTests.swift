import DocProtocol
import Foundation
import Testing

@Suite struct WireJSONTests {
    private func badBody<T: Decodable>(_ type: T.Type, _ json: String) -> String? {
        do {
            _ = try WireJSON.decodeMessage(type, from: Data(json.utf8))
            return nil
        } catch {
            guard case .badBody(let why) = error else { return "not badBody: \(error)" }
            return why
        }
    }

    @Test func missingFieldIsNamed() throws {
        let why = try #require(
            badBody(
                StageRequest.self,
                #"{"v":1,"pipeline":"default","stage":"extractor","attempt":1,"document":{"v":1,"content":"x"},"results":{}}"#
            ))
        #expect(why.contains("missing field 'job_id'"), "\(why)")
        #expect(why.contains("StageRequest"))
    }

    @Test func missingNestedFieldIsNamed() throws {
        let why = try #require(badBody(SubmitRequest.self, #"{"v":1,"pipeline":"default","document":{"v":1}}"#))
        #expect(why.contains("missing field 'content'"), "\(why)")
    }

    @Test func missingVersionIsNamed() throws {
        let why = try #require(badBody(JobQuery.self, #"{"job_id":"job-1"}"#))
        #expect(why.contains("missing field 'v'"), "\(why)")
    }

    @Test func wrongTypeNamesThePath() throws {
        let why = try #require(
            badBody(StageResult.self, #"{"v":1,"job_id":"j","stage":"s","status":"ok","duration_ms":"fast"}"#))
        #expect(why.contains("wrong type at 'duration_ms'"), "\(why)")
    }

    @Test func badEnumValueNamesThePath() throws {
        let why = try #require(badBody(StageResult.self, #"{"v":1,"job_id":"j","stage":"s","status":"maybe"}"#))
        #expect(why.contains("status"), "\(why)")
    }

    @Test func emptyAndInvalidBodies() throws {
        #expect(try #require(badBody(JobQuery.self, "")).contains("empty body"))
        #expect(try #require(badBody(JobQuery.self, "{not json")).contains("not valid JSON"))
        #expect(try #require(badBody(JobQuery.self, "[]")).contains("JobQuery"))
        #expect(ProtocolError.badBody("x").counterName == "bad_body")
    }

    @Test func documentDefaultsEncodingAndMetadata() throws {
        let document = try WireJSON.decodeMessage(Document.self, from: Data(#"{"v":1,"content":"hi"}"#.utf8))
        #expect(document.encoding == .utf8 && document.metadata.isEmpty && document.id == nil)
        let json = String(decoding: try WireJSON.encode(document), as: UTF8.self)
        #expect(json == #"{"content":"hi","encoding":"utf8","metadata":{},"v":1}"#)
    }

    @Test func encodingSortsKeysAndOmitsAbsentOptionals() throws {
        let reply = SubmitReply(jobID: "job-1", documentID: "doc-2")
        #expect(
            String(decoding: try WireJSON.encode(reply), as: UTF8.self)
                == #"{"document_id":"doc-2","job_id":"job-1","status":202,"v":1}"#)
        let result = StageResult.ok(jobID: "job-1", stage: "echo", output: ["upper": "HI"])
        #expect(
            String(decoding: try WireJSON.encode(result), as: UTF8.self)
                == #"{"job_id":"job-1","output":{"upper":"HI"},"stage":"echo","status":"ok","v":1}"#)
        let busy = ErrorReply(status: .busy, reason: "busy", message: "full", retryAfterMs: 250)
        #expect(
            String(decoding: try WireJSON.encode(busy), as: UTF8.self)
                == #"{"message":"full","reason":"busy","retry_after_ms":250,"status":503,"v":1}"#)
    }

    @Test func jsonValueKeepsNumbersBoolsAndNulls() throws {
        let value = try WireJSON.decode(
            JSONValue.self, from: Data(#"{"a":1,"b":true,"c":0,"d":null,"e":0.5,"f":"1"}"#.utf8))
        #expect(value["a"] == .number(1))
        #expect(value["b"] == .bool(true))
        #expect(value["c"] == .number(0))
        #expect(value["d"] == .null)
        #expect(value["e"] == .number(0.5))
        #expect(value["f"] == .string("1"))
        #expect(
            String(decoding: try WireJSON.encode(value), as: UTF8.self)
                == #"{"a":1,"b":true,"c":0,"d":null,"e":0.5,"f":"1"}"#)
    }

    @Test func jsonValueBridgesTypedOutputs() throws {
        struct Output: Codable, Equatable {
            var topic: String
            var confidence: Double
            var labels: [String]
        }
        let output = Output(topic: "politics", confidence: 0.87, labels: ["politics", "world"])
        let tree = try JSONValue(encoding: output)
        #expect(tree["topic"]?.stringValue == "politics")
        #expect(try tree.decode(as: Output.self) == output)
    }

    @Test func statusCodeBands() {
        #expect(StatusCode.accepted.isSuccess && !StatusCode.pending.isSuccess)
        #expect(StatusCode.notFound.isCallerFault && !StatusCode.busy.isCallerFault)
        #expect(StatusCode(503) == .busy && StatusCode.tooLarge.rawValue == 413)
    }

    @Test func errorReplyFromErrorBody() {
        let body = ErrorBody(code: .unprocessable, reason: "unreadable", message: "no text", retryable: false)
        let reply = ErrorReply(body)
        #expect(reply.status == .unprocessable && reply.reason == "unreadable" && reply.retryAfterMs == nil)
    }
}
