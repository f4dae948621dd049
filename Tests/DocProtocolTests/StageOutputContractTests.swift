import DocProtocol
import Foundation
import Testing

/// The built-in stages' output types (protocol/swift/StageOutputs.swift) against their schemas, the golden
/// stage results, and `StageRequest.output(of:)`.
struct StageOutputContractTests {
    /// Schema name → every key a fully filled-in value of its Swift type writes, nested objects included
    /// (as `parent.child`, `parent[].child` for arrays of objects).
    static let filledIn: [(schema: String, value: any StageOutputContract)] = [
        (
            "extractor_output",
            ExtractorOutput(
                contentType: "text/plain", text: "t", title: "T", source: "S", author: "A", language: "en",
                wordCount: 1,
                sentenceCount: 1, dates: ["1997"], dateMentions: [.init(date: "1997", confidence: 0.8)],
                entities: [.init(text: "NATO", type: .organization, count: 1)],
                contentHash: "sha256:" + String(repeating: "0", count: 64),
                metadata: ["encoding": "utf-8"],
                ocr: .init(
                    engine: "tesseract 5.3.0", languages: ["eng"], meanConfidence: 0.9, pages: 1, words: 1,
                    pagesSkipped: 2))
        ),
        (
            "classifier_output",
            ClassifierOutput(
                topic: "unknown", confidence: 0.4, labels: [.init(label: "world", score: 0.4)], model: "m",
                topicAbstained: .lowConfidence, notProse: "table", bestGuess: "world")
        ),
        ("summarizer_output", SummarizerOutput(summary: "s", sentences: ["s"], keywords: ["k"], method: "textrank")),
        ("storage_output", StorageOutput(documentID: "doc-1", version: 1, outcome: .newVersion)),
    ]

    static func schema(_ name: String) throws -> JSONValue {
        let url = ProtocolFiles.schemasDir.appendingPathComponent("\(name).schema.json")
        return try WireJSON.decode(JSONValue.self, from: Data(contentsOf: url))
    }

    /// The property names a schema declares, nested objects and arrays of objects included.
    static func schemaKeys(_ schema: JSONValue, prefix: String = "") -> Set<String> {
        var keys: Set<String> = []
        for (name, property) in schema["properties"]?.objectValue ?? [:] {
            keys.insert(prefix + name)
            keys.formUnion(schemaKeys(property, prefix: prefix + name + "."))
            if let items = property["items"] { keys.formUnion(schemaKeys(items, prefix: prefix + name + "[].")) }
        }
        return keys
    }

    /// The keys of an encoded value the same way; `metadata`'s own keys are data, not fields.
    static func valueKeys(_ value: JSONValue, prefix: String = "") -> Set<String> {
        var keys: Set<String> = []
        for (name, member) in value.objectValue ?? [:] {
            keys.insert(prefix + name)
            guard name != "metadata" else { continue }
            keys.formUnion(valueKeys(member, prefix: prefix + name + "."))
            for item in member.arrayValue ?? [] { keys.formUnion(valueKeys(item, prefix: prefix + name + "[].")) }
        }
        return keys
    }

    @Test(arguments: filledIn.map(\.schema))
    func swiftKeysAreTheSchemasKeys(schema name: String) throws {
        let value = try #require(Self.filledIn.first { $0.schema == name }).value
        let encoded = try JSONValue(encoding: value)
        let schema = try Self.schema(name)
        #expect(Self.valueKeys(encoded) == Self.schemaKeys(schema), "\(type(of: value)) and \(name).schema.json differ")
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        #expect(required.isSubset(of: Self.valueKeys(encoded)))
    }

    @Test func optionalFieldsAreLeftOutNotNull() throws {
        let bare = ExtractorOutput(
            contentType: "text/plain", text: "t", language: "und", wordCount: 1, sentenceCount: 1,
            contentHash: "sha256:00")
        let json = String(decoding: try WireJSON.encode(bare), as: UTF8.self)
        #expect(
            json == #"{"content_hash":"sha256:00","content_type":"text/plain","dates":[],"entities":[],"#
                + #""language":"und","metadata":{},"sentence_count":1,"text":"t","word_count":1}"#)
    }

