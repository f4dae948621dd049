package import DocProtocol
package import Foundation

/// The one shape of every `--json` output: snake_case keys, sorted; timestamps as ISO-8601 UTC strings
/// (`2026-12-02T07:45:00Z`); nested objects as objects, never as JSON text inside a string.
///
/// The wire protocol keeps its timestamps as Unix seconds (numbers named `at`, `*_at` or `*_since`, see
/// protocol/SPEC.md) and is not changed here: a wire message printed by the CLI goes through
/// ``isoTimestamps(_:)`` on its way out, so `docpipe job --json` and `docpipe show --json` agree.
package enum CLIJSON {
    /// Pretty for a person at a terminal (`printJSON`), one line for NDJSON streams (`jsonLine`).
    package static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return encoder
    }

    /// Reads what ``encode(_:pretty:)`` wrote (the CLI's own view types, in tests and scripts).
    package static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseTimestamp(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not an ISO-8601 UTC time: \(text)")
            }
            return date
        }
        return decoder
    }

    package static func encode(_ value: some Encodable, pretty: Bool) throws -> Data {
        let encoder = encoder(pretty: pretty)
        let tree = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
        return try encoder.encode(isoTimestamps(tree))
    }

    /// `2026-12-02T07:45:00Z`: whole seconds (what `jq`'s `fromdateiso8601` reads), always UTC.
    package static func timestamp(_ date: Date) -> String {
        var seconds = time_t(floor(date.timeIntervalSince1970))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    package static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard text.hasSuffix("Z") else { return nil }
        return formatter.date(from: text)
    }

    /// True for the names the wire protocol gives timestamps: `at`, `created_at`, `role_since`…
    /// Durations are named `*_s` / `*_ms` and are left alone.
    package static func isTimestampKey(_ key: String) -> Bool {
        key == "at" || key.hasSuffix("_at") || key.hasSuffix("_since")
    }

    /// Every number under a timestamp key, at any depth, becomes an ISO-8601 UTC string.
    package static func isoTimestamps(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var converted: [String: JSONValue] = [:]
            for (key, member) in members {
                if isTimestampKey(key), case .number(let seconds) = member {
                    converted[key] = .string(timestamp(Date(timeIntervalSince1970: seconds)))
                } else {
                    converted[key] = isoTimestamps(member)
                }
            }
            return .object(converted)
        case .array(let items):
            return .array(items.map(isoTimestamps))
        default:
            return value
        }
    }
}

package func printJSON(_ value: some Encodable) throws {
    print(String(decoding: try CLIJSON.encode(value, pretty: true), as: UTF8.self))
}

/// One compact JSON object on one line (NDJSON), for streamed and per-input output.
package func jsonLine(_ value: some Encodable) throws -> String {
    String(decoding: try CLIJSON.encode(value, pretty: false), as: UTF8.self)
}

package func printJSONLine(_ value: some Encodable) throws { print(try jsonLine(value)) }
