import DocProtocol
import Foundation
import Testing
import ZeroMQ

/// The storage writer holds four requests waiting beyond the one it writes (`defaultPrefetch: 4`), so its
/// READY advertises credit 5; `--prefetch 0` brings back lock-step credit 1.
@Suite(.serialized)
struct StorageWriterCreditTests {
    @Test(.timeLimit(.minutes(2)))
    func theStorageWriterAdvertisesItsPrefetchInTheCredit() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        // A ROUTER of the test's own stands in for the broker: only READY is read.
        let context = Context()
        let router = try cluster.rawRouter(context, receiveTimeoutMs: 1000)
        defer { router.close() }
        let byDefault = try cluster.startWorker("storage-writer", ["--log-level", "warning"])
        let lockStep = try cluster.startWorker("storage-writer", ["--log-level", "warning", "--prefetch", "0"])

        var credits: [Int32: Int?] = [:]
        let deadline = Date().addingTimeInterval(60)
        while credits.count < 2, Date() < deadline {
            guard let frames = try router.receive(), frames.count > 1 else { continue }
            guard case .ready(let service, let frame) = try MDP.decodeAtBroker(Array(frames.dropFirst())),
                service == "storage-writer", let frame
            else { continue }
            let identity = try WireJSON.decode(WorkerIdentity.self, from: frame)
            if let pid = identity.pid { credits[Int32(pid)] = identity.credit }
        }
        #expect(credits.count == 2, "READY from \(credits.count) of 2 storage writers in 60 s:\n\(cluster.logs())")
        #expect(credits[byDefault.pid] == .some(5))
        #expect(credits[lockStep.pid] == .some(1))
    }
}
