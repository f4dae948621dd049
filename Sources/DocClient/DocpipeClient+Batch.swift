public import DocProtocol
public import Foundation

extension DocpipeClient {
    /// Submits many documents in one request and returns one entry per document, in order.
    ///
    /// Documents refused 503 (busy, shutting down, journal unavailable) are sent again, only they, after the
    /// longest `retry_after_ms` the broker asked for; the accepted ones are never sent twice. A request that
    /// gets no answer at all (the broker is down or restarting) is sent again after a back-off (500 ms
    /// doubling to 5 s) on a fresh connection. Either way it gives up — throwing the last error, or leaving
    /// the busy documents refused — once `retryForMs` have passed without a document settling. Sending again
    /// after no answer may submit a document twice (the first request may have been journalled before the
    /// broker died); that is safe, since document ids come from content and the store keeps each once.
    /// A refusal of the whole request (unknown pipeline, bad request) becomes every document's entry.
    /// `settled` is called as each document's outcome becomes final, with its index in `request.documents`;
    /// `retrying` each time a request got no answer and is about to be sent again.
    public func submitBatch(
        _ request: SubmitBatchRequest, retryForMs: Int = 120_000,
        settled: (Int, SubmitBatchReply.Entry) -> Void = { _, _ in },
        retrying: (ClientError, _ waitMs: Int) -> Void = { _, _ in }
    ) throws -> [SubmitBatchReply.Entry] {
        var deadline = Date().addingTimeInterval(Double(retryForMs) / 1000)
        var entries = [SubmitBatchReply.Entry?](repeating: nil, count: request.documents.count)
        var pending = Array(request.documents.indices)
        var unansweredWaitMs = 500
        while !pending.isEmpty {
            let batch = SubmitBatchRequest(pipeline: request.pipeline, documents: pending.map { request.documents[$0] })
            let answers: [SubmitBatchReply.Entry]
            do {
                answers = try send(batch)
                unansweredWaitMs = 500
            } catch let error as ClientError {
                guard case .timeout = error, Date() < deadline else { throw error }
                reconnects += 1
                retrying(error, unansweredWaitMs)
                Thread.sleep(forTimeInterval: Double(unansweredWaitMs) / 1000)
                unansweredWaitMs = min(unansweredWaitMs * 2, 5000)
                continue
            }
            var busy: [Int] = []
            var waitMs = 0
            for (index, entry) in zip(pending, answers) {
                if let error = entry.error, error.status == .busy, Date() < deadline {
                    busy.append(index)
                    waitMs = max(waitMs, error.retryAfterMs ?? 500)
                } else {
                    entries[index] = entry
                    settled(index, entry)
                }
            }
            if busy.count < pending.count { deadline = Date().addingTimeInterval(Double(retryForMs) / 1000) }
            pending = busy
            if !busy.isEmpty {
                busyRetries += 1
                Thread.sleep(forTimeInterval: Double(min(max(waitMs, 10), 5000)) / 1000)
            }
        }
        return entries.map { $0! }
    }

    /// One request and its answer, one entry per document. A batch refused as a whole for its size is split
    /// in two, so a broker with a lower limit than the client assumed still gets every document.
    private func send(_ batch: SubmitBatchRequest) throws -> [SubmitBatchReply.Entry] {
        let body = [try WireJSON.encode(batch)]
        let reply = try mdp.request(service: ServiceName.submit, body: body, timeoutMs: timeoutMs)
        do {
            let answer = try Self.decodeReply(reply, as: SubmitBatchReply.self)
            guard answer.jobs.count == batch.documents.count else {
                throw ClientError.badReply("\(answer.jobs.count) entries for \(batch.documents.count) documents")
            }
            return answer.jobs
        } catch ClientError.refused(let error) where error.status == .tooLarge && batch.documents.count > 1 {
            let half = batch.documents.count / 2
            let first = SubmitBatchRequest(pipeline: batch.pipeline, documents: Array(batch.documents[..<half]))
            let second = SubmitBatchRequest(pipeline: batch.pipeline, documents: Array(batch.documents[half...]))
            return try send(first) + send(second)
        } catch ClientError.refused(let error) {
            return Array(repeating: .refused(error), count: batch.documents.count)
        }
    }
}
