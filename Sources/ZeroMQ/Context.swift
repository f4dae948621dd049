internal import CZeroMQ

/// A libzmq context: the I/O threads and the registry of sockets.
///
/// libzmq contexts are thread-safe, so one context may be shared by every thread of a process. Each
/// `Socket` keeps its context alive, so the context is only terminated after its last socket is gone.
public final class Context: @unchecked Sendable {
    // Never mutated after init; libzmq serialises access to the context internally.
    private let handle: UnsafeMutableRawPointer

    /// Creates a context. libzmq starts its I/O threads lazily, with the first socket.
    public init() {
        // zmq_ctx_new only fails when memory is exhausted; there is nothing sensible a caller could do.
        guard let handle = zmq_ctx_new() else { fatalError("zmq_ctx_new failed: out of memory") }
        self.handle = handle
    }

    /// Makes every blocking call on this context's sockets, in any thread, fail with an error whose
    /// `isTerminated` is true, and so do all later calls. Sockets must still be closed (or released).
    ///
    /// This is how a poll loop on a dedicated thread is told to stop.
    public func shutdown() {
        // Fails only for an invalid context handle, which cannot happen here.
        _ = try? zmqCheck("shut down context") { zmq_ctx_shutdown(handle) }
    }

    deinit {
        // Blocks until every socket is closed and its linger period is over; sockets hold a strong
        // reference to us, so by now they are all closed and only lingering messages can delay this.
        _ = try? zmqCheck("terminate context") { zmq_ctx_term(handle) }
    }

    /// Lends the raw context to a libzmq call, without letting it escape.
    func withUnsafeHandle<Result, Failure: Error>(
        _ body: (UnsafeMutableRawPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(handle)
    }
}
