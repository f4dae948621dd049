public import Foundation

// `docpipe.submit` bodies read straight from their bytes: one validating RawJSON scan per object and the
// few fields the broker checks picked out of it, instead of Foundation's JSONDecoder.
//
// Why: in `make bench`'s pipeline phase the broker spent 8.5 % of its CPU in JSONDecoder on SubmitRequest
// (building a dictionary tree and a String for every member, then the Codable walk), more than routing a
// stage costs; the document bytes are forwarded as they came anyway. The rules stay Codable's: unknown
// members are ignored, optional members may be absent or null, a required one missing, null or of the
// wrong type is refused with its path named (the same wording as `WireJSON.decodeMessage`).

/// One JSON object's members, with typed access that reports what is wrong by path.
struct RawObject {
    let data: Data
    let members: [RawJSON.Member]
    /// The message type, for errors ("SubmitRequest").
    let type: String
    /// Where this object sits in the message ("document", "documents.3"), empty at the top.
    let path: String

    init(_ data: Data, type: String, path: String = "") throws(ProtocolError) {
        self.init(data, members: try RawJSON.objectMembers(data), type: type, path: path)
    }

    /// An object already scanned (its members found by `RawJSON.objectMembers`): read it without scanning again.
    init(_ data: Data, members: [RawJSON.Member], type: String, path: String = "") {
        self.data = data
        self.members = members
        self.type = type
        self.path = path
    }

    /// The same object read as another message type (a submit's form is known only after its members are).
    func named(_ type: String) -> RawObject { RawObject(data, members: members, type: type, path: path) }

    private func place(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func missing(_ key: String) -> ProtocolError { .badBody("\(type): missing field '\(key)'") }
    func wrongType(_ key: String) -> ProtocolError { .badBody("\(type): wrong type at '\(place(key))'") }
    func null(_ key: String) -> ProtocolError { .badBody("\(type): null at '\(place(key))'") }
    func badValue(_ key: String) -> ProtocolError { .badBody("\(type): bad value at '\(place(key))'") }

    /// The bytes of a member's value; nil when the member is absent.
    func value(_ key: String) -> Data? {
        guard let member = members.first(where: { $0.key == key }) else { return nil }
        return data[(data.startIndex + member.value.lowerBound)..<(data.startIndex + member.value.upperBound)]
    }

    /// A member's value when it is present and not null.
    private func present(_ key: String) -> Data? {
        guard let value = value(key), !Self.isNull(value) else { return nil }
        return value
    }

    static func isNull(_ value: Data) -> Bool { value.first == UInt8(ascii: "n") }

    /// This object's bytes when a broker may forward them as a document: its `id` is a string or absent
    /// (then spliced in); nil for an `"id": null`, which would leave two `id` members.
    var forwardable: Data? { value("id").map(Self.isNull) == true ? nil : data }

    func optionalString(_ key: String) throws(ProtocolError) -> String? {
        guard let value = present(key) else { return nil }
        guard value.first == UInt8(ascii: "\""), let text = RawJSON.string(value) else { throw wrongType(key) }
        return text
    }

    func string(_ key: String) throws(ProtocolError) -> String {
        guard let value = value(key) else { throw missing(key) }
        guard !Self.isNull(value) else { throw null(key) }
        guard let text = try optionalString(key) else { throw wrongType(key) }
        return text
    }

    func int(_ key: String) throws(ProtocolError) -> Int {
        guard let value = value(key) else { throw missing(key) }
        guard !Self.isNull(value) else { throw null(key) }
        guard let first = value.first, first == UInt8(ascii: "-") || (0x30...0x39).contains(first) else {
            throw wrongType(key)
        }
        let text = String(decoding: value, as: UTF8.self)
        if let number = Int(text) { return number }
        // As JSONDecoder: a number with a fraction or exponent is an Int only when it is a whole one.
        guard let real = Double(text), real.rounded() == real, abs(real) < 9.2e18 else { throw badValue(key) }
        return Int(real)
    }

    /// A member that must be an object, read as one.
    func object(_ key: String, type: String) throws(ProtocolError) -> RawObject {
        guard let value = value(key) else { throw missing(key) }
        guard !Self.isNull(value) else { throw null(key) }
        guard value.first == UInt8(ascii: "{") else { throw wrongType(key) }
        return try RawObject(value, type: type, path: place(key))
    }

    /// The elements of a member that must be an array, as byte slices.
    func array(_ key: String) throws(ProtocolError) -> [Data] {
        guard let value = value(key) else { throw missing(key) }
        guard !Self.isNull(value) else { throw null(key) }
        guard value.first == UInt8(ascii: "[") else { throw wrongType(key) }
        return try RawJSON.arrayElements(value).map {
            value[(value.startIndex + $0.lowerBound)..<(value.startIndex + $0.upperBound)]
        }
    }
}

extension Document {
    /// Reads a document from its JSON object, as `init(from:)` does.
    init(raw object: RawObject) throws(ProtocolError) {
        v = try object.int("v")
        id = try object.optionalString("id")
        name = try object.optionalString("name")
        contentType = try object.optionalString("content_type")
        switch try object.optionalString("encoding") {
        case nil: encoding = .utf8
        case let text?:
            guard let known = Encoding(rawValue: text) else { throw object.badValue("encoding") }
            encoding = known
        }
        content = try object.string("content")
        metadata = [:]
        if let value = object.value("metadata"), !RawObject.isNull(value) {
            guard value.first == UInt8(ascii: "{") else { throw object.wrongType("metadata") }
            let entries = try object.object("metadata", type: object.type)
            for member in entries.members { metadata[member.key] = try entries.string(member.key) }
        }
    }
}

extension SubmitRequest {
    /// Reads a single-document submit and the bytes of its document object (see `SubmitBody.single`).
    static func read(_ object: RawObject) throws(ProtocolError) -> (SubmitRequest, documentJSON: Data?) {
        let object = object.named("SubmitRequest")
        let document = try object.object("document", type: "SubmitRequest")
        var request = SubmitRequest(
            pipeline: try object.string("pipeline"), document: try Document(raw: document))
        request.v = try object.int("v")
        return (request, document.forwardable)
    }
}

extension SubmitBatchRequest {
    /// Reads a batch submit and the bytes of each document object, in order (see `SubmitBody.batch`).
    static func read(_ object: RawObject) throws(ProtocolError) -> (SubmitBatchRequest, documentJSON: [Data?]) {
        let object = object.named("SubmitBatchRequest")
        let v = try object.int("v")
        let pipeline = try object.string("pipeline")
        let elements = try object.array("documents")
        var documents: [Document] = []
        var forwardable: [Data?] = []
        documents.reserveCapacity(elements.count)
        forwardable.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard element.first == UInt8(ascii: "{") else { throw object.wrongType("documents.\(index)") }
            let document = try RawObject(element, type: "SubmitBatchRequest", path: "documents.\(index)")
            documents.append(try Document(raw: document))
            forwardable.append(document.forwardable)
        }
        var batch = SubmitBatchRequest(pipeline: pipeline, documents: documents)
        batch.v = v
        return (batch, forwardable)
    }
}

