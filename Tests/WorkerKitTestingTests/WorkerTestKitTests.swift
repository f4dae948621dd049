import DocProtocol
import Foundation
import Testing
import WorkerKit
import WorkerKitTesting

/// The README's example plugin (blank counts as empty here): upper-cases the extracted text.
struct Shouter: DocpipeWorker {
    let service = "shouter"
    func process(_ request: StageRequest) async throws -> JSONValue {
        guard !request.text.allSatisfy(\.isWhitespace) else {
            throw StageFailure(.unprocessable, reason: "no_text", message: "nothing to shout")
        }
        return ["loud": .string(request.text.uppercased())]
    }
}

/// A second stage that reads the first one's output, as pipeline stages do.
struct LetterCounter: DocpipeWorker {
    let service = "letter-counter"
    func process(_ request: StageRequest) async throws -> JSONValue {
        guard let loud = request.result(of: "shouter")?["loud"]?.stringValue else {
            throw StageFailure(.unprocessable, reason: "needs_shouter", message: "run after the shouter stage")
        }
        return ["letters": .number(Double(loud.filter(\.isLetter).count))]
    }
}

struct Broken: DocpipeWorker {
    struct Bug: Error {}
    let service = "broken"
    func process(_ request: StageRequest) async throws -> JSONValue { throw Bug() }
}

@Suite struct InProcessTests {
    @Test func runReturnsTheOutput() async throws {
        let output = try await WorkerTestKit.run(Shouter(), text: "hello, world")
        #expect(output["loud"] == "HELLO, WORLD")
    }

    @Test func requestLooksLikeTheBrokers() {
        let request = WorkerTestKit.request(stage: "shouter", document: WorkerTestKit.document("x"))
        #expect(request.attempt == 1)
        #expect(request.document.id?.hasPrefix("doc-") == true)
        #expect(request.results.isEmpty)
    }

    @Test func laterStagesGetEarlierResults() async throws {
        let output = try await WorkerTestKit.run(
            LetterCounter(), document: WorkerTestKit.document("ab c"), results: ["shouter": ["loud": "AB C"]])
        #expect(output["letters"]?.intValue == 3)
    }

    @Test func failuresMapAsTheRunnerMapsThem() async throws {
        let empty = await WorkerTestKit.result(Shouter(), document: WorkerTestKit.document(""))
        #expect(empty.status == .error)
        #expect(empty.error?.reason == "no_text")
        #expect(empty.error?.retryable == false)
        let bug = await WorkerTestKit.result(Broken(), document: WorkerTestKit.document("x"))
        #expect(bug.error?.code == .internalError)
        #expect(bug.error?.retryable == true)
        await #expect(throws: StageFailure.self) {
            try await WorkerTestKit.run(LetterCounter(), text: "no shouter before me")
        }
    }
}

@Suite struct LiveBrokerTests {
    @Test(.timeLimit(.minutes(1))) func documentsGoThroughARealPipeline() async throws {
        try await TestBroker.with(
            pipelines: ["loud": ["shouter", "letter-counter"]],
            workers: [Shouter(), LetterCounter()]
        ) { broker in
            let job = try await broker.process(WorkerTestKit.document("hi there"), pipeline: "loud")
            #expect(job.state == .done)
            #expect(job.stagesDone == ["shouter", "letter-counter"])
            #expect(job.results["shouter"]?["loud"] == "HI THERE")
            #expect(job.results["letter-counter"]?["letters"]?.intValue == 7)

            let failed = try await broker.process(Document(content: " "), pipeline: "loud")
            #expect(failed.state == .failed)
            #expect(failed.error?.reason == "no_text")

            let status = try await broker.status()
            #expect(status.services.contains { $0.name == "shouter" && $0.workers == 1 })
        }
    }

    @Test(.timeLimit(.minutes(1))) func workersCanBeCalledDirectly() async throws {
        try await TestBroker.with(workers: [Shouter()]) { broker in
            let request = WorkerTestKit.request(stage: "shouter", document: WorkerTestKit.document("direct"))
            let reply = try await broker.call("shouter", body: [try WireJSON.encode(request)])
            let result = try WireJSON.decode(StageResult.self, from: try #require(reply.first))
            #expect(result.output?["loud"] == "DIRECT")
        }
    }
}
