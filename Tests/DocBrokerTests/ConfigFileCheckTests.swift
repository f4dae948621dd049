import BrokerCore
import Foundation
import Testing

@testable import DocBroker

/// config.json mistakes are errors that say where: unknown keys (with the likely intended one), wrong
/// types and broken JSON, each with its line and column.
@Suite struct ConfigFileCheckTests {
    static func load(_ text: String) throws -> BrokerConfigFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).json")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try BrokerConfigFile.load(path: path)
    }

    static func message(_ text: String) -> String {
        do {
            _ = try load(text)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func aValidFileLoadsWithEveryKnownKey() throws {
        let file = try Self.load(
            """
            {"pipelines": {"quick": {"stages": ["extractor", {"service": "storage-writer", "max_attempts": 5, "timeout_ms": 1000}]}},
             "heartbeat_ms": 1000, "liveness": 3, "journal": "postgres://db/docpipe", "retention_s": 60,
             "store": "sqlite:/var/lib/docpipe/store.sqlite"}
            """)
        #expect(file.heartbeatMs == 1000 && file.journal == "postgres://db/docpipe")
    }

    @Test func anUnknownKeyIsAnErrorThatSaysWhereAndWhatWasMeant() {
        let top = Self.message("{\n  \"pipelines\": {},\n  \"heartbeat\": 100\n}\n")
        #expect(
            top.contains("line 3, column 3: unknown key 'heartbeat' at the top level (did you mean 'heartbeat_ms'?)"),
            "\(top)")
        let stage = Self.message(#"{"pipelines": {"x": {"stages": [{"service": "a", "max_attempt": 2}]}}}"#)
        #expect(
            stage.contains(
                "line 1, column 50: unknown key 'max_attempt' in a stage of pipeline 'x' (did you mean 'max_attempts'?)"
            ),
            "\(stage)")
        let pipeline = Self.message(#"{"pipelines": {"x": {"stage": ["a"]}}}"#)
        #expect(pipeline.contains("unknown key 'stage' in pipeline 'x'"), "\(pipeline)")
    }

    @Test func wrongTypesAndBrokenJSONSayWhere() {
        let type = Self.message("{\n  \"heartbeat_ms\": \"fast\"\n}\n")
        #expect(
            type.contains("line 2, column 3: .heartbeat_ms: Expected to decode Int64 but found a string"), "\(type)")
        let broken = Self.message("{\n  \"heartbeat_ms\": 100,\n  \"liveness\": 3,,\n}\n")
        #expect(broken.contains("line 3, column 17: not valid JSON"), "\(broken)")
    }
}
