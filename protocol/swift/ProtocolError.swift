/// Why bytes from a peer could not be understood. Each case names what to fix.
public enum ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The frames are not an MDP message (wrong header, missing frames, unknown command).
    case badFrame(String)
    /// The frames are MDP but the JSON body is not the message it should be.
    case badBody(String)

    public var description: String {
        switch self {
        case .badFrame(let why): "bad frame: \(why)"
        case .badBody(let why): "bad body: \(why)"
        }
    }

    /// The counter this error is recorded under in `docpipe status`.
    public var counterName: String {
        switch self {
        case .badFrame: "bad_frame"
        case .badBody: "bad_body"
        }
    }
}
