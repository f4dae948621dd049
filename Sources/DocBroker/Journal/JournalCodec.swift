package import BrokerCore
import DocProtocol
package import Foundation

/// Journal records as bytes: `[length u32 LE][crc32 u32 LE][payload]`, the payload a kind byte and
/// length-prefixed fields. A record is either whole with a matching checksum or it is a torn tail.
///
/// Binary, not JSON: records are written on the broker's hot path (five per document) and the Foundation
/// JSON encoder alone cost more per record than the broker's whole budget per document. Documents and
/// stage outputs are stored as the JSON bytes the broker already holds.
package enum JournalCodec {
    static let headerSize = 8
    /// A record larger than this is not a record but garbage (documents are bounded far below it).
    static let maxPayload = 1 << 30

    private enum Kind: UInt8 { case job = 1, progress = 2, dropped = 3, counters = 4 }

    /// Appends the framed bytes of `record` to `out`.
    package static func append(_ record: JournalRecord, to out: inout Data) {
        out.append(contentsOf: framed(record))
    }

    /// The framed bytes of `record` on their own (the PostgreSQL journal stores each record as a row).
    package static func framed(_ record: JournalRecord) -> [UInt8] {
        // Room for the whole record at once: a document grown into from 256 bytes was copied four times.
        let capacity =
            switch record {
            case .entry(.submitted(let job)), .snapshot(let job):
                job.documentBody.count + job.outputs.reduce(0) { $0 + $1.count } + 1024
            case .entry(.progressed(_, _, let output)): (output?.count ?? 0) + 512
            case .dropped, .counters: 256
            }
        var writer = BinaryWriter(capacity: capacity)
        append(record, to: &writer)
        return writer.bytes
    }

    /// Appends the framed bytes of `record` to `out`: the header's length and checksum are patched in once
    /// the payload is written, so a batch of records is encoded into one buffer with no copies between.
    static func append(_ record: JournalRecord, to out: inout BinaryWriter) {
        let start = out.count
        out.uint32(0)
        out.uint32(0)
        switch record {
        case .entry(.submitted(let job)), .snapshot(let job):
            out.byte(Kind.job.rawValue)
            writeWholeJob(job, to: &out)
        case .entry(.progressed(let progress, let attempt, let output)):
            out.byte(Kind.progress.rawValue)
            writeSmallState(progress, to: &out)
            if let attempt {
                out.byte(1)
                out.lengthPrefixed { writeAttempt(attempt, to: &$0) }
            } else {
                out.byte(0)
            }
            out.optionalBytes(output)
        case .dropped(let jobID):
            out.byte(Kind.dropped.rawValue)
            out.string(jobID)
        case .counters(let counters):
            out.byte(Kind.counters.rawValue)
            out.int(counters.count)
            for (name, value) in counters.sorted(by: { $0.key < $1.key }) {
                out.string(name)
                out.int(value)
            }
        }
        let payload = start + headerSize
        let checksum = out.bytes.withUnsafeBufferPointer {
            CRC32.checksum(UnsafeBufferPointer(rebasing: $0[payload...]))
        }
        out.patch(UInt32(out.count - payload), at: start)
        out.patch(checksum, at: start + 4)
    }

    /// What `read` found: the whole records, where the last of them ends, and any damaged stretches in
    /// between (byte ranges) that whole records follow.
    package struct Scan {
        package var records: [JournalRecord] = []
        var validBytes = 0
        var damaged: [Range<Int>] = []
    }

    /// Reads every whole record of `data`. A record that is not whole (bad checksum, unreadable fields, a
    /// length past the end) is either the torn tail of a crash mid-write — nothing whole follows it, and
    /// `validBytes` ends before it — or damage in the middle of the file (a bad sector, a stray write):
    /// then reading resumes at the next whole record and the stretch between is reported in `damaged`, so
    /// one bad record never costs the records after it.
    package static func read(_ data: Data) -> Scan {
        var scan = Scan()
        var offset = 0
        while data.count - offset >= headerSize {
            if let (record, size) = record(in: data, at: offset) {
                scan.records.append(record)
                offset += size
                scan.validBytes = offset
                continue
            }
            guard let next = nextWholeRecord(in: data, after: offset) else { break }
            scan.damaged.append(offset..<next)
            offset = next
        }
        return scan
    }

    /// The record that starts at `offset`, and its framed size, if it is whole and readable.
    private static func record(in data: Data, at offset: Int) -> (JournalRecord, Int)? {
        guard let length = plausibleLength(in: data, at: offset) else { return nil }
        let start = data.startIndex + offset + headerSize
        let payload = data[start..<(start + length)]
        guard CRC32.checksum(payload) == uint32(in: data, at: offset + 4), let record = decode(payload) else {
            return nil
        }
        return (record, headerSize + length)
    }

    /// The payload length of a header at `offset`, when the header could start a record: the payload fits
    /// in the data and begins with a known kind byte. Cheap, so a resync can try every offset.
    private static func plausibleLength(in data: Data, at offset: Int) -> Int? {
        guard data.count - offset >= headerSize + 1 else { return nil }
        let length = Int(uint32(in: data, at: offset))
        guard length >= 1, length <= maxPayload, data.count - offset - headerSize >= length,
            Kind(rawValue: data[data.startIndex + offset + headerSize]) != nil
        else { return nil }
        return length
    }

    /// The first offset after `offset` where a whole record starts and is followed by the end of the data
    /// or by another plausible header. Requiring the second header keeps the checksum (the costly test) off
    /// all but a handful of the offsets a damaged stretch presents.
    private static func nextWholeRecord(in data: Data, after offset: Int) -> Int? {
        var candidate = offset + 1
        while data.count - candidate >= headerSize + 1 {
            defer { candidate += 1 }
            guard let length = plausibleLength(in: data, at: candidate) else { continue }
            let end = candidate + headerSize + length
            guard end == data.count || plausibleLength(in: data, at: end) != nil else { continue }
            if record(in: data, at: candidate) != nil { return candidate }
        }
        return nil
    }

    private static func uint32(in data: Data, at offset: Int) -> UInt32 {
        var reader = BinaryReader(data[(data.startIndex + offset)..<(data.startIndex + offset + 4)])
        return reader.uint32() ?? 0
    }

    private static func decode(_ payload: Data) -> JournalRecord? {
        var reader = BinaryReader(payload)
        guard let raw = reader.byte(), let kind = Kind(rawValue: raw) else { return nil }
        switch kind {
        case .job:
            return readWholeJob(&reader).map { .snapshot($0) }
        case .progress:
            guard let progress = readSmallState(&reader), let attemptBytes = reader.optionalBytes(),
                let output = reader.optionalBytes()
            else { return nil }
            return .entry(.progressed(progress, attempt: attemptBytes.flatMap(decodeAttempt), output: output))
        case .dropped:
            return reader.string().map { .dropped(jobID: $0) }
        case .counters:
            guard let count = reader.int(), count >= 0 else { return nil }
            var counters: [String: Int] = [:]
            for _ in 0..<count {
                guard let name = reader.string(), let value = reader.int() else { return nil }
                counters[name] = value
            }
            return .counters(counters)
        }
    }

    // MARK: jobs

    private static func writeSmallState(_ progress: JobProgress, to out: inout BinaryWriter) {
        out.string(progress.id)
        out.string(progress.state.rawValue)
        out.int(progress.stageIndex)
        out.int(progress.attempt)
        out.int(progress.attemptsTotal)
        out.optionalDouble(progress.retryAt)
        out.double(progress.updatedAt)
        out.optionalBytes(progress.error.flatMap { try? WireJSON.encode($0) })
    }

    private static func readSmallState(_ reader: inout BinaryReader) -> JobProgress? {
        guard let id = reader.string(), let stateText = reader.string(),
            let state = JobStatus.State(rawValue: stateText),
            let stageIndex = reader.int(), let attempt = reader.int(), let attemptsTotal = reader.int(),
            let retryAt = reader.optionalDouble(), let updatedAt = reader.double(), let error = reader.optionalBytes()
        else { return nil }
        return JobProgress(
            id: id, state: state, stageIndex: stageIndex, attempt: attempt, attemptsTotal: attemptsTotal,
            retryAt: retryAt, updatedAt: updatedAt,
            error: error.flatMap { try? WireJSON.decode(ErrorBody.self, from: $0) })
    }

    private static func writeWholeJob(_ job: Job, to out: inout BinaryWriter) {
        writeSmallState(JobProgress(job), to: &out)
        out.string(job.documentID)
        out.optionalString(job.name)
        out.string(job.pipeline)
        out.int(job.stages.count)
        for stage in job.stages {
            out.string(stage.service)
            out.int(stage.maxAttempts)
            out.int(stage.timeoutMs)
        }
        out.double(job.createdAt)
        out.int(job.contentBytes)
        out.bytes(job.documentBody)
        out.int(job.outputs.count)
        for output in job.outputs { out.bytes(output) }
        out.int(job.history.count)
        for attempt in job.history { out.lengthPrefixed { writeAttempt(attempt, to: &$0) } }
    }

    private static func readWholeJob(_ reader: inout BinaryReader) -> Job? {
        guard let progress = readSmallState(&reader), let documentID = reader.string(),
            let name = reader.optionalString(), let pipeline = reader.string(), let stages = readStages(&reader),
            let createdAt = reader.double(), let contentBytes = reader.int(), let body = reader.bytes(),
            let outputCount = reader.int(), outputCount >= 0
        else { return nil }
        var job = Job(
            id: progress.id, documentID: documentID, name: name, pipeline: pipeline, stages: stages,
            documentBody: body, contentBytes: contentBytes, createdAt: createdAt)
        job.state = progress.state
        job.stageIndex = progress.stageIndex
        job.attempt = progress.attempt
        job.attemptsTotal = progress.attemptsTotal
        job.retryAt = progress.retryAt
        job.updatedAt = progress.updatedAt
        job.error = progress.error
        for _ in 0..<outputCount {
            guard let output = reader.bytes() else { return nil }
            job.outputs.append(output)
        }
        guard let historyCount = reader.int(), historyCount >= 0 else { return nil }
        for _ in 0..<historyCount {
            guard let bytes = reader.bytes(), let attempt = decodeAttempt(bytes) else { return nil }
            job.history.append(attempt)
        }
        return job
    }

    private static func readStages(_ reader: inout BinaryReader) -> [StageDefinition]? {
        guard let count = reader.int(), count >= 0, count <= 10_000 else { return nil }
        var stages: [StageDefinition] = []
        for _ in 0..<count {
            guard let service = reader.string(), let attempts = reader.int(), let timeout = reader.int() else {
                return nil
            }
            stages.append(StageDefinition(service: service, maxAttempts: attempts, timeoutMs: timeout))
        }
        return stages
    }

    private static func writeAttempt(_ attempt: StageAttempt, to out: inout BinaryWriter) {
        out.string(attempt.stage)
        out.int(attempt.attempt)
        out.string(attempt.outcome.rawValue)
        out.optionalBytes(attempt.error.flatMap { try? WireJSON.encode($0) })
        out.double(attempt.at)
        out.optionalString(attempt.worker)
        out.optionalDouble(attempt.durationMs)
    }

    private static func decodeAttempt(_ data: Data) -> StageAttempt? {
        var reader = BinaryReader(data)
        guard let stage = reader.string(), let number = reader.int(), let outcomeText = reader.string(),
            let outcome = StageAttempt.Outcome(rawValue: outcomeText), let error = reader.optionalBytes(),
            let at = reader.double(), let worker = reader.optionalString(), let duration = reader.optionalDouble()
        else { return nil }
        return StageAttempt(
            stage: stage, attempt: number, outcome: outcome,
            error: error.flatMap { try? WireJSON.decode(ErrorBody.self, from: $0) }, at: at,
            worker: worker, durationMs: duration)
    }
}
