import DocProtocol
import Foundation
import Testing

/// `docpipe language` and `docpipe summarize`, run as the real executable on files and standard input.
@Suite(.serialized)
struct TextToolsCLITests {
    static let docpipe = TestPaths.executable("docpipe")

    /// Runs docpipe with `input` on its standard input (through a file and the shell).
    func withInput(_ input: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("input.txt")
        try input.write(to: file, atomically: true, encoding: .utf8)
        let quoted = ([Self.docpipe.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try runCommand(URL(fileURLWithPath: "/bin/sh"), ["-c", "\(quoted) < '\(file.path)'"], timeout: 30)
    }

    func lines(_ output: String) throws -> [JSONValue] {
        try output.split(separator: "\n").map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
    }

    @Test(.timeLimit(.minutes(1)))
    func languageOfFilesAndLines() throws {
        let status = try runCommand(Self.docpipe, ["language", "--status", "--json"], timeout: 30)
        let installed = try JSONDecoder().decode(JSONValue.self, from: Data(status.output.utf8))
        #expect((installed["languages"]?.arrayValue?.count ?? 0) >= 50, "profiles not installed: \(status.output)")

        let text = """
            Die Bundesregierung will die Förderung für Wärmepumpen im kommenden Jahr deutlich ausweiten.
            Le conseil municipal a voté mardi soir un budget en hausse pour les écoles de la ville.
            Правительство объявило о новых мерах поддержки малого бизнеса в регионах страны.
            OK
            """
        let result = try withInput(text, ["language", "--lines", "--json"])
        #expect(result.status == 0, "\(result.errors)")
        let guesses = try lines(result.output).map { $0["language"]?.stringValue }
        #expect(guesses == ["de", "fr", "ru", "und"])

        let nothing = try runCommand(Self.docpipe, ["language"], timeout: 30)
        #expect(nothing.status != 0)
        #expect(nothing.errors.contains("--lines"), "\(nothing.errors)")
    }

    @Test(.timeLimit(.minutes(1)))
    func summarizeJSONLinesAndFiles() throws {
        let article =
            "Solar power output reached a record this summer across the national grid. "
            + "Grid operators said the record solar output covered most daytime demand in the summer. "
            + "Battery storage now keeps solar power on the grid after sunset. The weather was pleasant."
        let input =
            try jsonLine(["id": "a", "text": article]) + "\n" + (try jsonLine(["text": "One short sentence here."]))
        let result = try withInput(input, ["summarize", "--jsonl", "--sentences", "1"])
        #expect(result.status == 0, "\(result.errors)")
        let rows = try lines(result.output)
        #expect(rows.count == 2)
        #expect(rows.first?["id"] == "a")
        let summary = try #require(rows.first?["summary"]?.stringValue)
        #expect(!summary.isEmpty && article.contains(summary))
        #expect(rows.last?["id"] == "2") // the line number when the input has no id

        let broken = try withInput(input + "\n{not json}\n", ["summarize", "--jsonl"])
        #expect(broken.status != 0)
        #expect(broken.errors.contains("line 3"), "\(broken.errors)")

        let seed = try runCommand(
            Self.docpipe, ["summarize", TestPaths.seed.path, "--ratio", "0.1", "--json"], timeout: 30)
        #expect(seed.status == 0, "\(seed.errors)")
        let sentences = try #require(try lines(seed.output).first?["sentences"]?.arrayValue)
        #expect((1...3).contains(sentences.count))
    }

    private func jsonLine(_ object: [String: String]) throws -> String {
        String(decoding: try JSONEncoder().encode(object), as: UTF8.self)
    }
}
