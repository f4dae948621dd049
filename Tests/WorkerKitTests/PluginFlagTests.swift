import Foundation
import Testing
import WorkerKit

/// A plugin's own flags (`--model FILE`) go through WorkerKit: taken out before the shared flags are parsed
/// strictly, read from the environment when absent, listed under --help.
struct PluginFlagTests {
    static let model = PluginFlag(
        "model", valueName: "file", help: "A model file.", environment: "DOCPIPE_TEST_UNSET_MODEL")

    @Test func aPluginFlagIsTakenOutAndTheRestParsedStrictly() throws {
        let options = try WorkerOptions.parse(["--model", "m.json", "--liveness", "7"], flags: [Self.model])
        #expect(options.value(of: Self.model) == "m.json")
        #expect(options.liveness == 7)
        let equals = try WorkerOptions.parse(["--model=a.json", "--model=b.json"], flags: [Self.model])
        #expect(equals.value(of: Self.model) == "b.json", "the last value wins")
        #expect(try WorkerOptions.parse([], flags: [Self.model]).value(of: Self.model) == nil)
    }

    @Test func undeclaredFlagsAndMissingValuesAreErrorsWithAMessage() {
        #expect(throws: WorkerOptionsError.self) { try WorkerOptions.parse(["--model", "m.json"]) }
        #expect(throws: WorkerOptionsError("--model needs a value (<file>)")) {
            try WorkerOptions.parse(["--liveness", "3", "--model"], flags: [Self.model])
        }
        do {
            _ = try WorkerOptions.parse(["--concurrency", "0"])
            Issue.record("--concurrency 0 was accepted")
        } catch {
            #expect(error.message.contains("--concurrency must be between 1 and"), "\(error.message)")
        }
    }

    @Test func theEnvironmentVariableIsTheFallback() throws {
        let flag = PluginFlag("colour", help: "A colour.", environment: "DOCPIPE_TEST_COLOUR_\(getpid())")
        setenv(flag.environment!, "blue", 1)
        defer { unsetenv(flag.environment!) }
        #expect(try WorkerOptions.parse([], flags: [flag]).value(of: flag) == "blue")
        #expect(try WorkerOptions.parse(["--colour", "red"], flags: [flag]).value(of: flag) == "red")
        setenv(flag.environment!, "", 1)
        #expect(try WorkerOptions.parse([], flags: [flag]).value(of: flag) == nil, "an empty variable is unset")
    }
}
