import BrokerCore
import DocProtocol
import Foundation
import Logging
import Synchronization
import Testing

@testable import DocBroker

/// The broker loop with an injected clock, a journal whose syncs the test controls and a recording sink
/// in place of the socket: replies a client acts on never leave before their records are durable, and
/// dispatches to workers never wait for the disk.
@Suite struct BrokerLoopTests {
    /// A journal that makes records durable only when the test says so.
    final class ControlledJournal: JobJournal {
        private let state = Mutex<(appended: [[JournalRecord]], durable: UInt64)>(([], 0))
        private let outageBox = Mutex<JournalOutage?>(nil)
        var location: String { "memory" }
        var outage: JournalOutage? {
            get {
                outageBox.withLock { box in
                    // The writer thread starting an outage between two reads of one call.
                    if let from = outageAtRead.withLock({ state -> Int? in
                        state.reads += 1
                        return state.from.map { state.reads >= $0 ? $0 : -1 }
                    }), from > 0, box == nil {
                        box = JournalOutage(since: Date(), message: "disk full (started during the call)")
                    }
                    return box
                }
            }
            set { outageBox.withLock { $0 = newValue } }
        }
        /// When set, the outage begins at that read of `outage`, counted from now.
        private let outageAtRead = Mutex<(reads: Int, from: Int?)>((0, nil))
        func startOutage(atRead read: Int) { outageAtRead.withLock { $0 = (0, read) } }
        var durableSequence: UInt64 { state.withLock { $0.durable } }
        var appended: [[JournalRecord]] { state.withLock { $0.appended } }
        func recover() throws -> JournalContents { JournalContents() }
        func append(_ records: [JournalRecord]) -> UInt64 {
            state.withLock { state in
                state.appended.append(records)
                return UInt64(state.appended.count)
            }
        }
        func setOnDurable(_ callback: @escaping @Sendable () -> Void) {}
        func close() {}
        /// The writer finished a sync covering everything appended so far.
        func syncAll() { state.withLock { $0.durable = UInt64($0.appended.count) } }
    }

    struct RecordingSink: FrameSink {
        var sent: [(peer: PeerID, frames: [Data])] = []
        mutating func send(_ frames: [Data], to peer: PeerID) -> String? {
            sent.append((peer, frames))
            return nil
        }
    }

    static let client = PeerID(Data("client".utf8))
    static let worker = PeerID(Data("worker".utf8))

    static func loop(_ journal: ControlledJournal) -> BrokerLoop {
        let time = Mutex<Millis>(1_000)
        let clock = BrokerClock(monotonicMillis: { time.withLock { $0 } }, wallSeconds: { 1_700_000_000 })
        let configuration = BrokerConfiguration(
            journalPath: "/nonexistent/journal.log",
            pipelines: ["default": PipelineDefinition("a")])
        return BrokerLoop(
            configuration: configuration, journal: journal, logger: Logger(label: "test"),
            endpoint: "inproc://test", clock: clock)
    }

    static func submitFrames(_ content: String) -> [Data] {
        let body = try! WireJSON.encode(SubmitRequest(document: Document(content: content)))
        return [client.bytes] + MDP.clientRequest(service: ServiceName.submit, body: [body])
    }

    static func repliesToClient(_ sink: RecordingSink) -> [MDP.ClientReply] {
        sink.sent.filter { $0.peer == client }.compactMap { try? MDP.decodeAtClient(Array($0.frames)) }
    }

    static func requestsToWorker(_ sink: RecordingSink) -> Int {
        sink.sent.filter { sent in
            sent.peer == worker
                && (try? MDP.decodeAtWorker(sent.frames)).map {
                    if case .request = $0 { true } else { false }
                } == true
        }.count
    }

