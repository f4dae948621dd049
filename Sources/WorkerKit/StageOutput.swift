public import DocProtocol
import Foundation

/// Converts between Swift output structs and the snake_case JSON objects stages exchange.
///
/// The wire uses snake_case (`word_count`) so that plugins in any language read naturally; Swift code
/// keeps its camelCase names and passes through here.
public enum StageOutput {
    /// A Swift value as a snake_case JSON object (`wordCount` → `word_count`).
    public static func encode(_ value: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
    }

    /// A stage's JSON output (e.g. `request.results["extractor"]`) as a Swift value, snake_case → camelCase.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: JSONEncoder().encode(value))
    }
}
