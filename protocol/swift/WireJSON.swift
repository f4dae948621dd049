public import Foundation

/// The one place that turns protocol messages into bytes and back.
///
/// Keys are written sorted so that the same message is always the same bytes (golden tests,
/// content hashes and journal rows depend on that).
public enum WireJSON {
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }

    /// Decodes a message body, turning any failure into a `ProtocolError` that says what was wrong.
    public static func decodeMessage<T: Decodable>(_ type: T.Type, from data: Data) throws(ProtocolError) -> T {
        guard !data.isEmpty else { throw .badBody("empty body, expected a JSON \(type) object") }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw .badBody("\(type): missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .badBody("\(type): wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .badBody("\(type): null at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .badBody(path.isEmpty ? "body is not valid JSON" : "\(type): bad value at '\(path)'")
        } catch {
            throw .badBody("\(type): \(error)")
        }
    }
}
