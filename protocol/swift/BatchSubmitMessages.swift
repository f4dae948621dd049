public import Foundation

/// Body of a batch `docpipe.submit` request: many documents for one pipeline, each becoming its own job.
///
/// A separate type rather than an optional array on `SubmitRequest`, so that a single submission keeps a
/// document that is always there; `SubmitBody` tells the two forms apart on the wire.
public struct SubmitBatchRequest: Codable, Sendable, Equatable {
    /// The most documents one request may carry; more is answered 413 `too_large`.
    public static let maxDocuments = 1000

    public var v: Int
    public var pipeline: String
    public var documents: [Document]

    public init(pipeline: String = "default", documents: [Document]) {
        self.v = ProtocolVersion.current
        self.pipeline = pipeline
        self.documents = documents
    }
}

/// A `docpipe.submit` body: one document or a batch, told apart by whether it has `document` or `documents`.
///
/// Each form carries the bytes of its document objects as received (`documentJSON`): the broker forwards
/// those to the stages instead of encoding the decoded documents again. When present they were validated
/// and have an `id` member only if it is the document's `id` string, so the broker takes them as they are
/// or splices its id in without reading them again (`DocumentBytes.insertingID`); nil (an `"id": null`)
/// means encode the decoded document instead.
public enum SubmitBody: Sendable, Equatable {
    case single(SubmitRequest, documentJSON: Data?)
    /// `documentJSON[i]` belongs to `documents[i]`.
    case batch(SubmitBatchRequest, documentJSON: [Data?])

    /// Decodes either form, or says with the ErrorReply to send back why not: 400 `bad_json` for a field
    /// missing or of the wrong type, 400 `bad_request` for both or neither of `document` and `documents`
    /// or an empty batch, 413 `too_large` for more than `SubmitBatchRequest.maxDocuments` documents.
    public static func decode(_ data: Data) throws(ErrorReply) -> SubmitBody {
        // One validating scan finds the members; the form's fields are read from their bytes
        // (SubmitBodyReader.swift says why not JSONDecoder).
        let body: RawObject
        do throws(ProtocolError) {
            guard !data.isEmpty else { throw .badBody("empty body, expected a JSON SubmitRequest object") }
            body = try RawObject(data, type: "SubmitRequest")
        } catch {
            throw ErrorReply(status: .badRequest, reason: "bad_json", message: error.description)
        }
        switch (body.value("document") != nil, body.value("documents") != nil) {
        case (true, true):
            throw ErrorReply(
                status: .badRequest, reason: "bad_request",
                message: "SubmitRequest: send either 'document' or 'documents', not both")
        case (false, false):
            throw ErrorReply(
                status: .badRequest, reason: "bad_json",
                message: "SubmitRequest: missing field 'document'")
        case (true, false):
            do throws(ProtocolError) {
                let (request, documentJSON) = try SubmitRequest.read(body)
                return .single(request, documentJSON: documentJSON)
            } catch {
                throw ErrorReply(status: .badRequest, reason: "bad_json", message: error.description)
            }
        case (false, true):
            let batch: SubmitBatchRequest
            let documentJSON: [Data?]
            do throws(ProtocolError) {
                (batch, documentJSON) = try SubmitBatchRequest.read(body)
            } catch {
                throw ErrorReply(status: .badRequest, reason: "bad_json", message: error.description)
            }
            guard !batch.documents.isEmpty else {
                throw ErrorReply(
                    status: .badRequest, reason: "bad_request",
                    message: "SubmitBatchRequest: 'documents' is empty; send at least one document")
            }
            guard batch.documents.count <= SubmitBatchRequest.maxDocuments else {
                throw ErrorReply(
                    status: .tooLarge, reason: "too_large",
                    message: "SubmitBatchRequest: \(batch.documents.count) documents; "
                        + "the limit is \(SubmitBatchRequest.maxDocuments) a request")
            }
            return .batch(batch, documentJSON: documentJSON)
        }
    }
}

/// Reply to a batch `docpipe.submit`: one entry per document, in the order they were sent.
///
/// `status` is 202 when every document was accepted and 207 otherwise. A batch in which no document was
/// accepted and every refusal is the same is answered with that ErrorReply instead (see `summarizing`).
public struct SubmitBatchReply: Codable, Sendable, Equatable {
    /// What became of one document: journalled as a job (202), or refused with the error a single
    /// submission of it would have had.
    public enum Entry: Codable, Sendable, Equatable {
        case accepted(jobID: String, documentID: String)
        case refused(ErrorReply)

        /// The refusal, or nil for an accepted document.
        public var error: ErrorReply? {
            if case .refused(let error) = self { return error }
            return nil
        }

        enum CodingKeys: String, CodingKey {
            case status, reason, message
            case jobID = "job_id"
            case documentID = "document_id"
            case retryAfterMs = "retry_after_ms"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let status = try container.decode(StatusCode.self, forKey: .status)
            if status == .accepted {
                self = .accepted(
                    jobID: try container.decode(String.self, forKey: .jobID),
                    documentID: try container.decode(String.self, forKey: .documentID))
            } else {
                self = .refused(
                    ErrorReply(
                        status: status, reason: try container.decode(String.self, forKey: .reason),
                        message: try container.decode(String.self, forKey: .message),
                        retryAfterMs: try container.decodeIfPresent(Int.self, forKey: .retryAfterMs)))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .accepted(let jobID, let documentID):
                try container.encode(StatusCode.accepted, forKey: .status)
                try container.encode(jobID, forKey: .jobID)
                try container.encode(documentID, forKey: .documentID)
            case .refused(let error):
                try container.encode(error.status, forKey: .status)
                try container.encode(error.reason, forKey: .reason)
                try container.encode(error.message, forKey: .message)
                try container.encodeIfPresent(error.retryAfterMs, forKey: .retryAfterMs)
            }
        }
    }

    public var v: Int
    public var status: StatusCode
    public var jobs: [Entry]

    /// A reply whose status follows from its entries: 202 if all were accepted, else 207.
    public init(jobs: [Entry]) {
        self.v = ProtocolVersion.current
        self.status = jobs.allSatisfy { $0.error == nil } ? .accepted : .multiStatus
        self.jobs = jobs
    }

    /// The answer to a batch: this reply, or, when no document was accepted and every refusal has the same
    /// status and reason, that one ErrorReply, so a client sees "busy" or "unknown pipeline" as it would
    /// for a single document.
    public static func summarizing(_ jobs: [Entry]) -> Result<SubmitBatchReply, ErrorReply> {
        let refusals = jobs.compactMap(\.error)
        guard let first = refusals.first, refusals.count == jobs.count,
            refusals.allSatisfy({ $0.status == first.status && $0.reason == first.reason })
        else { return .success(SubmitBatchReply(jobs: jobs)) }
        let message = jobs.count == 1 ? first.message : "all \(jobs.count) documents refused: \(first.message)"
        return .failure(
            ErrorReply(
                status: first.status, reason: first.reason, message: message,
                retryAfterMs: refusals.compactMap(\.retryAfterMs).max()))
    }
}
