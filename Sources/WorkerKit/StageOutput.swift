public import DocProtocol
import Foundation

/// Converts between Swift output structs and the snake_case JSON objects stages exchange.
///
/// The wire uses snake_case (`word_count`) so that plugins in any language read naturally; Swift code
/// keeps its camelCase names and passes through here.
public enum StageOutput {
    public static func encode(_ value: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: JSONEncoder().encode(value))
    }
}
