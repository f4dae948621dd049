public import DocProtocol
import Foundation

/// Converts between Swift output structs and the snake_case JSON objects stages exchange.
///
/// The wire uses snake_case (`word_count`) so that plugins in any language read naturally; Swift code
/// keeps its camelCase names and passes through here. For the built-in stages' outputs, which have
/// types of their own in DocProtocol (`ExtractorOutput` and the rest), see the overloads below.
public enum StageOutput {
    /// A Swift value as a snake_case JSON object (`wordCount` → `word_count`).
    public static func encode(_ value: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
    }

    /// A stage's JSON output (e.g. `request.results["readability"]`) as a Swift value, snake_case → camelCase.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: JSONEncoder().encode(value))
    }

    /// A built-in stage's contract type spells its snake_case keys out, which a key strategy would mangle
    /// on the way in (`content_type` is looked up as `contentType`), so these go through `WireJSON` as is.
    /// Prefer `request.output(of:)` and `JSONValue(encoding:)`; these overloads keep `StageOutput` safe to
    /// call with them.
    public static func encode(_ value: some StageOutputContract) throws -> JSONValue {
        try JSONValue(encoding: value)
    }

    public static func decode<T: StageOutputContract>(_ type: T.Type, from value: JSONValue) throws -> T {
        try value.decode(as: type)
    }
}
