package import Foundation
package import MultipartKit
package import NIOCore

/// What `POST /v1/documents` carried: one document per file.
package struct UploadedFile: Equatable {
    package var filename: String?
    package var contentType: String?
    package var bytes: Data

    package init(filename: String? = nil, contentType: String? = nil, bytes: Data) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// Turns a `POST /v1/documents` body into files: the raw body is one document (its `Content-Type`, and
/// the name from `X-Docpipe-Filename`), a `multipart/form-data` body is one document per part that has a
/// body (form fields without a filename included: a client posting text from a form gets it processed).
/// Pure: bytes in, files out; the HTTP layer enforces the size limit before this runs.
package enum UploadParser {
    package struct Refusal: Error, Equatable, CustomStringConvertible {
        package var message: String
        package var description: String { message }
    }

    package static func files(contentType: String?, filename: String?, body: ByteBuffer) throws -> [UploadedFile] {
        let type = contentType.map(MediaType.init(header:))
        guard let type, type.essence == "multipart/form-data" else {
            guard body.readableBytes > 0 else {
                throw Refusal(
                    message: "the body is empty: send the document's bytes, or multipart/form-data with files")
            }
            return [
                UploadedFile(
                    filename: filename.flatMap(cleanName), contentType: contentType.map(plainType),
                    bytes: Data(body.readableBytesView))
            ]
        }
        guard let boundary = type.parameters["boundary"], !boundary.isEmpty else {
            throw Refusal(message: "multipart/form-data without a boundary parameter")
        }
        return try multipart(body, boundary: boundary)
    }

    private static func multipart(_ body: ByteBuffer, boundary: String) throws -> [UploadedFile] {
        let parser = MultipartParser(boundary: boundary)
        var files: [UploadedFile] = []
        var headers: [String: String] = [:]
        var content = ByteBuffer()
        var inPart = false
        parser.onHeader = { name, value in
            inPart = true
            headers[name.lowercased()] = value
        }
        parser.onBody = { chunk in
            inPart = true
            content.writeBuffer(&chunk)
        }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"].map(MediaType.init(header:))
            if content.readableBytes > 0 {
                files.append(
                    UploadedFile(
                        filename: (disposition?.parameters["filename"] ?? disposition?.parameters["name"]).flatMap(
                            cleanName),
                        contentType: headers["content-type"].map(plainType),
                        bytes: Data(content.readableBytesView)))
            }
            headers = [:]
            content.clear()
            inPart = false
        }
        do {
            try parser.execute(body)
        } catch {
            throw Refusal(message: "the multipart body cannot be read (\(error)); is the boundary right?")
        }
        guard !inPart else { throw Refusal(message: "the multipart body ends inside a part (truncated upload?)") }
        guard !files.isEmpty else { throw Refusal(message: "the multipart body has no file with content") }
        return files
    }

    /// A filename as a document name: the last path component, no control characters, at most 255 bytes.
    package static func cleanName(_ raw: String) -> String? {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }.map(Character.init))
        guard !clean.isEmpty, clean != ".", clean != ".." else { return nil }
        return String(clean.utf8.prefix(255)) ?? clean
    }

    /// `text/html; charset=utf-8` → `text/html`: the broker's documents carry the media type alone.
    package static func plainType(_ header: String) -> String { MediaType(header: header).essence }
}

/// A `type/subtype; key=value; key="quoted value"` header, read leniently.
package struct MediaType: Equatable {
    package var essence: String
    package var parameters: [String: String]

    package init(header: String) {
        var pieces = Self.split(header)
        essence = pieces.isEmpty ? "" : pieces.removeFirst().trimmingCharacters(in: .whitespaces).lowercased()
        var parameters: [String: String] = [:]
        for piece in pieces {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            parameters[key] = value
        }
        self.parameters = parameters
    }

    /// Splits on `;` outside double quotes (a filename may contain one).
    private static func split(_ header: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in header {
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                pieces.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        pieces.append(current)
        return pieces
    }
}