    /// The outputs in the golden stage results (what the workers have always sent) decode as the types, and
    /// re-encode to the same JSON but for what the types leave out on purpose (an `author: null`).
    @Test func goldenStageResultsDecodeAsTheirTypes() throws {
        func output(_ file: String) throws -> JSONValue {
            try #require(try WireJSON.decode(StageResult.self, from: ProtocolFiles.example(file)).output)
        }
        let extracted = try output("stage_result.ok.json").decode(as: ExtractorOutput.self)
        #expect(extracted.wordCount == 87 && extracted.author == nil && extracted.metadata.isEmpty)
        #expect(extracted.entities.first == .init(text: "NATO", type: .organization, count: 3))
        let scanned = try output("stage_result.extractor_ocr.json").decode(as: ExtractorOutput.self)
        #expect(scanned.ocr?.engine == "tesseract 5.3.0")
        #expect(try JSONValue(encoding: scanned) == output("stage_result.extractor_ocr.json"))
        let classified = try output("stage_result.classifier.json").decode(as: ClassifierOutput.self)
        #expect(classified.topic == "politics" && classified.topicAbstained == nil)
        #expect(try JSONValue(encoding: classified) == output("stage_result.classifier.json"))
        let summarized = try output("stage_result.summarizer.json").decode(as: SummarizerOutput.self)
        #expect(try JSONValue(encoding: summarized) == output("stage_result.summarizer.json"))
        let stored = try output("stage_result.storage_writer.json").decode(as: StorageOutput.self)
        #expect(stored.outcome == .inserted && stored.documentID == "doc-f878ed922a5efb30")
    }

    static func request(results: [String: JSONValue]) -> StageRequest {
        StageRequest(
            jobID: "job-1", pipeline: "p", stage: "s", attempt: 1, document: Document(content: "raw"),
            results: results)
    }

    @Test func outputOfReadsTheStagesOwnKey() throws {
        let summary = SummarizerOutput(summary: "s", sentences: ["s"], keywords: [], method: "lead")
        let request = Self.request(results: ["summarizer": try JSONValue(encoding: summary)])
        #expect(try request.output(of: SummarizerOutput.self) == summary)
        #expect(try request.output(of: ExtractorOutput.self) == nil, "a stage that did not run reads nil")
        // A pipeline whose summarizing stage has another name says so.
        let renamed = Self.request(results: ["summarizer-de": try JSONValue(encoding: summary)])
        #expect(try renamed.output(of: SummarizerOutput.self) == nil)
        #expect(try renamed.output(of: SummarizerOutput.self, stage: "summarizer-de") == summary)
    }

    @Test func anOutputThatBreaksItsContractSaysWhere() throws {
        let missing = Self.request(results: ["extractor": ["text": "only text"]])
        #expect(throws: StageOutputError(stage: "extractor", detail: "missing field 'content_type'")) {
            try missing.output(of: ExtractorOutput.self)
        }
        let wrongType = Self.request(results: [
            "classifier": [
                "topic": "world", "confidence": "high", "labels": [], "model": "m",
            ]
        ])
        #expect(throws: StageOutputError(stage: "classifier", detail: "wrong type at 'confidence'")) {
            try wrongType.output(of: ClassifierOutput.self)
        }
        var entity = try JSONValue(
            encoding: ExtractorOutput(
                contentType: "text/plain", text: "t", language: "en", wordCount: 1, sentenceCount: 1,
                entities: [.init(text: "Mars", type: .place, count: 1)], contentHash: "sha256:00"))
        if case .object(var members) = entity {
            members["entities"] = [["text": "Mars", "type": "planet", "count": 1]]
            entity = .object(members)
        }
        do {
            _ = try Self.request(results: ["extractor": entity]).output(of: ExtractorOutput.self)
            Issue.record("an unknown entity type decoded")
        } catch {
            #expect(error.detail == "bad value at 'entities.0.type'")
            #expect(
                error.errorBody
                    == ErrorBody(
                        code: .unprocessable, reason: "bad_stage_output",
                        message: error.description, retryable: false))
        }
    }
}
