package import DocProtocol
package import Foundation
package import Hummingbird
package import NIOCore

/// The dashboard served at `/`: one self-contained page (markup, style and script are string constants
/// compiled into the executable), which polls the JSON API for what `docpipe top` shows.
///
/// Nothing is loaded from elsewhere, and the Content-Security-Policy says so to the browser: only this
/// page's own script and style (by hash) run, and it may talk to this gateway only.
package enum DashboardPage {
    package static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>docpipe dashboard</title>
        <link rel="icon" href="data:,">
        <style>\(style)</style>
        </head>
        <body>
        \(markup)
        <script>\(script)</script>
        </body>
        </html>
        """

    package static let contentSecurityPolicy = [
        "default-src 'none'",
        "script-src '\(hashSource(script))'",
        "style-src '\(hashSource(style))'",
        "connect-src 'self'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// A CSP hash source, `sha256-BASE64`, for an inline element's exact text.
    package static func hashSource(_ text: String) -> String {
        let hex = ContentHash.sha256(Data(text.utf8)).dropFirst("sha256:".count)
        var bytes = Data()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return "sha256-" + bytes.base64EncodedString()
    }

    package static func response() -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
                .contentSecurityPolicy: contentSecurityPolicy, .xContentTypeOptions: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
