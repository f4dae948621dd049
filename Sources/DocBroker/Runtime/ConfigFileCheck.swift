import BrokerCore
import Foundation

/// Checks `config.json` beyond what decoding does: a key docpipe does not know is an error (a typo such as
/// `"heartbeat"` for `"heartbeat_ms"` would otherwise be ignored in silence), and every error says where
/// in the file it is, by line and column.
enum ConfigFileCheck {
    static let stageKeys = ["service", "max_attempts", "timeout_ms"]

    /// Throws for the first unknown key, naming it, its place, and the keys that are known there.
    static func unknownKeys(in data: Data, path: String, topLevel: [String]) throws {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        let text = String(decoding: data, as: UTF8.self)
        func fail(_ key: String, _ known: [String], _ place: String) throws -> Never {
            let hint = closest(to: key, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            throw PipelineConfigError(
                description: "\(path)\(position(of: key, in: text)): unknown key '\(key)' "
                    + "\(place)\(hint); known keys: \(known.joined(separator: ", "))")
        }
        for key in root.keys.sorted() where !topLevel.contains(key) { try fail(key, topLevel, "at the top level") }
        for (name, value) in (root["pipelines"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let pipeline = value as? [String: Any] else { continue }
            for key in pipeline.keys.sorted() where key != "stages" {
                try fail(key, ["stages"], "in pipeline '\(name)'")
            }
            for stage in pipeline["stages"] as? [Any] ?? [] {
                guard let stage = stage as? [String: Any] else { continue }
                for key in stage.keys.sorted() where !stageKeys.contains(key) {
                    try fail(key, stageKeys, "in a stage of pipeline '\(name)'")
                }
            }
        }
    }

    /// The error of a failed decode, with the line and column of the key it concerns when there is one.
    static func describe(_ error: any Error, in data: Data, path: String) -> String {
        let text = String(decoding: data, as: UTF8.self)
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.keyNotFound(_, let context):
            let key = context.codingPath.last(where: { $0.intValue == nil })?.stringValue
            let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "\(path)\(key.map { position(of: $0, in: text) } ?? ""): \(field.isEmpty ? "" : "\(field): ")"
                + context.debugDescription
        case DecodingError.dataCorrupted(let context):
            // JSONDecoder does not say where; JSONSerialization does ("… around character 41.").
            do {
                _ = try JSONSerialization.jsonObject(with: data)
            } catch {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
                return "\(path)\(characterPosition(in: detail, text: text)): not valid JSON: \(detail)"
            }
            return "\(path): \(context.debugDescription)"
        default:
            return "\(path): \(error)"
        }
    }

    /// ` line L, column C` for a message that names "character N" (a UTF-8 offset), or nothing.
    static func characterPosition(in message: String, text: String) -> String {
        guard let range = message.range(of: "character "),
            let offset = Int(message[range.upperBound...].prefix(while: \.isNumber))
        else { return "" }
        let before = Array(text.utf8.prefix(offset))
        let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let column = before.count - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        return " line \(line), column \(column)"
    }

    /// ` line L, column C` of the first `"key"` followed by a colon, or nothing when it is not found.
    static func position(of key: String, in text: String) -> String {
        let quoted = "\"\(key)\""
        var searchStart = text.startIndex
        while let range = text.range(of: quoted, range: searchStart..<text.endIndex) {
            let rest = text[range.upperBound...].drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            if rest.first == ":" {
                let before = text[..<range.lowerBound]
                let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                let column =
                    before.distance(
                        from: before.lastIndex(of: "\n").map { before.index(after: $0) }
                            ?? before.startIndex, to: before.endIndex) + 1
                return " line \(line), column \(column)"
            }
            searchStart = range.upperBound
        }
        return ""
    }

    /// The known key nearest to `key` (edit distance at most a third of its length, or a prefix match).
    static func closest(to key: String, in known: [String]) -> String? {
        let scored = known.map { ($0, distance(key, $0)) }.filter { candidate in
            candidate.1 <= max(2, key.count / 3) || candidate.0.hasPrefix(key) || key.hasPrefix(candidate.0)
        }
        return scored.min { $0.1 < $1.1 }?.0
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
