import BrokerCore
import DocProtocol
import DocStore
import Foundation
import Logging
import PostgresTesting
import Testing

@testable import DocBroker
@testable import DocBrokerPostgres

/// The shared journal and its lease on a real PostgreSQL server started for the test: a term's records
/// come back in the next term, a finished job keeps only its metadata, the lease passes only once it has
/// expired, and a broker whose lease is gone can write nothing (fencing).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PostgresJournalTests {
    static let fast = PostgresLease.Settings(ttlMs: 1200, renewEveryMs: 300, acquireEveryMs: 100, marginMs: 300)

    static func server() throws -> (ThrowawayPostgres, PostgresURL) {
        let server = try ThrowawayPostgres()
        return (server, try PostgresURL(parsing: server.url()))
    }

    static func lease(_ url: PostgresURL, endpoint: String) throws -> PostgresLease {
        let lease = try PostgresLease(url: url, settings: fast, logger: Logger(label: "test.lease"))
        lease.start(endpoint: endpoint)
        return lease
    }

    /// Waits (bounded) until `lease` holds the lease; its epoch.
    static func held(_ lease: PostgresLease, within seconds: Double = 10) throws -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let epoch = lease.heldEpoch(nowMillis: PostgresLease.now()) { return epoch }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw JournalError(message: "the lease was not taken within \(seconds) s")
    }

    static func appendDurably(_ journal: any JobJournal, _ records: [JournalRecord]) throws {
        let sequence = journal.append(records)
        let deadline = Date().addingTimeInterval(10)
        while journal.durableSequence < sequence {
            guard Date() < deadline else {
                throw JournalError(message: "not durable in 10 s: \(journal.outage?.message ?? "no outage")")
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    @Test func aTermRecoversWhatTheTermBeforeWroteAndAFinishedJobKeepsOnlyItsMetadata() throws {
        let (server, url) = try Self.server()
        defer { server.destroy() }
        let lease = try Self.lease(url, endpoint: "tcp://a")
        defer { lease.release() }
        let epoch = try Self.held(lease)
        let first = JournalTests.job("j1")
        let (moved, attempt) = JournalTests.advanced(first, output: #"{"text":"kept"}"#, at: 1001)
        var finished = JournalTests.job("j2")
        do {
            let journal = try lease.openJournal(epoch: epoch)
            #expect(try journal.recover().jobs.isEmpty)
            try Self.appendDurably(journal, [.entry(.submitted(first)), .entry(.submitted(finished))])
            finished.state = .done
            finished.stageIndex = 2
            try Self.appendDurably(
                journal,
                [
                    .entry(.progressed(JobProgress(moved), attempt: attempt, output: moved.outputs[0])),
                    .entry(.progressed(JobProgress(finished), attempt: nil, output: nil)), .counters(["accepted": 2]),
                ])
            journal.close()
        }
        // The finished job's document and earlier rows are gone: one metadata row, marked done.
        let rows = try server.psql(
            "SELECT job_id, count(*), count(done_at) FROM docpipe_broker.journal GROUP BY job_id ORDER BY job_id")
        #expect(rows.split(separator: "\n").map(String.init) == ["j1|2|0", "j2|1|1", "|1|0"])

        let next = try lease.openJournal(epoch: epoch)
        defer { next.close() }
        let contents = try next.recover()
        #expect(contents.jobs.map(\.id) == ["j1", "j2"])
        #expect(contents.jobs[0].outputs == [Data(#"{"text":"kept"}"#.utf8)])
        #expect(contents.jobs[0].document?.content == "some text")
        #expect(contents.jobs[1].state == .done && contents.jobs[1].documentBody.isEmpty)
        #expect(contents.counters == ["accepted": 2])
    }

    @Test func theLeasePassesOnlyOnceExpiredAndTheOldTermCanWriteNothing() throws {
        let (server, url) = try Self.server()
        defer { server.destroy() }
        // The first broker logs in as a role of its own, so the test can cut it off alone.
        _ = try server.psql("CREATE ROLE broker_a LOGIN SUPERUSER")
        let firstURL = try PostgresURL(
            parsing: server.url().replacingOccurrences(of: "//docpipe@", with: "//broker_a@"))
        let first = try Self.lease(firstURL, endpoint: "tcp://a")
        let epoch = try Self.held(first)
        let second = try Self.lease(url, endpoint: "tcp://b")
        defer { second.release() }
        // While the first renews, the second stays a standby and sees who is active.
        Thread.sleep(forTimeInterval: 2 * Double(Self.fast.ttlMs) / 1000)
        #expect(second.heldEpoch(nowMillis: PostgresLease.now()) == nil)
        #expect(second.failoverStatus(role: .standby, roleSince: 0).activeEndpoint == "tcp://a")

        let journal = try first.openJournal(epoch: epoch)
        defer { journal.close() }
        _ = try journal.recover()
        try Self.appendDurably(journal, [.entry(.submitted(JournalTests.job("before")))])

        // The first broker's database connections are cut and it may not log in again (a partition).
        let cutAt = Date()
        _ = try server.psql("ALTER ROLE broker_a NOLOGIN")
        _ = try server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'broker_a'")
        while first.heldEpoch(nowMillis: PostgresLease.now()) != nil, Date().timeIntervalSince(cutAt) < 5 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let fencedAfter = Date().timeIntervalSince(cutAt)
        #expect(
            first.heldEpoch(nowMillis: PostgresLease.now()) == nil,
            "the cut-off broker still believes it holds the lease")
        #expect(fencedAfter <= Double(Self.fast.ttlMs) / 1000, "fenced \(fencedAfter) s after the cut")
        let taken = try Self.held(second)
        #expect(taken == epoch + 1)
        defer { first.release() }
        // Let the first back in: its old term must still be refused.
        _ = try server.psql("ALTER ROLE broker_a LOGIN")

        // The old term's journal is refused: nothing it appends becomes durable or reaches the table.
        let sequence = journal.append([.entry(.submitted(JournalTests.job("after")))])
        Thread.sleep(forTimeInterval: 1.5)
        #expect(journal.durableSequence < sequence)
        #expect(
            journal.outage?.message.contains("no longer holds the journal's lease") == true,
            "\(String(describing: journal.outage))")
        #expect(
            try server.psql("SELECT count(*) FROM docpipe_broker.journal WHERE job_id = 'after'").trimmingCharacters(
                in: .whitespacesAndNewlines) == "0")

        // The history shows two terms that never overlapped.
        let history = try server.psql(
            """
            SELECT epoch, endpoint, end_reason,
                   (SELECT h.expires_at <= n.acquired_at FROM docpipe_broker.lease_history n WHERE n.epoch = h.epoch + 1)
            FROM docpipe_broker.lease_history h ORDER BY epoch
            """)
        let lines = history.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first == "\(epoch)|tcp://a|expired|t", "\(history)")
        #expect(second.failoverStatus(role: .active, roleSince: 0).failovers == 1)
    }
}
