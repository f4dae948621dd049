import BrokerCore
import DocProtocol
import Foundation
import Testing

@testable import DocBroker

/// The log journal on real files in temp folders: what goes in comes back, a torn tail is cut off,
/// compaction keeps live work and drops finished work, and a second broker is refused.
@Suite struct JournalTests {
    static let stages = [StageDefinition(service: "a"), StageDefinition(service: "b")]

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("docpipe-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func job(_ id: String, content: String = "some text", at time: Double = 1000) -> Job {
        Job(
            id: id, pipeline: "p", document: Document(id: "doc-\(id)", name: "\(id).txt", content: content),
            stages: stages, createdAt: time)
    }

    /// Appends and waits (bounded) until the writer says it is durable.
    static func appendDurably(_ journal: LogJournal, _ records: [JournalRecord]) throws {
        let sequence = journal.append(records)
        let deadline = Date().addingTimeInterval(10)
        while journal.durableSequence < sequence {
            guard Date() < deadline else { throw JournalError(message: "journal did not become durable in 10 s") }
            Thread.sleep(forTimeInterval: 0.002)
        }
    }

    /// A job after its first stage succeeded: output kept, attempt recorded.
    static func advanced(_ job: Job, output: String, at time: Double) -> (Job, StageAttempt) {
        var next = job
        let attempt = StageAttempt(stage: "a", attempt: 1, outcome: .ok, at: time, worker: "w1", durationMs: 1.5)
        next.record(attempt)
        next.outputs = [Data(output.utf8)]
        next.stageIndex = 1
        next.attemptsTotal = 2
        next.updatedAt = time
        return (next, attempt)
    }

    @Test func recoveryGivesBackEveryJobWithItsOutputsHistoryAndCounters() throws {
        let path = try Self.folder().appendingPathComponent("journal.log").path
        let first = Self.job("j1")
        let (moved, attempt) = Self.advanced(first, output: #"{"text":"é \"quoted\""}"#, at: 1001)
        var failed = Self.job("j2")
        failed.state = .failed
        failed.error = ErrorBody(code: StatusCode(422), reason: "unreadable_document", message: "no text")
        do {
            let journal = try LogJournal(path: path)
            #expect(try journal.recover().jobs.isEmpty)
            try Self.appendDurably(journal, [.entry(.submitted(first)), .entry(.submitted(Self.job("j2")))])
            try Self.appendDurably(
                journal,
                [
                    .entry(.progressed(JobProgress(moved), attempt: attempt, output: moved.outputs[0])),
                    .entry(.progressed(JobProgress(failed), attempt: nil, output: nil)), .counters(["accepted": 2]),
                ])
            journal.close()
        }
        let reopened = try LogJournal(path: path)
        defer { reopened.close() }
        let contents = try reopened.recover()
        #expect(contents.tornBytes == 0)
        #expect(contents.counters == ["accepted": 2])
        #expect(contents.jobs.map(\.id) == ["j1", "j2"])
        let back = contents.jobs[0]
        #expect(back == moved)
        #expect(back.document?.content == "some text")
        #expect(back.results["a"] == ["text": "é \"quoted\""])
        #expect(contents.jobs[1].state == .failed)
        #expect(contents.jobs[1].error == failed.error)
        #expect(contents.jobs[1].documentBody == failed.documentBody, "a dead letter keeps its document for retry")
    }

    @Test func aDoneJobDropsItsBodiesButKeepsItsMetadata() throws {
        let path = try Self.folder().appendingPathComponent("journal.log").path
        var (done, attempt) = Self.advanced(Self.job("j1"), output: "{}", at: 1001)
        done.stageIndex = 2
        done.state = .done
        do {
            let journal = try LogJournal(path: path)
            _ = try journal.recover()
            try Self.appendDurably(
                journal,
                [
                    .entry(.submitted(Self.job("j1"))),
                    .entry(.progressed(JobProgress(done), attempt: attempt, output: Data("{}".utf8))),
                ])
            journal.close()
        }
        let reopened = try LogJournal(path: path)
        defer { reopened.close() }
        let job = try #require(try reopened.recover().jobs.first)
        #expect(job.state == .done)
        #expect(job.documentBody.isEmpty)
        #expect(job.outputs.isEmpty)
        #expect(job.name == "j1.txt")
        #expect(job.history.count == 1)
    }

    @Test func aTornTailIsCutOffAndWritingGoesOnAfterTheLastWholeRecord() throws {
        let path = try Self.folder().appendingPathComponent("journal.log").path
        do {
            let journal = try LogJournal(path: path)
            _ = try journal.recover()
            try Self.appendDurably(journal, [.entry(.submitted(Self.job("j1")))])
            journal.close()
        }
        // A crash in the middle of the next write: half of a record's bytes reach the file.
        var partial = Data()
        JournalCodec.append(.entry(.submitted(Self.job("j2"))), to: &partial)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(partial.prefix(partial.count / 2))
        try handle.close()

        do {
            let journal = try LogJournal(path: path)
            let contents = try journal.recover()
            #expect(contents.jobs.map(\.id) == ["j1"])
            #expect(contents.tornBytes == partial.count / 2)
            try Self.appendDurably(journal, [.entry(.submitted(Self.job("j3")))])
            journal.close()
        }
        let last = try LogJournal(path: path)
        defer { last.close() }
        let contents = try last.recover()
        #expect(contents.jobs.map(\.id) == ["j1", "j3"])
        #expect(contents.tornBytes == 0)
    }

    @Test func aCorruptedRecordEndsTheReadingThere() throws {
        var bytes = Data()
        JournalCodec.append(.entry(.submitted(Self.job("j1"))), to: &bytes)
        let firstLength = bytes.count
        JournalCodec.append(.entry(.submitted(Self.job("j2"))), to: &bytes)
        bytes[firstLength + 20] ^= 0xFF
        let scan = JournalCodec.read(bytes)
        let (records, valid) = (scan.records, scan.validBytes)
        #expect(records.count == 1)
        #expect(valid == firstLength)
    }

    @Test(arguments: ["payload", "length"])
    func aDamagedRecordBetweenWholeOnesIsSetAsideAndTheRestRecovered(_ damage: String) throws {
        let path = try Self.folder().appendingPathComponent("journal.log").path
        do {
            let journal = try LogJournal(path: path)
            _ = try journal.recover()
            for id in ["j1", "j2", "j3"] { try Self.appendDurably(journal, [.entry(.submitted(Self.job(id)))]) }
            journal.close()
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var first = Data()
        JournalCodec.append(.entry(.submitted(Self.job("j1"))), to: &first)
        // In j2's record: a byte of its document, or the high byte of its length (a length past the end).
        bytes[first.count + (damage == "payload" ? 40 : 3)] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: path))

        do {
            let journal = try LogJournal(path: path)
            let contents = try journal.recover()
            #expect(contents.jobs.map(\.id) == ["j1", "j3"], "the record after the damaged one is not lost")
            #expect(contents.quarantined.count == 1)
            #expect(contents.quarantined.first?.offset == first.count)
            #expect(contents.tornBytes == 0)
            let quarantine = try String(contentsOfFile: journal.quarantinePath, encoding: .isoLatin1)
            #expect(quarantine.hasPrefix("# docpipe journal quarantine:"))
            // The journal keeps working after it.
            try Self.appendDurably(journal, [.entry(.submitted(Self.job("j4")))])
            journal.close()
        }
        // The damage was written out of the log: the next start finds nothing to set aside.
        let again = try LogJournal(path: path)
        defer { again.close() }
        let contents = try again.recover()
        #expect(contents.jobs.map(\.id) == ["j1", "j3", "j4"])
        #expect(contents.quarantined.isEmpty)
    }

