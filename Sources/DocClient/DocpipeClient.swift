public import DocProtocol
public import Foundation
public import ZeroMQ

/// Typed calls to the broker's own services, over an `MDPClient`.
public final class DocpipeClient {
    public let mdp: MDPClient
    public var timeoutMs: Int

    /// `endpoint` is one endpoint or a comma-separated list (brokers sharing a journal; see `MDPClient`).
    /// `curve` defaults to the process's identity (`ClientIdentity.curve`, set by the CLI's --server-key/--key).
    public init(broker endpoint: String, timeoutMs: Int = 5000, curve: CurveClientKeys? = ClientIdentity.curve) throws {
        self.mdp = try MDPClient(broker: endpoint, curve: curve)
        self.timeoutMs = timeoutMs
    }

    /// Submits a document. A 503 "busy" (the broker's bound on unfinished work) is honoured: the client
    /// waits the `retry_after_ms` the broker suggested and tries again, for up to `busyWaitMs` in all.
    public func submit(_ request: SubmitRequest, busyWaitMs: Int = 120_000) throws -> SubmitReply {
        let deadline = Date().addingTimeInterval(Double(busyWaitMs) / 1000)
        while true {
            do {
                return try call(ServiceName.submit, request, as: SubmitReply.self)
            } catch ClientError.refused(let error) where error.status == .busy && Date() < deadline {
                busyRetries += 1
                Thread.sleep(forTimeInterval: Double(min(max(error.retryAfterMs ?? 500, 10), 5000)) / 1000)
            }
        }
    }

    /// How many times `submit` waited because the broker was busy.
    public internal(set) var busyRetries = 0
    /// How many times `submitBatch` sent a request again because the broker did not answer.
    public internal(set) var reconnects = 0

    /// Calls `docpipe.dlq`.
    public func deadLetters(_ request: DeadLetterRequest) throws -> [Data] {
        let reply = try mdp.request(
            service: ServiceName.deadLetters, body: [try WireJSON.encode(request)],
            timeoutMs: timeoutMs)
        _ = try Self.decodeReply(reply, as: ReplyHead.self)
        return reply
    }

    public func job(_ id: String) throws -> JobStatus {
        try call(ServiceName.job, JobQuery(jobID: id), as: JobStatus.self)
    }

    /// Calls `docpipe.status`. With several endpoints, a standby's answer (standbys answer this one, with
    /// their role) moves the client to the next endpoint until one is active or each was asked once, so the
    /// client ends up talking to the active broker; `giveUpWhen` is as in `MDPClient.request`.
    public func status(giveUpWhen: (() -> Bool)? = nil) throws -> BrokerStatus {
        var asked = 0
        while true {
            let reply = try mdp.request(
                service: ServiceName.status, body: [try WireJSON.encode([String: Int]())],
                timeoutMs: timeoutMs, giveUpWhen: giveUpWhen)
            let status = try Self.decodeReply(reply, as: BrokerStatus.self)
            asked += 1
            if status.isActive || asked >= mdp.endpoints.count { return status }
            try mdp.moveToNextEndpoint()
        }
    }

    /// Asks MMI whether a service has workers: "200", "404" or "501".
    public func serviceAvailability(_ name: String) throws -> String {
        let body = try mdp.request(service: ServiceName.mmiService, body: [Data(name.utf8)], timeoutMs: timeoutMs)
        return body.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Waits until a job is done or failed, polling `docpipe.job`. A standby's refusal, and with several
    /// endpoints any 503 or silence (a failover under way: the old active may refuse or fall silent before it
    /// stands by), is asked again until the deadline.
    public func waitForJob(_ id: String, timeoutMs: Int, pollMs: Int = 50) throws -> JobStatus {
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while true {
            let status: JobStatus
            do {
                status = try job(id)
            } catch ClientError.refused(let error)
                where (error.isStandby || mdp.endpoints.count > 1 && error.status == .busy) && Date() < deadline
            {
                Thread.sleep(forTimeInterval: Double(min(max(error.retryAfterMs ?? 500, 10), 5000)) / 1000)
                continue
            } catch ClientError.timeout where mdp.endpoints.count > 1 && Date() < deadline {
                continue
            }
            if status.state == .done || status.state == .failed { return status }
            guard Date() < deadline else {
                throw ClientError.badReply("job \(id) still \(status.state.rawValue) after \(timeoutMs) ms")
            }
            Thread.sleep(forTimeInterval: Double(pollMs) / 1000)
        }
    }

    /// Decodes a reply: the typed value on 2xx, `ClientError.refused` with the broker's reason otherwise.
    public static func decodeReply<T: Decodable>(_ body: [Data], as type: T.Type) throws -> T {
        guard let data = body.first else { throw ClientError.badReply("empty reply") }
        guard let head = try? WireJSON.decode(ReplyHead.self, from: data) else {
            throw ClientError.badReply(String(decoding: data.prefix(200), as: UTF8.self))
        }
        if !head.status.isSuccess {
            throw ClientError.refused(try WireJSON.decode(ErrorReply.self, from: data))
        }
        return try WireJSON.decode(type, from: data)
    }

    private func call<T: Decodable>(_ service: String, _ body: some Encodable, as type: T.Type) throws -> T {
        let reply = try mdp.request(service: service, body: [try WireJSON.encode(body)], timeoutMs: timeoutMs)
        return try Self.decodeReply(reply, as: type)
    }
}
