public import Foundation
public import Logging

/// A swift-log handler that writes one JSON object per line to stderr:
/// `{"ts":"…","level":"info","label":"docpipe.broker","message":"…","metadata":{"job_id":"…","stage":"…"}}`.
///
/// Log shippers (journald, Loki, Vector, Fluent Bit) parse a line as a record without a regex, and the
/// metadata a caller attaches — job id and stage on every line about a document — become searchable fields.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// A handler writing to standard error; `write` is replaceable so tests can capture lines.
    public init(
        label: String, metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        write(
            Self.line(
                ts: Date(), level: event.level, label: label, message: "\(event.message)",
                metadata: merged, source: event.source))
    }

    /// The JSON text of one record (no trailing newline). Keys come in a fixed order so lines diff well.
    public static func line(
        ts: Date, level: Logger.Level, label: String, message: String,
        metadata: Logger.Metadata, source: String? = nil
    ) -> String {
        var out =
            "{\"ts\":" + quoted(timestamp(ts)) + ",\"level\":" + quoted(level.rawValue)
            + ",\"label\":" + quoted(label) + ",\"message\":" + quoted(message)
        if let source, !source.isEmpty { out += ",\"source\":" + quoted(source) }
        if !metadata.isEmpty {
            out += ",\"metadata\":" + object(metadata)
        }
        return out + "}"
    }

    @Sendable public static func standardError(_ line: String) {
        // One write(2) per record: lines from several threads never interleave mid-line.
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    private static func object(_ metadata: Logger.Metadata) -> String {
        "{"
            + metadata.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + value($0.value) }
            .joined(separator: ",") + "}"
    }

    private static func value(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): quoted(string)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let items): "[" + items.map { Self.value($0) }.joined(separator: ",") + "]"
        case .dictionary(let dictionary): object(dictionary)
        }
    }

    private static func timestamp(_ date: Date) -> String {
        // ISO 8601 with milliseconds, UTC: sortable and what every log shipper parses.
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let millis = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }

    /// A JSON string literal; control characters are escaped so a record is always one line.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
