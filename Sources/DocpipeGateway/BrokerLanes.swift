package import DocClient
package import Foundation
package import NIOPosix

/// The gateway's way to the broker: a few `DocpipeClient`s, each used by one HTTP request at a time, on
/// threads of their own.
///
/// Why threads: a `DocpipeClient` call blocks (a ZeroMQ poll until the reply or the timeout), and the
/// HTTP server runs on SwiftNIO's event loops and Swift's cooperative pool, which must never block — on a
/// two-core machine the cooperative pool has two threads, and two slow broker calls would stall every
/// connection. So each call runs on an `NIOThreadPool` thread with a client checked out for it alone
/// (a ZeroMQ socket may move between threads, never be used by two at once). `lanes` bounds both: more
/// concurrent requests than lanes wait their turn for a client.
package final class BrokerLanes: Sendable {
    private let threads: NIOThreadPool
    private let idle: IdleClients
    package let endpoint: String

    package init(endpoint: String, lanes: Int, timeoutMs: Int) throws {
        self.endpoint = endpoint
        var clients: [ClientBox] = []
        for _ in 0..<max(1, lanes) {
            clients.append(ClientBox(try DocpipeClient(broker: endpoint, timeoutMs: timeoutMs)))
        }
        idle = IdleClients(clients)
        threads = NIOThreadPool(numberOfThreads: max(1, lanes))
        threads.start()
    }

    /// Runs `body` with a client of its own on a lane thread.
    package func call<T: Sendable>(_ body: @escaping @Sendable (DocpipeClient) throws -> T) async throws -> T {
        let box = await idle.take()
        defer { Task { await idle.give(box) } }
        return try await threads.runIfActive { try body(box.client) }
    }

    package func shutdown() async {
        try? await threads.shutdownGracefully()
    }
}

/// A client handed to one lane at a time (`IdleClients` makes sure), so the lack of `Sendable` is safe.
private final class ClientBox: @unchecked Sendable {
    package let client: DocpipeClient
    package init(_ client: DocpipeClient) { self.client = client }
}

/// The clients no request is using, and the requests waiting for one, first come first served.
private actor IdleClients {
    private var free: [ClientBox]
    private var waiting: [CheckedContinuation<ClientBox, Never>] = []

    package init(_ clients: [ClientBox]) { free = clients }

    package func take() async -> ClientBox {
        if let box = free.popLast() { return box }
        return await withCheckedContinuation { waiting.append($0) }
    }

    package func give(_ box: ClientBox) {
        if waiting.isEmpty {
            free.append(box)
        } else {
            waiting.removeFirst().resume(returning: box)
        }
    }
}
