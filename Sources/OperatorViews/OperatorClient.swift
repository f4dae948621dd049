package import DocClient
package import DocProtocol
import Foundation

/// The broker's operator services (`docpipe.workers`, `docpipe.jobs`) as typed calls.
extension DocpipeClient {
    package func workers() throws -> WorkerList {
        let reply = try mdp.request(service: ServiceName.workers, body: [Data("{}".utf8)], timeoutMs: timeoutMs)
        return try Self.decodeReply(reply, as: WorkerList.self)
    }

    package func jobs(_ request: JobListRequest) throws -> JobList {
        let reply = try mdp.request(
            service: ServiceName.jobs, body: [try WireJSON.encode(request)], timeoutMs: timeoutMs)
        return try Self.decodeReply(reply, as: JobList.self)
    }
}
