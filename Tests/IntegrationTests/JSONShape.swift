import DocProtocol
import Foundation

/// The rules every `--json` output keeps (README "JSON output"), as a checker that walks any JSON value and
/// names each place that breaks one: keys in snake_case, timestamps as ISO-8601 UTC strings ending in `Z`,
/// no timestamp as a number, no JSON object or array hidden in a string.
enum JSONShape {
    /// Objects whose keys are names chosen by people (stages, pipelines, counters, a document's own metadata),
    /// not field names; their values are still checked.
    static let namedMaps: Set<String> = ["results", "pipelines", "counters", "metadata"]

    static func violations(in value: JSONValue, at path: String = "$", keysAreNames: Bool = false) -> [String] {
        switch value {
        case .object(let members):
            return members.keys.sorted().flatMap { key -> [String] in
                let member = members[key]!
                let place = "\(path).\(key)"
                var found: [String] = []
                if !keysAreNames, !isSnakeCase(key) { found.append("\(place): key is not snake_case") }
                if !keysAreNames, isTimestampKey(key), case .number = member {
                    found.append("\(place): timestamp is a number, not an ISO-8601 string")
                }
                return found + violations(in: member, at: place, keysAreNames: !keysAreNames && namedMaps.contains(key))
            }
        case .array(let items):
            return items.enumerated().flatMap { violations(in: $1, at: "\(path)[\($0)]") }
        case .string(let text):
            var found: [String] = []
            if looksLikeTimestamp(text), !isISOUTC(text) {
                found.append("\(path): time \"\(text)\" is not ISO-8601 UTC with Z")
            }
            if holdsJSON(text) { found.append("\(path): a JSON object or array inside a string") }
            return found
        default:
            return []
        }
    }

    static func isSnakeCase(_ key: String) -> Bool {
        key.range(of: #"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"#, options: .regularExpression) != nil
    }

    static func isTimestampKey(_ key: String) -> Bool {
        key == "at" || key.hasSuffix("_at") || key.hasSuffix("_since")
    }

    /// A date with a time of day; dates alone (`2025-06`, `1997`) are what a text mentions, not timestamps.
    static func looksLikeTimestamp(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"#, options: .regularExpression) != nil
    }

    static func isISOUTC(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"#, options: .regularExpression) != nil
    }

    static func holdsJSON(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = trimmed.first, first == "{" || first == "[" else { return false }
        return (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) != nil
    }

    /// One JSON document, or NDJSON (one per line); throws when the text is neither.
    static func documents(_ output: String) throws -> [JSONValue] {
        if let one = try? JSONDecoder().decode(JSONValue.self, from: Data(output.utf8)) { return [one] }
        let lines = output.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { throw TestFailure("no JSON in the output") }
        return try lines.map { line in
            do {
                return try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
            } catch {
                throw TestFailure("not JSON: \(line.prefix(200))")
            }
        }
    }

    /// The wire form of a CLI output: ISO-8601 timestamps back to Unix seconds, so a test can decode a
    /// `docpipe job --json` into the protocol's `JobStatus`.
    static func unixTimestamps(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var converted: [String: JSONValue] = [:]
            for (key, member) in members {
                if isTimestampKey(key), case .string(let text) = member, isISOUTC(text),
                    let date = ISO8601DateFormatter().date(from: text)
                {
                    converted[key] = .number(date.timeIntervalSince1970)
                } else {
                    converted[key] = unixTimestamps(member)
                }
            }
            return .object(converted)
        case .array(let items):
            return .array(items.map(unixTimestamps))
        default:
            return value
        }
    }

    /// Decodes a protocol type from what a `docpipe … --json` printed.
    static func decodeWire<T: Decodable>(_ type: T.Type, from output: String) throws -> T {
        let tree = try JSONDecoder().decode(JSONValue.self, from: Data(output.utf8))
        return try unixTimestamps(tree).decode(as: type)
    }
}
