import DocProtocol
import Foundation

/// `plugins/<name>/plugin.json`: what a plugin provides (its MDP service and the output it adds), what it
/// needs from earlier stages, and how to start it — so `docpipe up` can run it and `docpipe plugins` can
/// list it without knowing the language it is written in.
///
/// ```json
/// { "name": "readability", "service": "readability", "version": "0.1.0",
///   "description": "Flesch reading ease and grade level", "language": "python",
///   "command": ["python3", "readability.py"], "needs": ["extractor.text"], "concurrency": 1,
///   "output": { "type": "object", "required": ["flesch_reading_ease"], "properties": { … } } }
/// ```
struct PluginManifest: Codable, Equatable {
    /// The plugin's name (usually its folder's name); `docpipe up --only NAME=N` uses it.
    var name: String
    /// The MDP service its workers register for; a pipeline stage names it.
    var service: String
    var version: String
    var description: String
    /// Informative: swift, python, …
    var language: String?
    /// argv to start one worker, run in the plugin's folder; docpipe appends `--broker EP --data DIR
    /// --log-level L` (and `--heartbeat-ms` when given). A first word with a `/` is a path relative to
    /// the folder; `docpipe-…` is looked up next to `docpipe`, then on PATH; anything else on PATH.
    var command: [String]
    /// Fields of earlier stages' results it reads, as `stage.field` (e.g. `extractor.text`).
    var needs: [String]
    /// JSON Schema (draft 2020-12) of the output object it adds under `results[service]`.
    var output: JSONValue?
    /// How many workers `docpipe up` starts when the config does not say.
    var concurrency: Int

    init(name: String, service: String, version: String = "0.1.0", description: String, language: String?,
         command: [String], needs: [String] = [], output: JSONValue? = nil, concurrency: Int = 1) {
        self.name = name
        self.service = service
        self.version = version
        self.description = description
        self.language = language
        self.command = command
        self.needs = needs
        self.output = output
        self.concurrency = concurrency
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        service = try container.decode(String.self, forKey: .service)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? service
        version = try container.decodeIfPresent(String.self, forKey: .version) ?? "0.0.0"
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        language = try container.decodeIfPresent(String.self, forKey: .language)
        command = try container.decode([String].self, forKey: .command)
        needs = try container.decodeIfPresent([String].self, forKey: .needs) ?? []
        output = try container.decodeIfPresent(JSONValue.self, forKey: .output)
        concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency) ?? 1
    }

    /// What makes a manifest unusable, in words an author can act on; empty when it is fine.
    var problems: [String] {
        var problems: [String] = []
        if service.isEmpty { problems.append("'service' is empty") }
        if ServiceName.isReserved(service) { problems.append("service '\(service)' is reserved (mmi.*, docpipe.*)") }
        if service.contains(where: { $0.isWhitespace }) { problems.append("service '\(service)' contains spaces") }
        if command.isEmpty || command[0].isEmpty { problems.append("'command' is empty") }
        if concurrency < 1 { problems.append("'concurrency' must be at least 1") }
        if let output, output.objectValue == nil { problems.append("'output' must be a JSON Schema object") }
        return problems
    }

    static func load(_ url: URL) throws -> PluginManifest {
        let data = try Data(contentsOf: url)
        let manifest: PluginManifest
        do {
            manifest = try JSONDecoder().decode(PluginManifest.self, from: data)
        } catch let error as DecodingError {
            throw CLIError("\(url.path): not a plugin manifest: \(Self.explain(error))")
        }
        if let problem = manifest.problems.first { throw CLIError("\(url.path): \(problem)") }
        return manifest
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "\(error)"
        }
    }
}
