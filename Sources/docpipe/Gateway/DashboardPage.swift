import Hummingbird
import NIOCore

/// The dashboard served at `/`: one self-contained page, embedded in the executable.
enum DashboardPage {
    static let html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>docpipe</title></head>
        <body><h1>docpipe gateway</h1><p>The API is under <code>/v1/</code>; see protocol/HTTP.md.</p></body></html>
        """

    static func response() -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
