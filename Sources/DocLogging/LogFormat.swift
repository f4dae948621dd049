public import Logging

/// How a docpipe process writes its logs to stderr: `text` for people, `json` (one object a line) for machines.
public enum LogFormat: String, CaseIterable, Sendable {
    case text, json

    /// Installs the process-wide swift-log backend. Call once, before the first `Logger` is made.
    public static func bootstrap(level name: String, format: LogFormat) {
        let level = Logger.Level(rawValue: name) ?? .info
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
