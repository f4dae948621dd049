package import DocProtocol
package import Foundation

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
package struct PluginManifest: Codable, Equatable {
    /// The plugin's name (usually its folder's name); `docpipe up --only NAME=N` uses it.
    package var name: String
    /// The MDP service its workers register for; a pipeline stage names it.
    package var service: String
    package var version: String
    package var description: String
    /// Informative: swift, python, …
    package var language: String?
    /// argv to start one worker, run in the plugin's folder; docpipe appends `--broker EP --data DIR
    /// --log-level L` (and `--heartbeat-ms` when given). A first word with a `/` is a path relative to
    /// the folder; `docpipe-…` is looked up next to `docpipe`, then on PATH; anything else on PATH.
    package var command: [String]
    /// Fields of earlier stages' results it reads, as `stage.field` (e.g. `extractor.text`).
    package var needs: [String]
    /// JSON Schema (draft 2020-12) of the output object it adds under `results[service]`, written inline.
    package var output: JSONValue?
    /// Or the path of that schema's file, relative to the plugin's folder (`output_schema` in the file): the
    /// built-in plugins point at protocol/schemas/*_output.schema.json, the schemas of DocProtocol's stage
    /// output types, rather than keep a copy that could drift. At most one of the two.
    package var outputSchema: String?
    /// How many workers `docpipe up` starts when the config does not say.
    package var concurrency: Int

    package init(
        name: String, service: String, version: String = "0.1.0", description: String, language: String?,
        command: [String], needs: [String] = [], output: JSONValue? = nil, concurrency: Int = 1
    ) {
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

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        service = try container.decode(String.self, forKey: .service)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? service
        version = try container.decodeIfPresent(String.self, forKey: .version) ?? "0.0.0"
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        language = try container.decodeIfPresent(String.self, forKey: .language)
        command = try container.decode([String].self, forKey: .command)
        needs = try container.decodeIfPresent([String].self, forKey: .needs) ?? []
        output = try container.decodeIfPresent(JSONValue.self, forKey: .output)
        outputSchema = try container.decodeIfPresent(String.self, forKey: .outputSchema)
        concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency) ?? 1
    }

    /// What makes a manifest unusable, in words an author can act on; empty when it is fine.
    package var problems: [String] {
        var problems: [String] = []
        if service.isEmpty { problems.append("'service' is empty") }
        if ServiceName.isReserved(service) { problems.append("service '\(service)' is reserved (mmi.*, docpipe.*)") }
        if service.contains(where: { $0.isWhitespace }) { problems.append("service '\(service)' contains spaces") }
        if command.isEmpty || command[0].isEmpty { problems.append("'command' is empty") }
        if concurrency < 1 { problems.append("'concurrency' must be at least 1") }
        if let output, output.objectValue == nil { problems.append("'output' must be a JSON Schema object") }
        if output != nil, outputSchema != nil { problems.append("give 'output' or 'output_schema', not both") }
        if outputSchema?.isEmpty == true { problems.append("'output_schema' is empty") }
        return problems
    }

    enum CodingKeys: String, CodingKey {
        case name, service, version, description, language, command, needs, output, concurrency
        case outputSchema = "output_schema"
    }

    /// The file `output_schema` names, resolved against the plugin's folder; nil without one.
    package func outputSchemaFile(folder: URL) -> URL? {
        guard let outputSchema else { return nil }
        if outputSchema.hasPrefix("/") { return URL(fileURLWithPath: outputSchema) }
        return folder.appendingPathComponent(outputSchema).standardizedFileURL
    }

    package static func load(_ url: URL) throws -> PluginManifest {
        let data = try Data(contentsOf: url)
        let manifest: PluginManifest
        do {
            manifest = try JSONDecoder().decode(PluginManifest.self, from: data)
        } catch let error as DecodingError {
            throw PluginToolingError("\(url.path): not a plugin manifest: \(Self.explain(error))")
        }
        if let problem = manifest.problems.first { throw PluginToolingError("\(url.path): \(problem)") }
        if let schema = manifest.outputSchemaFile(folder: url.deletingLastPathComponent()),
            !FileManager.default.fileExists(atPath: schema.path)
        {
            throw PluginToolingError("\(url.path): 'output_schema' names \(schema.path), which does not exist")
        }
        return manifest
    }

    package func encoded() throws -> Data {
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

/// A plugin manifest, catalogue or scaffold problem; the CLI prints it as one line and exits non-zero.
package struct PluginToolingError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