    @Test func a202WaitsForItsCommitButTheDispatchDoesNot() throws {
        let journal = ControlledJournal()
        var loop = Self.loop(journal)
        var sink = RecordingSink()
        loop.received([Self.worker.bytes] + MDP.ready(service: "a"))
        loop.received(Self.submitFrames("hello"))
        try loop.flush(to: &sink)

        #expect(journal.appended.count == 1, "the submit was handed to the journal")
        #expect(Self.requestsToWorker(sink) == 1, "the stage request went out before the commit")
        #expect(Self.repliesToClient(sink).isEmpty, "no 202 before the journal says the job is durable")

        // More loop iterations without a sync: still nothing for the client.
        loop.tick()
        try loop.flush(to: &sink)
        #expect(Self.repliesToClient(sink).isEmpty)

        journal.syncAll()
        try loop.flush(to: &sink)
        let replies = Self.repliesToClient(sink)
        #expect(replies.count == 1)
        let reply = try WireJSON.decode(SubmitReply.self, from: try #require(replies.first?.body.first))
        #expect(reply.status == .accepted)
        #expect(loop.heldReplies == 0)
    }

    @Test func aSubmitAcceptedJustBeforeAnOutageBeginsStillWaitsForItsCommit() throws {
        let journal = ControlledJournal()
        var loop = Self.loop(journal)
        var sink = RecordingSink()
        // The outage starts while the submit is being answered: after the broker decided to accept it.
        journal.startOutage(atRead: 2)
        loop.received(Self.submitFrames("accepted a moment before the disk filled up"))
        try loop.flush(to: &sink)
        #expect(journal.appended.count == 1, "the submit was accepted and handed to the journal")
        #expect(Self.repliesToClient(sink).isEmpty, "a 202 left before its record was durable")
        journal.outage = nil
        journal.syncAll()
        try loop.flush(to: &sink)
        #expect(Self.repliesToClient(sink).count == 1)
    }

    @Test func whileTheJournalCannotWriteSubmitsAreRefusedAndQueriesStillAnswered() throws {
        let journal = ControlledJournal()
        var loop = Self.loop(journal)
        var sink = RecordingSink()
        loop.received([Self.worker.bytes] + MDP.ready(service: "a"))
        loop.received(Self.submitFrames("accepted before the disk filled"))
        try loop.flush(to: &sink)
        journal.outage = JournalOutage(since: Date(), message: "No space left on device")

        loop.received(Self.submitFrames("refused"))
        loop.received([Self.client.bytes] + MDP.clientRequest(service: ServiceName.status, body: [Data()]))
        try loop.flush(to: &sink)
        let replies = Self.repliesToClient(sink)
        #expect(replies.count == 2, "the refusal and the status answer go out at once; the 202 still waits")
        let refusal = try WireJSON.decode(ErrorReply.self, from: try #require(replies.first?.body.first))
        #expect(refusal.status == .busy && refusal.reason == "journal_unavailable" && refusal.retryAfterMs != nil)
        #expect(try WireJSON.decode(BrokerStatus.self, from: try #require(replies.last?.body.first)).status == .ok)
        #expect(loop.engine.activeCount == 1, "the refused document was not taken")
        #expect(loop.heldReplies == 1)

        // The disk is back: the writer catches up, the held 202 leaves, and submits are accepted again.
        journal.outage = nil
        journal.syncAll()
        loop.received(Self.submitFrames("accepted after"))
        try loop.flush(to: &sink)
        journal.syncAll()
        try loop.flush(to: &sink)
        let after = Self.repliesToClient(sink).dropFirst(2).compactMap {
            try? WireJSON.decode(SubmitReply.self, from: $0.body[0])
        }
        #expect(after.count == 2)
        #expect(loop.engine.activeCount == 2)
    }

    @Test func oneClientMayHoldOnlyItsShareOfTheDocumentBytes() throws {
        let journal = ControlledJournal()
        let clock = BrokerClock(monotonicMillis: { 1_000 }, wallSeconds: { 1_700_000_000 })
        var configuration = BrokerConfiguration(
            journalPath: "/nonexistent/journal.log",
            pipelines: ["default": PipelineDefinition("a")])
        configuration.engineLimits.maxJobBytes = 1_000 // a client's share: 500
        var loop = BrokerLoop(
            configuration: configuration, journal: journal, logger: Logger(label: "test"),
            endpoint: "inproc://test", clock: clock)
        var sink = RecordingSink()
        let other = PeerID(Data("other".utf8))
        func submit(_ content: String, from peer: PeerID) throws -> Bool {
            let body = try WireJSON.encode(SubmitRequest(document: Document(content: content)))
            loop.received([peer.bytes] + MDP.clientRequest(service: ServiceName.submit, body: [body]))
            try loop.flush(to: &sink)
            journal.syncAll()
            try loop.flush(to: &sink)
            let reply = try #require(sink.sent.last { $0.peer == peer })
            return (try? WireJSON.decode(SubmitReply.self, from: MDP.decodeAtClient(reply.frames).body[0])) != nil
        }
        #expect(try submit(String(repeating: "a", count: 300), from: Self.client))
        #expect(try !submit(String(repeating: "b", count: 300), from: Self.client), "past this client's share")
        #expect(try submit(String(repeating: "c", count: 300), from: other), "another client still gets in")
        #expect(loop.counters["client_share_refused"] == 1)
    }

    @Test func aReplyWaitsForEverythingAppendedBeforeIt() throws {
        let journal = ControlledJournal()
        var loop = Self.loop(journal)
        var sink = RecordingSink()
        loop.received(Self.submitFrames("first"))
        try loop.flush(to: &sink)
        journal.syncAll()
        loop.received(Self.submitFrames("second"))
        try loop.flush(to: &sink)
        // The first 202 is durable now; the second waits for the second batch.
        #expect(Self.repliesToClient(sink).count == 1)
        let status = try WireJSON.encode(JobQuery(jobID: "job-unknown"))
        loop.received([Self.client.bytes] + MDP.clientRequest(service: ServiceName.job, body: [status]))
        try loop.flush(to: &sink)
        #expect(Self.repliesToClient(sink).count == 1, "a query answered after an undurable submit waits too")
        journal.syncAll()
        try loop.flush(to: &sink)
        #expect(Self.repliesToClient(sink).count == 3)
    }

    /// The engine keeps who holds each dispatch; when one is held past its stage's timeout the loop has the
    /// router cut that worker off (DISCONNECT), and the stage runs again on another worker after its back-off.
    @Test func aStageHeldPastItsTimeoutCutsItsHolderOffAndRunsAgainElsewhere() throws {
        let wall = Mutex<Double>(1_700_000_000)
        let monotonic = Mutex<Millis>(1_000)
        let clock = BrokerClock(
            monotonicMillis: { monotonic.withLock { $0 } }, wallSeconds: { wall.withLock { $0 } })
        let configuration = BrokerConfiguration(
            journalPath: "/nonexistent/journal.log",
            pipelines: [
                "default": PipelineDefinition(stages: [StageDefinition(service: "a", maxAttempts: 3, timeoutMs: 1000)])
            ])
        let journal = ControlledJournal()
        var loop = BrokerLoop(
            configuration: configuration, journal: journal, logger: Logger(label: "test"),
            endpoint: "inproc://test", clock: clock)
        var sink = RecordingSink()
        let other = PeerID(Data("other".utf8))
        loop.received([Self.worker.bytes] + MDP.ready(service: "a"))
        loop.received(Self.submitFrames("held too long"))
        try loop.flush(to: &sink)
        #expect(Self.requestsToWorker(sink) == 1)

        // Within the timeout nothing happens; past it the holder is told DISCONNECT and forgotten.
        wall.withLock { $0 += 0.5 }
        loop.tick()
        try loop.flush(to: &sink)
        #expect(!sink.sent.contains { $0.peer == Self.worker && $0.frames == MDP.disconnect })
        wall.withLock { $0 += 1 }
        monotonic.withLock { $0 += 1_500 }
        loop.tick()
        try loop.flush(to: &sink)
        #expect(sink.sent.contains { $0.peer == Self.worker && $0.frames == MDP.disconnect })
        #expect(loop.router.workers[Self.worker] == nil)
        #expect(loop.router.counters["workers_cut_off"] == 1)
        #expect(loop.engine.counters["timeouts"] == 1)
        #expect(loop.engine.leasedCount == 0)

        // After the back-off another worker gets the document again.
        wall.withLock { $0 += 60 }
        monotonic.withLock { $0 += 60_000 }
        loop.received([other.bytes] + MDP.ready(service: "a"))
        loop.tick()
        try loop.flush(to: &sink)
        let retried = sink.sent.filter { sent in
            sent.peer == other
                && (try? MDP.decodeAtWorker(sent.frames)).map { if case .request = $0 { true } else { false } } == true
        }
        #expect(retried.count == 1)
        #expect(loop.engine.leasedCount == 1)
    }
}
