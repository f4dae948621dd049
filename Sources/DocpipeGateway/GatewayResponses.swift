package import DocClient
package import DocProtocol
package import DocStore
package import DocStorePostgres
package import Foundation
package import HTTPTypes
package import Hummingbird
package import NIOCore
package import OperatorViews

/// How the gateway answers: JSON bodies, and errors in the broker's `ErrorReply` shape.
extension GatewayServer {
    package static func json(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) throws
        -> Response
    {
        rawJSON(status, try GatewayJSON.encode(value), headers: headers)
    }

    /// A broker reply's JSON as an answer, reshaped as the CLI prints it.
    package static func brokerJSON(_ status: HTTPResponse.Status, _ wire: Data) throws -> Response {
        rawJSON(status, try GatewayJSON.reshape(wire))
    }

    package static func rawJSON(_ status: HTTPResponse.Status, _ data: Data, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    package static func problem(
        _ status: HTTPResponse.Status, _ reason: String, _ message: String,
        retryAfterMs: Int? = nil, headers: HTTPFields = [:]
    ) throws -> Response {
        var fields = headers
        if let retryAfterMs { fields[.retryAfter] = SubmitOutcome.retryAfterSeconds(retryAfterMs) }
        return try json(
            status,
            ErrorReply(
                status: StatusCode(status.code), reason: reason, message: message,
                retryAfterMs: retryAfterMs), headers: fields)
    }

    /// An error from a handler as an answer: the broker's own refusals keep their status and reason.
    package func response(for error: any Error) throws -> Response {
        switch error {
        case ClientError.refused(let reply):
            return try Self.problem(
                .init(code: reply.status.rawValue), reply.reason, reply.message,
                retryAfterMs: reply.retryAfterMs)
        case ClientError.timeout:
            return try Self.problem(
                .serviceUnavailable, "broker_unreachable",
                "the broker at \(settings.broker) did not answer: \(error)", retryAfterMs: 1_000)
        case ClientError.badReply(let why):
            return try Self.problem(.badGateway, "bad_broker_reply", why)
        case let refusal as UploadParser.Refusal:
            return try Self.problem(.badRequest, "bad_upload", refusal.message)
        case let error as StoreUnavailable:
            return try Self.problem(.serviceUnavailable, "store_unavailable", error.message, retryAfterMs: 5_000)
        case is NIOTooManyBytesError:
            return try Self.problem(
                .contentTooLarge, "too_large",
                "the body is over the gateway's limit of \(settings.maxBodyBytes) bytes (--max-body-mb)")
        case let error as HTTPError where error.status == .contentTooLarge:
            return try Self.problem(
                .contentTooLarge, "too_large",
                "the body is over the gateway's limit of \(settings.maxBodyBytes) bytes (--max-body-mb)")
        case let error as HTTPError:
            return try Self.problem(error.status, "bad_request", error.body ?? error.status.reasonPhrase)
        default:
            logger.error("request failed: \(error)")
            return try Self.problem(.internalServerError, "internal", "\(error)")
        }
    }
}

/// Encodes HTTP bodies with the CLI's `--json` rules (`CLIJSON`): snake_case keys, ISO-8601 UTC timestamps,
/// nested objects, so `curl …/v1/jobs/ID` and `docpipe job ID --json` print the same document.
package enum GatewayJSON {
    package static func encode(_ value: some Encodable) throws -> Data {
        try CLIJSON.encode(value, pretty: false)
    }

    /// For bodies with no timestamps in them: the same output formatting, without the reshaping pass.
    package static let plain: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A broker reply passed on: its wire timestamps become ISO-8601 as the CLI prints them.
    package static func reshape(_ wire: Data) throws -> Data {
        try encode(try JSONDecoder().decode(JSONValue.self, from: wire))
    }
}

/// The answer to `POST /v1/documents`, from what the broker said about each file. Pure.
///
/// One raw document: 202 with `{job_id, document_id, filename}`, or the broker's refusal as the answer
/// (503 busy with `Retry-After`, 413, 400 …). Several (multipart): 202 with every file's entry, accepted or
/// refused, when at least one was accepted; when none was, the first refusal's status, with every entry.
package struct SubmitOutcome {
    package struct Entry: Encodable, Equatable {
        package var filename: String?
        package var jobID: String?
        package var documentID: String?
        package var error: ErrorReply?

        package enum CodingKeys: String, CodingKey {
            case filename, error
            case jobID = "job_id"
            case documentID = "document_id"
        }

        package init(filename: String? = nil, jobID: String? = nil, documentID: String? = nil, error: ErrorReply? = nil)
        {
            self.filename = filename
            self.jobID = jobID
            self.documentID = documentID
            self.error = error
        }
    }

    package struct Many: Encodable, Equatable {
        package var accepted: Int
        package var refused: Int
        package var jobs: [Entry]
    }

    package enum Body: Encodable, Equatable {
        case one(Entry)
        case refusal(ErrorReply)
        case many(Many)

        package func encode(to encoder: any Encoder) throws {
            switch self {
            case .one(let entry): try entry.encode(to: encoder)
            case .refusal(let error): try error.encode(to: encoder)
            case .many(let many): try many.encode(to: encoder)
            }
        }
    }

    package var status: HTTPResponse.Status
    package var body: Body
    /// `Retry-After` in seconds when the answer is 503.
    package var retryAfter: String?

    package init(files: [UploadedFile], entries: [SubmitBatchReply.Entry]) {
        let rows = zip(files, entries).map { file, entry in
            switch entry {
            case .accepted(let jobID, let documentID):
                Entry(filename: file.filename, jobID: jobID, documentID: documentID)
            case .refused(let error):
                Entry(filename: file.filename, error: error)
            }
        }
        let firstRefusal = rows.compactMap(\.error).first
        let accepted = rows.filter { $0.jobID != nil }.count
        if files.count == 1, let only = rows.first {
            if let error = only.error {
                status = .init(code: error.status.rawValue)
                body = .refusal(error)
            } else {
                status = .accepted
                body = .one(only)
            }
        } else {
            status = accepted > 0 ? .accepted : .init(code: firstRefusal?.status.rawValue ?? 500)
            body = .many(Many(accepted: accepted, refused: rows.count - accepted, jobs: rows))
        }
        retryAfter =
            status == .serviceUnavailable
            ? Self.retryAfterSeconds(rows.compactMap(\.error?.retryAfterMs).max() ?? 1_000) : nil
    }

    /// HTTP's `Retry-After` is whole seconds: round up, at least 1.
    package static func retryAfterSeconds(_ milliseconds: Int) -> String { String(max(1, (milliseconds + 999) / 1000)) }
}

package struct StoreUnavailable: Error {
    package var message: String
}

/// The store, opened read-only on first use and kept: the gateway may start before any document was
/// stored (a SQLite file that does not exist yet), so a failed open is tried again on the next request.
package actor StoreHandle {
    /// Nil where no route reads the store (`docpipe metrics --listen`).
    package let location: StoreLocation?
    private var opened: (any DocumentStore)?

    package init(location: StoreLocation?) { self.location = location }

    func open() async throws -> any DocumentStore {
        if let opened { return opened }
        guard let location else { throw StoreUnavailable(message: "this server reads no store") }
        do {
            let store = try await StoreOpener.open(location, readOnly: true)
            opened = store
            return store
        } catch {
            throw StoreUnavailable(message: "the store cannot be opened: \(error)")
        }
    }

    package func close() async {
        await opened?.close()
        opened = nil
    }
}