    @Test func compactionKeepsLiveJobsAndDropsDoneOnesPastRetention() throws {
        let path = try Self.folder().appendingPathComponent("journal.log").path
        let content = String(repeating: "x", count: 2_000)
        let now = Date().timeIntervalSince1970
        let settings = LogJournal.Settings(compactAfterBytes: 64 << 10, retentionSeconds: 3600, keepFinished: 10)
        let journal = try LogJournal(path: path, settings: settings)
        _ = try journal.recover()
        // 200 jobs: 100 done long ago, 90 done recently, 10 unfinished.
        for index in 0..<200 {
            let time = index < 100 ? now - 7200 : now
            let job = Self.job("j\(index)", content: content, at: time)
            var records: [JournalRecord] = [.entry(.submitted(job))]
            if index < 190 {
                var done = job
                done.stageIndex = 2
                done.state = .done
                done.updatedAt = time
                records.append(.entry(.progressed(JobProgress(done), attempt: nil, output: Data("{}".utf8))))
            }
            try Self.appendDurably(journal, records)
        }
        journal.close()
        #expect(journal.compactions >= 1, "the writer compacted on its own once the file grew")
        // Once more with the writer stopped, so the result does not depend on when the last one ran.
        try journal.compact()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 64 << 10, "the file shrank to its live content")

        let reopened = try LogJournal(path: path)
        defer { reopened.close() }
        let jobs = try reopened.recover().jobs
        let unfinished = jobs.filter { !$0.isFinished }
        #expect(Set(unfinished.map(\.id)) == Set((190..<200).map { "j\($0)" }))
        #expect(unfinished.allSatisfy { $0.document?.content == content })
        let done = jobs.filter { $0.state == .done }
        #expect(done.count == 10, "done jobs past retention are gone, recent ones bounded by keepFinished")
        #expect(done.allSatisfy { $0.updatedAt >= now - 3600 })
    }

    @Test func compactionWritesWhatTheRecordsAddUpToOnce() throws {
        let path = try Self.folder().appendingPathComponent("journal.log").path
        let journal = try LogJournal(path: path)
        _ = try journal.recover()
        let first = Self.job("j1")
        var done = first
        done.stageIndex = 2
        done.state = .done
        done.updatedAt = Date().timeIntervalSince1970
        let (moved, attempt) = Self.advanced(Self.job("j2"), output: "{\"n\":1}", at: 1001)
        try Self.appendDurably(journal, [.entry(.submitted(first)), .entry(.submitted(Self.job("j2")))])
        try Self.appendDurably(
            journal,
            [
                .entry(.progressed(JobProgress(done), attempt: nil, output: Data("{}".utf8))),
                .entry(.progressed(JobProgress(moved), attempt: attempt, output: moved.outputs[0])),
            ])
        journal.close()
        try journal.compact()

        let reopened = try LogJournal(path: path)
        defer { reopened.close() }
        let jobs = try reopened.recover().jobs
        #expect(jobs.map(\.id) == ["j1", "j2"])
        #expect(jobs.first?.state == .done && jobs.first?.documentBody.isEmpty == true)
        #expect(jobs.last?.outputs == [Data("{\"n\":1}".utf8)])
        #expect(jobs.last?.history.count == 1, "each progress record applied once")
        #expect(jobs.last?.document?.content == "some text")
    }

    @Test func aSecondBrokerOnTheSameJournalIsRefused() throws {
        let path = try Self.folder().appendingPathComponent("journal.log").path
        let first = try LogJournal(path: path)
        _ = try first.recover()
        defer { first.close() }
        #expect(throws: JournalError.self) { _ = try LogJournal(path: path) }
        do {
            _ = try LogJournal(path: path)
        } catch {
            #expect("\(error)".contains("in use by another broker"))
        }
    }
}
