import BrokerCore
import DocProtocol
import Foundation
import Testing

/// Stage requests assembled from held bytes decode to what the typed message would say.
@Suite struct StageRequestBytesTests {
    @Test func assembledRequestDecodesWithEveryEarlierOutput() throws {
        var job = Job(
            id: "j1", pipeline: "p", document: Document(id: "doc-1", name: "a \"b\".txt", content: "x\ny"),
            stages: [StageDefinition(service: "a"), StageDefinition(service: "b"), StageDefinition(service: "c")],
            createdAt: 1)
        job.outputs = [Data(#"{"n": 1}"#.utf8), Data(#"{"n":2}"#.utf8)]
        job.stageIndex = 2
        let request = try WireJSON.decode(StageRequest.self, from: try #require(job.stageRequestBody))
        #expect(request.stage == "c")
        #expect(request.jobID == "j1")
        #expect(request.document.name == "a \"b\".txt")
        #expect(request.document.content == "x\ny")
        #expect(request.results == ["a": ["n": 1], "b": ["n": 2]])
    }

    @Test func aServiceTwiceInAPipelineShowsItsLatestOutputOnce() throws {
        var job = Job(
            id: "j1", pipeline: "p", document: Document(id: "doc-1", content: "x"),
            stages: ["a", "b", "a", "c"].map { StageDefinition(service: $0) }, createdAt: 1)
        job.outputs = [Data(#"{"n":1}"#.utf8), Data(#"{"n":2}"#.utf8), Data(#"{"n":3}"#.utf8)]
        job.stageIndex = 3
        let body = try #require(job.stageRequestBody)
        #expect(String(decoding: body, as: UTF8.self).components(separatedBy: #""a":"#).count == 2)
        let request = try WireJSON.decode(StageRequest.self, from: body)
        #expect(request.results == ["a": ["n": 3], "b": ["n": 2]])
    }

    /// Counted and written in one piece (`ByteWriter`): the bytes must be exactly what encoding the typed
    /// request gives, escapes in every name and results out of stage order included — a miscount would stop
    /// the broker (the writer's precondition), a wrong byte would go to every worker.
    @Test func assembledBytesAreTheEncodedRequestExactly() throws {
        let document = Document(id: "doc-1", name: "tab\there \"q\"", content: "line\nnext \u{01}")
        let documentBytes = try WireJSON.encode(document)
        let results: [(String, Data)] = [("zeta", Data(#"{"n":1}"#.utf8)), ("al\"pha", Data(#"{"k":"v"}"#.utf8))]
        for (jobID, pipeline, stage, attempt) in [
            ("job-abc", "default", "noop1", 1), ("j\\1", "p\"q", "st\nage", 12), ("j", "p", "s", -3),
        ] {
            for given in [results, Array(results.prefix(1)), []] {
                let assembled = StageRequestBytes.assemble(
                    jobID: jobID, pipeline: pipeline, stage: stage, attempt: attempt, document: documentBytes,
                    results: given)
                var values: [String: JSONValue] = [:]
                for (name, output) in given { values[name] = try WireJSON.decode(JSONValue.self, from: output) }
                let typed = StageRequest(
                    jobID: jobID, pipeline: pipeline, stage: stage, attempt: attempt, document: document,
                    results: values)
                #expect(assembled == (try WireJSON.encode(typed)), "\(jobID) \(stage) \(given.count) results")
            }
        }
    }
}
