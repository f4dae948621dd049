internal import CZeroMQ

/// Runs libzmq's built-in proxy (`zmq_proxy`), shuttling every message from `frontend` to `backend` and
/// back, on the calling thread, until the sockets' context is shut down.
///
/// The classic shape is a ROUTER frontend that clients connect to and a DEALER backend that workers
/// connect to: the ROUTER prepends each client's routing ID, the DEALER fair-queues requests across
/// workers, and the replies find their way back by that ID. It is the cheapest request/reply broker
/// libzmq offers, which makes it the baseline a Majordomo broker's overhead is measured against.
///
/// Never returns normally: it throws a `ZMQError` whose `isTerminated` is true once the context is
/// shut down (`Context.shutdown()`), which is how a thread running it is stopped. Both sockets must
/// belong to the calling thread for the duration.
public func proxy(frontend: Socket, backend: Socket) throws(ZMQError) {
    try frontend.withHandle("proxy (frontend)") { (front) throws(ZMQError) in
        try backend.withHandle("proxy (backend)") { (back) throws(ZMQError) in
            // zmq_proxy only ever returns -1; ETERM is the normal way out.
            try zmqCheck("proxy \(frontend.type) ↔ \(backend.type)") { zmq_proxy(front, back, nil) }
        }
    }
}
