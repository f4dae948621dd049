internal import CZeroMQ
public import Foundation

/// Socket options. Most take effect for connections made or accepted afterwards, so set them before
/// `bind`/`connect` (libzmq's `zmq_setsockopt` manual says which are exceptions).
extension Socket {
    /// How long `close()` (and the context's termination) waits to deliver unsent messages:
    /// 0 drops them at once, -1 waits forever (libzmq's default).
    public func setLinger(milliseconds: Int) throws(ZMQError) {
        try setOption(ZMQ_LINGER, milliseconds, "set linger")
    }

    /// How many outgoing messages may queue per peer before sends block or fail (0 = no limit).
    public func setSendHighWaterMark(_ messages: Int) throws(ZMQError) {
        try setOption(ZMQ_SNDHWM, messages, "set send high-water mark")
    }

    /// How many incoming messages may queue per peer before libzmq stops reading (0 = no limit).
    public func setReceiveHighWaterMark(_ messages: Int) throws(ZMQError) {
        try setOption(ZMQ_RCVHWM, messages, "set receive high-water mark")
    }

    /// ROUTER only: sending to an unknown routing ID throws `isHostUnreachable` instead of
    /// silently dropping the message.
    public func setRouterMandatory(_ enabled: Bool) throws(ZMQError) {
        try setOption(ZMQ_ROUTER_MANDATORY, enabled ? 1 : 0, "set router mandatory")
    }

    /// The identity a ROUTER peer sees for this socket (1–255 bytes, not starting with a zero byte).
    public func setRoutingID(_ id: Data) throws(ZMQError) {
        try setOption(ZMQ_ROUTING_ID, bytes: id, "set routing ID")
    }

    /// Peers that send a larger message are disconnected instead of eating memory (-1 = no limit).
    public func setMaxMessageSize(_ bytes: Int64) throws(ZMQError) {
        try withHandle("set max message size") { (socket) throws(ZMQError) in
            try withUnsafeBytes(of: bytes) { (value) throws(ZMQError) in
                try zmqCheck("set max message size to \(bytes)") {
                    zmq_setsockopt(socket, ZMQ_MAXMSGSIZE, value.baseAddress, value.count)
                }
            }
        }
    }

    /// A blocking `receive` gives up after this long and returns nil (-1 = wait forever).
    public func setReceiveTimeout(milliseconds: Int) throws(ZMQError) {
        try setOption(ZMQ_RCVTIMEO, milliseconds, "set receive timeout")
    }

    /// A blocking `send` gives up after this long and returns false (-1 = wait forever).
    public func setSendTimeout(milliseconds: Int) throws(ZMQError) {
        try setOption(ZMQ_SNDTIMEO, milliseconds, "set send timeout")
    }

    /// Queue messages only to peers whose connection is complete, so nothing waits on a dead peer.
    public func setImmediate(_ enabled: Bool) throws(ZMQError) {
        try setOption(ZMQ_IMMEDIATE, enabled ? 1 : 0, "set immediate")
    }

    /// How soon a dropped connection is retried, backing off exponentially up to `max`
    /// (0 for `max` = no backoff).
    public func setReconnectInterval(milliseconds: Int, max: Int) throws(ZMQError) {
        try setOption(ZMQ_RECONNECT_IVL, milliseconds, "set reconnect interval")
        try setOption(ZMQ_RECONNECT_IVL_MAX, max, "set maximum reconnect interval")
    }

    /// SUB only: receive messages whose first frame starts with `prefix` (empty = everything).
    public func subscribe(_ prefix: Data) throws(ZMQError) {
        try setOption(ZMQ_SUBSCRIBE, bytes: prefix, "subscribe")
    }

    /// SUB only: undoes one matching `subscribe(prefix)`.
    public func unsubscribe(_ prefix: Data) throws(ZMQError) {
        try setOption(ZMQ_UNSUBSCRIBE, bytes: prefix, "unsubscribe")
    }

