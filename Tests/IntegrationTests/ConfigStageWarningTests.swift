import Foundation
import PluginTooling
import Testing

/// A pipeline stage naming a service nothing provides is a warning at broker start, with where it is.
@Suite(.serialized)
struct ConfigStageWarningTests {
    @Test func aStageNoWorkerProvidesIsNamedWithItsLineAndColumn() {
        let text = """
            {"pipelines": {
              "news": {"stages": ["extractor", "extractr", "storage-writer"]},
              "ocr": {"stages": [{"service": "tesseract-worker"}]}
            }}
            """
        let warnings = PluginPipelineCheck.configWarnings(
            pipelines: ["news": ["extractor", "extractr", "storage-writer"], "ocr": ["tesseract-worker"]],
            provided: ["readability"], configText: text, path: "config.json")
        #expect(warnings.count == 2)
        #expect(warnings[0].hasPrefix("config.json:2:36: pipeline 'news' has stage 'extractr'"), "\(warnings[0])")
        #expect(
            warnings[1].hasPrefix("config.json:3:34: pipeline 'ocr' has stage 'tesseract-worker'"), "\(warnings[1])")
        #expect(
            PluginPipelineCheck.configWarnings(
                pipelines: ["p": ["readability", "classifier"]],
                provided: ["readability"], configText: "", path: "c"
            ).isEmpty)
    }

    @Test func theBrokerWarnsAtStartAndServesAnyway() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try cluster.writeBrokerConfig(#"{"pipelines": {"default": {"stages": ["extractor", "sumarizer"]}}}"#)
        let broker = try cluster.startBroker()
        try cluster.waitUntil("the broker answers", timeout: 30) { try cluster.status().workers == 0 }
        #expect(broker.log.contains("config.json:1:52: pipeline 'default' has stage 'sumarizer'"), "\(broker.log)")
        #expect(!broker.log.contains("stage 'extractor'"))
    }
}
