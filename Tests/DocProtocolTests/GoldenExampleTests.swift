import DocProtocol
import Foundation
import Testing

/// Every golden example in protocol/examples decodes into its Swift type and encodes back to the same JSON.
@Suite struct GoldenExampleTests {
    @Test(arguments: ProtocolFiles.exampleNames)
    func exampleRoundTrips(file: String) throws {
        let name = ProtocolFiles.messageName(ofExample: file)
        let codec = try #require(MessageCodec.all[name], "no Swift type for example \(file)")
        let original = try ProtocolFiles.example(file)
        let encoded = try codec.roundTrip(original)
        let before = try WireJSON.decode(JSONValue.self, from: original)
        let after = try WireJSON.decode(JSONValue.self, from: encoded)
        #expect(before == after, "\(file) changed through \(codec.typeName)")
    }

    @Test func thereAreGoldenExamples() {
        #expect(ProtocolFiles.exampleNames.count >= ProtocolFiles.schemaNames.count)
        #expect(ProtocolFiles.schemaNames.count == 27)
    }

    @Test func everySchemaHasACodecAndAnExample() {
        let schemas = Set(ProtocolFiles.schemaNames)
        let exampleMessages = Set(ProtocolFiles.exampleNames.map(ProtocolFiles.messageName(ofExample:)))
        #expect(schemas == Set(MessageCodec.all.keys), "schemas and Swift codecs differ")
        #expect(
            schemas.subtracting(exampleMessages).isEmpty,
            "schemas without an example: \(schemas.subtracting(exampleMessages))")
        #expect(
            exampleMessages.subtracting(schemas).isEmpty,
            "examples without a schema: \(exampleMessages.subtracting(schemas))")
    }

    @Test func specNamesEverySchema() throws {
        let spec = try String(contentsOf: ProtocolFiles.protocolDir.appendingPathComponent("SPEC.md"), encoding: .utf8)
        for name in ProtocolFiles.schemaNames {
            #expect(spec.contains("\(name).schema.json"), "SPEC.md does not mention \(name).schema.json")
        }
    }

    @Test func examplesAreVersionOne() throws {
        // These only travel inside other messages (WorkerIdentity: inside a READY, as its own frame).
        let nested: Set<String> = [
            "error_body", "stage_attempt", "latency_summary", "stage_stats", "broker_totals", "worker_identity",
            "extractor_output", "classifier_output", "summarizer_output", "storage_output",
        ]
        for file in ProtocolFiles.exampleNames where !nested.contains(ProtocolFiles.messageName(ofExample: file)) {
            let value = try WireJSON.decode(JSONValue.self, from: ProtocolFiles.example(file))
            #expect(value["v"] == .number(1), "\(file) lacks \"v\": 1")
        }
    }

    @Test func replyExamplesCarryAStatus() throws {
        let replies = [
            "submit_reply", "submit_batch_reply", "job_status", "broker_status", "error_reply", "dead_letter_list",
            "dead_letter_action_reply",
            "worker_list", "job_list",
        ]
        for file in ProtocolFiles.exampleNames where replies.contains(ProtocolFiles.messageName(ofExample: file)) {
            let head = try WireJSON.decode(ReplyHead.self, from: ProtocolFiles.example(file))
            let expectSuccess = ProtocolFiles.messageName(ofExample: file) != "error_reply"
            #expect(head.status.isSuccess == expectSuccess, "\(file): status \(head.status)")
        }
    }

    @Test func submitReplyNamesTheSubmittedDocument() throws {
        let request = try WireJSON.decode(SubmitRequest.self, from: ProtocolFiles.example("submit_request.json"))
        let reply = try WireJSON.decode(SubmitReply.self, from: ProtocolFiles.example("submit_reply.json"))
        #expect(request.document.id == nil)
        #expect(reply.documentID == ContentHash.documentID(for: request.document))
        #expect(reply.status == .accepted)
    }

    @Test func extractorOutputHashesTheDocument() throws {
        let result = try WireJSON.decode(StageResult.self, from: ProtocolFiles.example("stage_result.ok.json"))
        let request = try WireJSON.decode(StageRequest.self, from: ProtocolFiles.example("stage_request.json"))
        #expect(result.status == .ok)
        #expect(result.output?["content_hash"]?.stringValue == ContentHash.sha256(try #require(request.document.bytes)))
        #expect(result.output?["word_count"]?.intValue == 87)
    }

    @Test func deadLetterJobStatusExplainsItsFailure() throws {
        let status = try WireJSON.decode(JobStatus.self, from: ProtocolFiles.example("job_status.dead_letter.json"))
        let history = try #require(status.history)
        let last = try #require(history.last)
        #expect(status.state == .failed && status.stage == nil)
        #expect(last.outcome == .timeout && last.error == status.error && last.attempt == status.attempts)
        #expect(history.filter { $0.outcome == .ok }.map(\.stage) == status.stagesDone)
        #expect(zip(history, history.dropFirst()).allSatisfy { $0.at <= $1.at })

        let list = try WireJSON.decode(DeadLetterList.self, from: ProtocolFiles.example("dead_letter_list.json"))
        let entry = try #require(list.jobs.first { $0.jobID == status.jobID })
        #expect(list.total >= list.jobs.count)
        #expect(entry.stage == last.stage && entry.attempts == status.attempts && entry.error == status.error)
        #expect(entry.failedAt == status.updatedAt && entry.documentID == status.documentID)
    }

    @Test func deadLetterRequestsAndReplies() throws {
        let retry = try WireJSON.decode(
            DeadLetterRequest.self, from: ProtocolFiles.example("dead_letter_request.retry.json"))
        let reply = try WireJSON.decode(
            DeadLetterActionReply.self, from: ProtocolFiles.example("dead_letter_action_reply.json"))
        let retried = try #require(retry.jobID)
        #expect(retry.op == .retry && reply.op == .retry && reply.jobIDs == [retried])
        let drop = try WireJSON.decode(
            DeadLetterRequest.self, from: ProtocolFiles.example("dead_letter_request.drop_all.json"))
        #expect(drop.op == .drop && drop.all == true && drop.jobID == nil)
        let list = try WireJSON.decode(
            DeadLetterRequest.self, from: ProtocolFiles.example("dead_letter_request.list.json"))
        #expect(list.op == .list && list.jobID == nil && list.all == nil)
        let show = try WireJSON.encode(DeadLetterRequest(op: .show, jobID: "j"))
        #expect(String(decoding: show, as: UTF8.self) == #"{"job_id":"j","op":"show","v":1}"#)
    }

    @Test func brokerStatusFiguresAgree() throws {
        let status = try WireJSON.decode(BrokerStatus.self, from: ProtocolFiles.example("broker_status.json"))
        let totals = try #require(status.totals)
        let stages = try #require(status.stages)
        #expect(stages.map(\.service) == stages.map(\.service).sorted())
        #expect(Set(stages.map(\.service)).isSuperset(of: status.pipelines.values.joined()))
        for stage in stages {
            #expect(stage.failed == stage.retried + stage.deadLettered, "\(stage.service)")
            #expect((stage.oldestQueuedS != nil) == (stage.queued > 0), "\(stage.service)")
            if let service = status.services.first(where: { $0.name == stage.service }) {
                #expect(
                    service.queued == stage.queued && service.inflight == stage.inflight
                        && service.workers == stage.workers, "\(stage.service)")
            }
            if let latency = stage.latencyMs {
                #expect(latency.p50 <= latency.p95 && latency.p95 <= latency.p99 && latency.p99 <= latency.max)
            }
        }
        #expect(stages.map(\.deadLettered).reduce(0, +) == status.counters["dead_lettered"])
        #expect(stages.map(\.retried).reduce(0, +) == status.counters["retried"])
        #expect(totals.queued == status.services.map(\.queued).reduce(0, +))
        #expect(totals.deadLetters == status.jobs.failed)
        #expect(totals.workersKnown >= status.workers)
        #expect(totals.oldestQueuedS == stages.compactMap(\.oldestQueuedS).max())

        // A broker before 0.2 leaves both out, and they stay out.
        let minimal = try ProtocolFiles.example("broker_status.minimal.json")
        let old = try WireJSON.decode(BrokerStatus.self, from: minimal)
        #expect(old.totals == nil && old.stages == nil)
        let encoded = String(decoding: try WireJSON.encode(old), as: UTF8.self)
        #expect(!encoded.contains("totals") && !encoded.contains("stages"))
    }

    @Test func workerListDescribesEachWorker() throws {
        let list = try WireJSON.decode(WorkerList.self, from: ProtocolFiles.example("worker_list.json"))
        #expect(list.status == .ok && !list.workers.isEmpty)
        #expect(Set(list.workers.map(\.id)).count == list.workers.count)
        #expect(list.workers.map(\.service) == list.workers.map(\.service).sorted())
        for worker in list.workers {
            #expect(["MDP/0.1", "MDP/0.2"].contains(worker.protocolVersion))
            // A busy worker holds at least one request, and never more than its credit.
            #expect((worker.inflight > 0) == (worker.state == .busy), "\(worker.id)")
            #expect(worker.inflight <= (worker.credit ?? 1), "\(worker.id)")
            #expect((worker.latencyMs?.count ?? 0) == worker.done + worker.failed, "\(worker.id)")
        }
        #expect(list.workers.contains { ($0.credit ?? 1) > 1 }, "a docpipe worker with credit above 1")
        // Hosts, pids and versions come from the READY identity frame, which plain MDP workers leave out.
        #expect(list.workers.contains { $0.host == nil && $0.pid == nil && $0.version == nil })
        let identity = try WireJSON.decode(WorkerIdentity.self, from: ProtocolFiles.example("worker_identity.json"))
        #expect(
            list.workers.contains {
                $0.host == identity.host && $0.pid == identity.pid && $0.version == identity.version
            })
        let json = String(decoding: try WireJSON.encode(list.workers.first { $0.host == nil }!), as: UTF8.self)
        #expect(json.contains(#""protocol":"MDP/0.2""#) && !json.contains(#""host""#) && !json.contains(#""pid""#))
    }

    @Test func jobListIsNewestChangeFirst() throws {
        let list = try WireJSON.decode(JobList.self, from: ProtocolFiles.example("job_list.json"))
        #expect(zip(list.jobs, list.jobs.dropFirst()).allSatisfy { $0.updatedAt >= $1.updatedAt })
        for entry in list.jobs {
            #expect((entry.stage == nil) == (entry.state == .done), "\(entry.jobID)")
            #expect(entry.createdAt <= entry.updatedAt)
        }
        let failed = try #require(list.jobs.first { $0.jobID == "job-5e0b8d3f27c1a946" })
        let status = try WireJSON.decode(JobStatus.self, from: ProtocolFiles.example("job_status.dead_letter.json"))
        #expect(
            failed.state == status.state && failed.attempts == status.attempts && failed.updatedAt == status.updatedAt)
        #expect(failed.stage == status.history?.last?.stage)

        let request = try WireJSON.decode(
            JobListRequest.self, from: ProtocolFiles.example("job_list_request.failed.json"))
        #expect(request.state == .failed && request.pipeline == "default")
        #expect(String(decoding: try WireJSON.encode(JobListRequest()), as: UTF8.self) == #"{"v":1}"#)
        // `{}` means "recent jobs, no filter": every field is optional, `v` included.
        #expect(try WireJSON.decodeMessage(JobListRequest.self, from: Data("{}".utf8)) == JobListRequest())
        #expect(throws: ProtocolError.self) {
            try WireJSON.decodeMessage(JobListRequest.self, from: Data(#"{"state":"paused","v":1}"#.utf8))
        }
    }

    @Test func historyRecordsWhoAnsweredAndHowLong() throws {
        let done = try WireJSON.decode(JobStatus.self, from: ProtocolFiles.example("job_status.done.json"))
        let history = try #require(done.history)
        #expect(history.filter { $0.outcome == .ok }.map(\.stage) == done.stagesDone)
        #expect(history.last?.attempt == done.attempts && history.last?.at == done.updatedAt)
        // Each entry carries what the worker's StageResult said (the golden results are this job's).
        for file in [
            "stage_result.ok.json", "stage_result.classifier.json", "stage_result.summarizer.json",
            "stage_result.error_retryable.json", "stage_result.storage_writer.json",
        ] {
            let result = try WireJSON.decode(StageResult.self, from: ProtocolFiles.example(file))
            let outcome: StageAttempt.Outcome = result.status == .ok ? .ok : .error
            #expect(
                history.contains {
                    $0.stage == result.stage && $0.outcome == outcome && $0.worker == result.worker
                        && $0.durationMs == result.durationMs && $0.error == result.error
                }, "\(file)")
        }
        // Timeouts have no answer, so no worker or duration.
        let dead = try WireJSON.decode(JobStatus.self, from: ProtocolFiles.example("job_status.dead_letter.json"))
        #expect(
            try #require(dead.history).allSatisfy {
                ($0.outcome == .timeout) == ($0.worker == nil && $0.durationMs == nil)
            })
        let attempt = StageAttempt(stage: "x", attempt: 1, outcome: .ok, at: 1, worker: "h:1", durationMs: 2.5)
        #expect(
            String(decoding: try WireJSON.encode(attempt), as: UTF8.self)
                == #"{"at":1,"attempt":1,"duration_ms":2.5,"outcome":"ok","stage":"x","worker":"h:1"}"#)
    }
}