    /// Makes this socket the CURVE server side: it needs its own keys (`setCurveKeys`), clients need
    /// its public key (`setCurveServerKey`).
    public func setCurveServer(_ enabled: Bool) throws(ZMQError) {
        try setOption(ZMQ_CURVE_SERVER, enabled ? 1 : 0, "set CURVE server")
    }

    /// This socket's long-term CURVE key pair, as 40-character Z85 text (see `Curve.keyPair()`).
    public func setCurveKeys(publicKey: String, secretKey: String) throws(ZMQError) {
        try setOption(ZMQ_CURVE_PUBLICKEY, bytes: Data(publicKey.utf8), "set CURVE public key")
        try setOption(ZMQ_CURVE_SECRETKEY, bytes: Data(secretKey.utf8), "set CURVE secret key")
    }

    /// Client side: the server's CURVE public key (40-character Z85), which also turns CURVE on.
    /// The client needs its own key pair as well (`setCurveKeys`).
    public func setCurveServerKey(_ publicKey: String) throws(ZMQError) {
        try setOption(ZMQ_CURVE_SERVERKEY, bytes: Data(publicKey.utf8), "set CURVE server key")
    }

    /// The ZAP domain sent to an authentication handler, if one is registered on `inproc://zeromq.zap.01`.
    public func setZapDomain(_ domain: String) throws(ZMQError) {
        try setOption(ZMQ_ZAP_DOMAIN, bytes: Data(domain.utf8), "set ZAP domain")
    }

    /// ROUTER/DEALER: send an empty message on every new connection, so the other side learns this
    /// socket's routing ID without waiting for real traffic.
    public func setProbeRouter(_ enabled: Bool) throws(ZMQError) {
        try setOption(ZMQ_PROBE_ROUTER, enabled ? 1 : 0, "set probe router")
    }

    /// ZMTP heartbeats: ping every `interval` ms, drop the connection when no traffic arrives within
    /// `timeout` ms, and ask the peer to drop it after `ttl` ms of silence (0 turns a part off).
    public func setHeartbeat(interval: Int, timeout: Int, ttl: Int) throws(ZMQError) {
        try setOption(ZMQ_HEARTBEAT_IVL, interval, "set heartbeat interval")
        try setOption(ZMQ_HEARTBEAT_TIMEOUT, timeout, "set heartbeat timeout")
        try setOption(ZMQ_HEARTBEAT_TTL, ttl, "set heartbeat TTL")
    }

    // MARK: Plumbing

    private func setOption(_ name: Int32, _ value: Int, _ action: String) throws(ZMQError) {
        let value = try cInt(value, for: action)
        try withHandle(action) { (socket) throws(ZMQError) in
            try withUnsafeBytes(of: value) { (bytes) throws(ZMQError) in
                try zmqCheck("\(action) to \(value)") { zmq_setsockopt(socket, name, bytes.baseAddress, bytes.count) }
            }
        }
    }

    private func setOption(_ name: Int32, bytes data: Data, _ action: String) throws(ZMQError) {
        try withHandle(action) { (socket) throws(ZMQError) in
            try data.withUnsafeBytesThrowingZMQ { (bytes) throws(ZMQError) in
                // An empty Data may have no base address; libzmq wants a pointer even for length 0.
                let emptyStandIn: UInt8 = 0
                try withUnsafeBytes(of: emptyStandIn) { (standIn) throws(ZMQError) in
                    try zmqCheck(action) {
                        zmq_setsockopt(socket, name, bytes.baseAddress ?? standIn.baseAddress, bytes.count)
                    }
                }
            }
        }
    }

    func intOption(_ name: Int32, _ action: String) throws(ZMQError) -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try withHandle(action) { (socket) throws(ZMQError) in
            try zmqCheck(action) { zmq_getsockopt(socket, name, &value, &size) }
        }
        return value
    }
}
