/// `--listen HOST:PORT` as `docpipe gateway` and `docpipe metrics --listen` take it.
package enum GatewayListen {
    /// `HOST:PORT`, `[v6]:PORT` or `:PORT` (all interfaces); nil when it is none of those or the port is out of range.
    package static func parse(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
