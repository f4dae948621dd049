import DocProtocol
import Foundation
import Testing
import WorkerKit
import WorkerKitTesting

/// A stage that reads two built-in outputs typed, as the storage writer does: the extractor's title and
/// the classifier's topic.
struct Headline: DocpipeWorker {
    let service = "headline"
    func process(_ request: StageRequest) async throws -> JSONValue {
        let extracted = try request.output(of: ExtractorOutput.self)
        let topic = try request.output(of: ClassifierOutput.self)?.topic ?? "unsorted"
        return ["headline": .string("[\(topic)] \(extracted?.title ?? "untitled")")]
    }
}

@Suite struct TypedStageOutputTests {
    @Test func theTestKitsExtractorOutputFitsTheContract() async throws {
        let results = WorkerTestKit.extractorResults(text: "Two words. Three more words.", title: "Counting")
        let request = WorkerTestKit.request(stage: "headline", document: WorkerTestKit.document("x"), results: results)
        let extracted = try #require(try request.output(of: ExtractorOutput.self))
        #expect(extracted.wordCount == 5 && extracted.sentenceCount == 2 && extracted.title == "Counting")
        #expect(extracted.contentHash == ContentHash.sha256(Data("Two words. Three more words.".utf8)))
        #expect(request.text == "Two words. Three more words.")
        #expect(try request.extractedText() == request.text)
    }

    @Test func stagesReadEarlierOutputsByType() async throws {
        let classified = ClassifierOutput(
            topic: "science", confidence: 0.9,
            labels: [.init(label: "science", score: 0.9)], model: "m")
        let results = WorkerTestKit.results(WorkerTestKit.extractorOutput(text: "t", title: "Comets"), classified)
        #expect(Set(results.keys) == ["extractor", "classifier"])
        let output = try await WorkerTestKit.run(Headline(), document: WorkerTestKit.document("t"), results: results)
        #expect(output["headline"] == "[science] Comets")
        let alone = try await WorkerTestKit.run(Headline(), document: WorkerTestKit.document("t"))
        #expect(alone["headline"] == "[unsorted] untitled")
    }

    /// An earlier output that breaks its contract fails the stage for good (a retry reads the same bytes),
    /// with the field named; `text` still reads, as the raw content.
    @Test func aBrokenEarlierOutputIsA422() async throws {
        let broken: [String: JSONValue] = ["extractor": ["text": "no counts", "title": "T"]]
        let result = await WorkerTestKit.result(Headline(), document: WorkerTestKit.document("raw"), results: broken)
        #expect(result.status == .error)
        #expect(result.error?.code == .unprocessable && result.error?.reason == "bad_stage_output")
        #expect(result.error?.retryable == false)
        #expect(
            result.error?.message.contains("missing field 'content_type'") == true, "\(result.error?.message ?? "")")
        let request = WorkerTestKit.request(stage: "shouter", document: WorkerTestKit.document("raw"), results: broken)
        #expect(request.text == "raw")
        #expect(throws: StageOutputError.self) { try request.extractedText() }
    }
}
