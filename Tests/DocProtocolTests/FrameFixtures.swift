import DocProtocol
import Foundation
import Testing

/// Frame-building shorthands shared by the MDP/0.1 and MDP/0.2 codec tests.
func frames(_ parts: Any...) -> [Data] {
    parts.map { part in
        switch part {
        case let text as String: Data(text.utf8)
        case let byte as UInt8: Data([byte])
        case let data as Data: data
        default: fatalError("unsupported frame \(part)")
        }
    }
}

let empty = Data()
let token = Data([0x00, 0x6b, 0x8b, 0x45, 0x67])

/// Expects `decode` to refuse a message as a bad frame whose reason mentions `words`.
func expectBadFrame(
    saying words: String, sourceLocation: SourceLocation, _ decode: () throws -> Void
) {
    let error = #expect(throws: ProtocolError.self, sourceLocation: sourceLocation) { try decode() }
    guard case .badFrame(let why)? = error else {
        Issue.record("expected badFrame, got \(String(describing: error))", sourceLocation: sourceLocation)
        return
    }
    #expect(why.localizedCaseInsensitiveContains(words), "'\(why)' lacks '\(words)'", sourceLocation: sourceLocation)
    #expect(error?.counterName == "bad_frame", sourceLocation: sourceLocation)
}
