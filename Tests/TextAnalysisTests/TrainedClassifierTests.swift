import Foundation
import Testing
import TextAnalysis

@Suite struct TrainedClassifierTests {
    /// A small three-label corpus, repeated with variations so a held-out split still has every label.
    static let examples: [LabeledText] = {
        let topics: [(String, [String])] = [
            ("sports", ["team", "match", "goal", "coach", "league", "player", "season", "striker"]),
            ("business", ["shares", "profit", "market", "investor", "earnings", "bank", "revenue", "stock"]),
            ("science", ["telescope", "planet", "researcher", "experiment", "physics", "orbit", "genome", "lab"]),
        ]
        var result: [LabeledText] = []
        for (label, words) in topics {
            for index in 0..<30 {
                let picked = (0..<5).map { words[(index * 3 + $0 * 5) % words.count] }
                result.append(
                    LabeledText(label: label, text: "The \(picked.joined(separator: " and the ")) were news today."))
            }
        }
        return result
    }()

    @Test(arguments: [ClassifierAlgorithm.naiveBayes, .linear, .ensemble])
    func trainsEachAlgorithmAndPredictsUnseenText(algorithm: ClassifierAlgorithm) throws {
        let (model, candidates) = try ClassifierTraining.train(Self.examples, options: .init(algorithm: algorithm))
        #expect(model.algorithm == algorithm)
        if algorithm == .ensemble {
            // The blend is built from the best of each kind, so both kinds are tried, and one blend offered.
            #expect(Set(candidates.map(\.algorithm)) == [.naiveBayes, .linear, .ensemble])
            #expect(candidates.filter { $0.algorithm == .ensemble }.count == 1)
        } else {
            #expect(candidates.allSatisfy { $0.algorithm == algorithm })
        }
        #expect(model.labels == ["business", "science", "sports"])
        #expect(model.classify("The striker scored a goal and the coach praised the team.").topic == "sports")
        #expect(model.classify("Investors sold shares after the bank reported lower profit.").topic == "business")
        #expect(model.classify("The telescope saw a planet in a distant orbit.").topic == "science")
        let prediction = model.classify("the league match")
        #expect(abs(prediction.labels.reduce(0) { $0 + $1.score } - 1) < 1e-6)
        #expect(prediction.labels.map(\.score) == prediction.labels.map(\.score).sorted(by: >))
    }

    @Test func choosesByHeldOutScoreAndRecordsProvenance() throws {
        var options = ClassifierTraining.Options()
        options.source = "unit-test corpus"
        options.licence = "CC0"
        let (model, candidates) = try ClassifierTraining.train(Self.examples, options: options)
        #expect(Set(candidates.map(\.algorithm)) == [.naiveBayes, .linear, .ensemble])
        let best = try #require(candidates.min { $0.logLoss < $1.logLoss })
        #expect(model.algorithm == best.algorithm && model.provenance.settings == best.settings)
        #expect(model.provenance.heldOutLogLoss?.values.min() == best.logLoss)
        #expect(model.provenance.heldOutAccuracy.count == candidates.count)
        #expect(model.provenance.source == "unit-test corpus" && model.provenance.licence == "CC0")
        #expect(model.provenance.examples == Self.examples.count)
        #expect(model.name.hasPrefix(model.algorithm.rawValue + "/unit-test corpus/"))
    }

    @Test func modelFileRoundTripsAndDamageIsAClearError() throws {
        let (model, _) = try ClassifierTraining.train(Self.examples, options: .init(algorithm: .linear))
        let data = try model.encoded()
        let restored = try TrainedClassifier.load(data)
        let text = "The lab ran a physics experiment on the genome."
        #expect(restored.classify(text) == model.classify(text))

        #expect(throws: ModelFileError.self) { try TrainedClassifier.load(Data("{}".utf8)) }
        #expect(throws: ModelFileError.self) { try TrainedClassifier.load(Data("not json".utf8)) }
        // Cutting the weights short must be caught by the shape check, not crash at prediction time.
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var scorer = try #require(object["scorer"] as? [String: Any])
        scorer["weights"] = Data(count: 8).base64EncodedString()
        object["scorer"] = scorer
        let damaged = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: ModelFileError.self) { try TrainedClassifier.load(damaged) }
        object["format"] = "docpipe-classifier/99"
        #expect(throws: ModelFileError.self) {
            try TrainedClassifier.load(try JSONSerialization.data(withJSONObject: object))
        }
    }

    @Test func refusesToTrainOnOneLabel() {
        #expect(throws: ModelFileError.self) {
            try ClassifierTraining.train([LabeledText(label: "a", text: "x y"), LabeledText(label: "a", text: "y z")])
        }
    }

    @Test func metricsMatchHandComputedValues() {
        let metrics = ClassificationMetrics(gold: ["a", "a", "b", "b"], predicted: ["a", "b", "b", "b"])
        #expect(metrics.accuracy == 0.75)
        let a = metrics.labels.first { $0.label == "a" }
        let b = metrics.labels.first { $0.label == "b" }
        #expect(a?.precision == 1 && a?.recall == 0.5)
        #expect(b?.precision == 2.0 / 3 && b?.recall == 1)
        let f1a = 2 * 0.5 / 1.5
        let f1b = 2 * (2.0 / 3) / (2.0 / 3 + 1)
        #expect(abs(metrics.macroF1 - (f1a + f1b) / 2) < 1e-12)
        #expect(ClassificationMetrics(gold: [], predicted: []).accuracy == 0)
    }

    @Test func parsesJSONLinesTSVAndOrangeTab() throws {
        let jsonl = try LabeledCorpus.parse(
            "{\"label\":\"x\",\"text\":\"one\"}\n\n{\"label\":\"y\",\"text\":\"two\"}\n")
        #expect(jsonl == [LabeledText(label: "x", text: "one"), LabeledText(label: "y", text: "two")])
        let tsv = try LabeledCorpus.parse("x\tone two\ny\tthree\n")
        #expect(tsv == [LabeledText(label: "x", text: "one two"), LabeledText(label: "y", text: "three")])
        let orange = try LabeledCorpus.parse(
            "Category\tText\nd\tstring\nclass\t\nearn\tprofit rose\nacq\tbought a firm\n")
        #expect(
            orange == [
                LabeledText(label: "earn", text: "profit rose"), LabeledText(label: "acq", text: "bought a firm"),
            ])
        #expect(throws: ModelFileError.self) { try LabeledCorpus.parse("{\"label\": 1}\n") }
        #expect(throws: ModelFileError.self) { try LabeledCorpus.parse("no tab here\n") }
        #expect(try LabeledCorpus.parse("").isEmpty)
    }

    @Test func packedFloatsRoundTripExactly() throws {
        let values: [Float] = [0, -1.5, .pi, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
        let data = try JSONEncoder().encode(PackedFloats(values))
        #expect(try JSONDecoder().decode(PackedFloats.self, from: data).values == values)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PackedFloats.self, from: JSONEncoder().encode(Data([1, 2, 3])))
        }
    }
}
