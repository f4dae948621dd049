public import Foundation

/// The broker's byte-level views of the stage messages: a `StageRequest` assembled from bytes it already
/// holds (the document as encoded once at submit, each earlier stage's output as its worker sent it), and
/// a `StageResult` read in one validating pass without building a tree of its output.
///
/// The bytes are what `WireJSON.encode(StageRequest)` would give for the same values (keys sorted), except
/// that stage outputs keep their workers' own key order and spacing: they are forwarded, not re-encoded.
public enum StageRequestBytes {
    /// `results` are (stage service, raw JSON output) pairs; the caller gives each stage once.
    ///
    /// Written into one `Data` of its exact size (`ByteWriter`): one allocation and one copy of the document
    /// per stage request.
    public static func assemble(
        jobID: String, pipeline: String, stage: String, attempt: Int, document: Data, results: [(String, Data)]
    ) -> Data {
        // Keys are sorted; a pipeline's stages usually are already, so most requests sort nothing.
        let inOrder = zip(results, results.dropFirst()).allSatisfy { $0.0 < $1.0 }
        let ordered = inOrder ? results : results.sorted { $0.0 < $1.0 }
        let attemptText = String(attempt)
        let versionText = String(ProtocolVersion.current)
        return ByteWriter.data { out in
            out.write(#"{"attempt":"#)
            out.writeUTF8(attemptText)
            out.write(#","document":"#)
            out.write(document)
            out.write(#","job_id":"#)
            out.writeQuoted(jobID)
            out.write(#","pipeline":"#)
            out.writeQuoted(pipeline)
            out.write(#","results":{"#)
            for (index, (name, output)) in ordered.enumerated() {
                if index > 0 { out.write(UInt8(ascii: ",")) }
                out.writeQuoted(name)
                out.write(UInt8(ascii: ":"))
                out.write(output)
            }
            out.write(#"},"stage":"#)
            out.writeQuoted(stage)
            out.write(#","v":"#)
            out.writeUTF8(versionText)
            out.write(UInt8(ascii: "}"))
        }
    }
}

/// A `StageResult` as the broker needs it: the outcome and the output's bytes, validated but not parsed.
public struct RawStageResult: Sendable, Equatable {
    public var jobID: String
    public var stage: String
    public var status: StageResult.Outcome
    /// The `output` value exactly as the worker sent it; nil when absent or null.
    public var output: Data?
    public var error: ErrorBody?
    public var durationMs: Double?
    public var worker: String?

    /// Reads a StageResult body with the same rules as decoding `StageResult`: `v`, `job_id`, `stage` and
    /// `status` are required, types are checked, unknown fields are ignored, and the whole body must be JSON.
    public static func parse(_ body: Data) throws(ProtocolError) -> RawStageResult {
        let members = try RawJSON.objectMembers(body)
        var jobID: String?
        var stage: String?
        var status: StageResult.Outcome?
        var sawVersion = false
        var result = RawStageResult(jobID: "", stage: "", status: .ok)
        for member in members {
            let value = body[body.startIndex + member.value.lowerBound..<body.startIndex + member.value.upperBound]
            let isNull = value.first == UInt8(ascii: "n")
            switch member.key {
            case "v":
                guard Int(String(decoding: value, as: UTF8.self)) != nil else { throw wrongType("v") }
                sawVersion = true
            case "job_id":
                guard let text = RawJSON.string(value) else { throw wrongType("job_id") }
                jobID = text
            case "stage":
                guard let text = RawJSON.string(value) else { throw wrongType("stage") }
                stage = text
            case "status":
                guard let text = RawJSON.string(value), let outcome = StageResult.Outcome(rawValue: text) else {
                    throw .badBody("StageResult: bad value at 'status'")
                }
                status = outcome
            case "output":
                if !isNull { result.output = Data(value) }
            case "error":
                if !isNull {
                    do {
                        result.error = try JSONDecoder().decode(ErrorBody.self, from: Data(value))
                    } catch {
                        throw .badBody("StageResult: bad value at 'error'")
                    }
                }
            case "duration_ms":
                if !isNull {
                    guard let number = Double(String(decoding: value, as: UTF8.self)) else {
                        throw wrongType("duration_ms")
                    }
                    result.durationMs = number
                }
            case "worker":
                if !isNull {
                    guard let text = RawJSON.string(value) else { throw wrongType("worker") }
                    result.worker = text
                }
            default:
                continue
            }
        }
        guard sawVersion else { throw .badBody("StageResult: missing field 'v'") }
        guard let jobID else { throw .badBody("StageResult: missing field 'job_id'") }
        guard let stage else { throw .badBody("StageResult: missing field 'stage'") }
        guard let status else { throw .badBody("StageResult: missing field 'status'") }
        result.jobID = jobID
        result.stage = stage
        result.status = status
        return result
    }

    private static func wrongType(_ key: String) -> ProtocolError { .badBody("StageResult: wrong type at '\(key)'") }
}

/// A submitted document's JSON object as the broker forwards it: the bytes the client sent, with the
/// broker-assigned `id` written in when the client gave none.
public enum DocumentBytes {
    /// `json` (one JSON object, already validated) carrying `id`: as it is when it has an `id` member that
    /// is that string, with `"id":…` spliced in after its `{` when it has no `id` member at all. Nil when
    /// neither holds (an `"id": null`, say): then the caller encodes the decoded document instead.
    public static func withID(_ json: Data, id: String) -> Data? {
        guard let members = try? RawJSON.objectMembers(json) else { return nil }
        let base = json.startIndex
        if let member = members.first(where: { $0.key == "id" }) {
            let literal = json[(base + member.value.lowerBound)..<(base + member.value.upperBound)]
            guard RawJSON.string(Data(literal)) == id else { return nil }
            return Data(json)
        }
        return insertingID(json, id: id)
    }

    /// `json` (one JSON object with no `id` member, already validated) with `"id":…` spliced in after its
    /// `{`, without scanning it again.
    public static func insertingID(_ json: Data, id: String) -> Data? {
        guard let brace = json.firstIndex(of: UInt8(ascii: "{")) else { return nil }
        let rest = json[(brace + 1)...]
        let empty = rest.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "}")
        // Written once into memory of exactly its new size (a `Data` grown by appends may keep spare capacity,
        // and a queued document lives as long as its job).
        return ByteWriter.data { out in
            out.write(#"{"id":"#)
            out.writeQuoted(id)
            if !empty { out.write(UInt8(ascii: ",")) }
            out.write(rest)
        }
    }
}
