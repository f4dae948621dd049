import BrokerCore
public import DocProtocol
import Foundation
internal import GRDB

/// Read-mostly views of the journal for operators: recent jobs and persistent counters.
extension Journal {
    /// Recent jobs, newest change first, optionally filtered; light rows (no document bodies).
    public func recentJobs(state: JobStatus.State?, pipeline: String?, limit: Int) throws -> [JobList.Entry] {
        try read { db in
            var conditions: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let state {
                conditions.append("state = ?")
                arguments.append(state.rawValue)
            }
            if let pipeline {
                conditions.append("pipeline = ?")
                arguments.append(pipeline)
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments.append(limit)
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, document_id, name, pipeline, state, stage_index, attempt, stages, created_at, updated_at
                FROM jobs \(filter) ORDER BY updated_at DESC LIMIT ?
                """, arguments: StatementArguments(arguments))
            return rows.map { row in
                let stagesText: String = row["stages"]
                let stages = (try? JSONDecoder().decode([StageDefinition].self, from: Data(stagesText.utf8))) ?? []
                let index: Int = row["stage_index"]
                let state = JobStatus.State(rawValue: row["state"]) ?? .queued
                let unfinished = state == .queued || state == .running || state == .failed
                return JobList.Entry(
                    jobID: row["id"], documentID: row["document_id"], name: row["name"], pipeline: row["pipeline"],
                    state: state, stage: unfinished && index < stages.count ? stages[index].service : nil,
                    attempts: row["attempt"], createdAt: row["created_at"], updatedAt: row["updated_at"])
            }
        }
    }

    /// Counters saved by an earlier run of the broker.
    public func loadCounters() throws -> [String: Int] {
        try read { db in
            var counters: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counters") { counters[row["name"]] = row["value"] }
            return counters
        }
    }

    /// Replaces the saved counters (totals since the journal began).
    public func saveCounters(_ counters: [String: Int]) throws {
        try write { db in
            for (name, value) in counters {
                try db.execute(sql: "INSERT INTO counters (name, value) VALUES (?, ?) "
                               + "ON CONFLICT(name) DO UPDATE SET value = excluded.value", arguments: [name, value])
            }
        }
    }
}
