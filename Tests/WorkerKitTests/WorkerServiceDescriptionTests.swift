import DocProtocol
import Logging
import Testing
import WorkerKit

/// ServiceLifecycle describes each service when a group is made. A worker's description must not walk the
/// worker by reflection: the extractor holds a language model of hundreds of thousands of n-grams, and printing
/// it took most of a debug worker's 5.7 s start (its first READY then missed a test's 10 s under load).
struct WorkerServiceDescriptionTests {
    /// A worker that carries a large model, as the extractor and the classifier do.
    struct Heavy: DocpipeWorker {
        let service = "heavy"
        let model = [Double](repeating: 0.5, count: 200_000)
        func process(_ request: StageRequest) async throws -> JSONValue { [:] }
    }

    @Test func aWorkerServiceSaysWhatItIsWithoutPrintingItsWorker() throws {
        let options = try WorkerOptions.parse(["--concurrency", "2"])
        let service = WorkerService(
            worker: Heavy(), options: options, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let description = String(describing: service)
        #expect(description == "WorkerService(heavy, concurrency 2)")
    }
}
