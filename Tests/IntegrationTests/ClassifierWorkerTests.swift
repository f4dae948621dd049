import DocProtocol
import Foundation
import Testing

/// The classifier worker as a real process behind a real broker: it abstains on non-prose and below its
/// model's calibrated threshold, and the default model files diplomacy under `world`.
@Suite(.serialized) struct ClassifierWorkerTests {
    static let diplomacy = """
        Foreign ministers agree on ceasefire monitoring mission

        Foreign ministers of the alliance agreed in Brussels on Thursday to send an unarmed mission to monitor \
        the ceasefire between the two neighbours, after talks mediated by the United Nations. The envoy said both \
        governments had accepted observers along the border, and the treaty talks would resume next month in Geneva.
        """
    static let lorem = """
        Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et \
        dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip.
        """
    static let recipe = """
        Cream the butter and sugar until pale, beat in the eggs one at a time, fold in the flour and bake for \
        twenty-five minutes until golden. Leave to cool before filling with jam and whipped cream.
        """

    /// One StageRequest through `docpipe call classifier FILE --stage-request`, and the worker's output.
    static func classify(_ text: String, cluster: TestCluster) throws -> [String: JSONValue] {
        let file = cluster.folder.appendingPathComponent("doc-\(UUID().uuidString.prefix(6)).txt")
        try Data(text.utf8).write(to: file)
        let call = try cluster.docpipe(
            ["call", "classifier", file.path, "--stage-request", "--json", "--timeout-ms", "10000"],
            timeout: 30)
        guard call.status == 0 else {
            throw TestFailure("docpipe call classifier exited \(call.status): \(call.errors)")
        }
        let result = try WireJSON.decode(StageResult.self, from: Data(call.output.utf8))
        guard result.status == .ok, let output = result.output?.objectValue else {
            throw TestFailure("classifier failed: \(call.output)")
        }
        return output
    }

    static func startClassifier(_ arguments: [String], in cluster: TestCluster) throws {
        try cluster.startBroker()
        try cluster.startWorker("classifier", arguments)
        let client = try cluster.client()
        try cluster.waitUntil("classifier registered", timeout: 30) {
            try client.serviceAvailability("classifier") == "200"
        }
    }

    /// A model trained here by `docpipe train` on the shipped passages, so the test does not depend on
    /// the build-time news model; its calibration is then edited to force an abstention.
    @Test(.timeLimit(.minutes(3)))
    func abstainsOnLoremAndBelowTheThresholdAndAnswersWorldOnDiplomacy() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dpt-cls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let training = TestPaths.repoRoot.appendingPathComponent("plugins/classifier/training/topics.jsonl").path
        let model = scratch.appendingPathComponent("model.json")
        let train = try runCommand(
            TestPaths.executable("docpipe"), ["train", "--data", training, "--out", model.path],
            timeout: 150)
        #expect(train.status == 0, "\(train.errors)")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: model)) as? [String: Any])
        #expect(object["calibration"] != nil, "docpipe train stores a calibration in the model file")

        do {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            try Self.startClassifier(["--model", model.path], in: cluster)
            let filler = try Self.classify(Self.lorem, cluster: cluster)
            #expect(filler["topic"]?.stringValue == "unknown")
            #expect(filler["topic_abstained"]?.stringValue == "not_prose")
            #expect(filler["not_prose"]?.stringValue == "filler")
            #expect(filler["labels"]?.arrayValue?.isEmpty == true)
            let world = try Self.classify(Self.diplomacy, cluster: cluster)
            #expect(world["topic"]?.stringValue == "world", "\(world)")
            #expect(world["topic_abstained"] == nil && world["best_guess"] == nil)
        }

        // The same weights with a threshold no answer reaches: every prose text is "unknown", with the guess.
        var calibration = try #require(object["calibration"] as? [String: Any])
        calibration["abstainBelow"] = 0.999
        object["calibration"] = calibration
        let strict = scratch.appendingPathComponent("strict.json")
        try JSONSerialization.data(withJSONObject: object).write(to: strict)
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.startClassifier(["--model", strict.path], in: cluster)
        let unsure = try Self.classify(Self.recipe, cluster: cluster)
        #expect(unsure["topic"]?.stringValue == "unknown")
        #expect(unsure["topic_abstained"]?.stringValue == "low_confidence")
        let guess = try #require(unsure["best_guess"]?.stringValue)
        #expect(unsure["labels"]?.arrayValue?.first?["label"]?.stringValue == guess)
        let confidence = try #require(unsure["confidence"]?.doubleValue)
        #expect(confidence > 0 && confidence < 0.999)
    }

    /// The default news-topic model `make build` installs next to the executables puts the NATO seed in `world`.
    @Test(.timeLimit(.minutes(2)))
    func theDefaultModelFilesTheNATOSeedUnderWorld() throws {
        let installed = TestPaths.executable("topics-model.json")
        guard FileManager.default.fileExists(atPath: installed.path) else {
            throw TestFailure("no \(installed.path): the default topic model is made by `make build` (or `make test`)")
        }
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try Self.startClassifier([], in: cluster)
        let seed = try Self.classify(
            String(decoding: try Data(contentsOf: TestPaths.seed), as: UTF8.self), cluster: cluster)
        #expect(seed["topic"]?.stringValue == "world", "\(seed)")
        #expect(seed["topic_abstained"] == nil)
    }
}