extension SubmitReply {
    /// The reply's bytes, written directly: the same as `WireJSON.encode(self)` (keys sorted), without
    /// JSONEncoder, which cost the broker more per submit than reading the request. Written in one piece
    /// (`ByteWriter`).
    public var wireBytes: Data {
        let versionText = String(v)
        return ByteWriter.data { out in
            Self.writeAcceptance(documentID: documentID, jobID: jobID, status: status, closing: false, to: &out)
            out.write(#","v":"#)
            out.writeUTF8(versionText)
            out.write(UInt8(ascii: "}"))
        }
    }

    /// `{"document_id":…,"job_id":…,"status":…}`: a 202's members, as a reply and as a batch entry. Without
    /// the closing brace when `closing` is false (the reply goes on with its version).
    static func writeAcceptance(
        documentID: String, jobID: String, status: StatusCode, closing: Bool, to out: inout ByteWriter
    ) {
        out.write(#"{"document_id":"#)
        out.writeQuoted(documentID)
        out.write(#","job_id":"#)
        out.writeQuoted(jobID)
        out.write(#","status":"#)
        out.writeUTF8(String(status.rawValue))
        if closing { out.write(UInt8(ascii: "}")) }
    }
}

extension SubmitBatchReply {
    /// The reply's bytes as `WireJSON.encode(self)` gives them; written directly when every document was
    /// accepted (the bulk-ingest case), through JSONEncoder otherwise.
    public func wireBytes() throws -> Data {
        var accepted: [(jobID: String, documentID: String)] = []
        accepted.reserveCapacity(jobs.count)
        for entry in jobs {
            guard case .accepted(let jobID, let documentID) = entry else { return try WireJSON.encode(self) }
            accepted.append((jobID, documentID))
        }
        let statusText = String(status.rawValue)
        let versionText = String(v)
        return ByteWriter.data { out in
            out.write(#"{"jobs":["#)
            for (index, entry) in accepted.enumerated() {
                if index > 0 { out.write(UInt8(ascii: ",")) }
                SubmitReply.writeAcceptance(
                    documentID: entry.documentID, jobID: entry.jobID, status: .accepted, closing: true, to: &out)
            }
            out.write(#"],"status":"#)
            out.writeUTF8(statusText)
            out.write(#","v":"#)
            out.writeUTF8(versionText)
            out.write(UInt8(ascii: "}"))
        }
    }
}
