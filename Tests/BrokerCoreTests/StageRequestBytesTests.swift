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
}
