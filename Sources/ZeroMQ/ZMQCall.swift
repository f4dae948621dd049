internal import CZeroMQ
internal import Foundation

/// How a libzmq call ended when it did not fail outright.
enum ZMQCallOutcome: Equatable {
    /// The call returned something other than -1 (its value is kept for calls that return counts).
    case completed(Int32)
    /// EAGAIN: nothing could be done without blocking, or a timeout expired. A value, not an error,
    /// because for non-blocking sends and receives it is the normal "try later" answer.
    case wouldBlock
    /// EINTR, reported only when the caller asked for it (`poll` hands it back so the caller can look
    /// at its shutdown flag); otherwise the call is simply made again.
    case interrupted
}

/// What to do when a signal interrupts a blocking call.
enum InterruptPolicy {
    case retry
    case report
}

/// The one place where libzmq's `-1` + errno becomes Swift: EINTR retried (or reported), EAGAIN a
/// value, anything else a thrown `ZMQError` naming `action`.
///
/// `call` must return libzmq's status code; calls that return a pointer map NULL to -1 themselves.
func zmqCall(
    _ action: @autoclosure () -> String,
    onInterrupt: InterruptPolicy = .retry,
    _ call: () -> Int32
) throws(ZMQError) -> ZMQCallOutcome {
    while true {
        let status = call()
        if status != -1 { return .completed(status) }
        // Read errno before anything else (even building a string) can overwrite it.
        let code = zmq_errno()
        switch code {
        case EINTR where onInterrupt == .retry: continue
        case EINTR: return .interrupted
        case EAGAIN: return .wouldBlock
        default: throw ZMQError(code: code, while: action())
        }
    }
}

/// For calls where "would block" cannot be a normal answer (bind, options, …): every failure throws.
func zmqCheck(_ action: @autoclosure () -> String, _ call: () -> Int32) throws(ZMQError) {
    switch try zmqCall(action(), call) {
    case .completed: return
    case .wouldBlock, .interrupted: throw ZMQError(code: EAGAIN, while: action())
    }
}

/// Option values are `int` in C; a Swift `Int` that does not fit is refused rather than truncated.
func cInt(_ value: Int, for action: @autoclosure () -> String) throws(ZMQError) -> Int32 {
    guard let narrowed = Int32(exactly: value) else {
        throw ZMQError(code: EINVAL, message: "\(action()): \(value) does not fit in a C int")
    }
    return narrowed
}

/// Reads a NUL-terminated C string out of a buffer libzmq filled in, never past the buffer's end.
func string(fromCBuffer buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension Data {
    /// `Data.withUnsafeBytes` only `rethrows` untyped errors; this keeps `throws(ZMQError)` intact
    /// through the buffer scope.
    func withUnsafeBytesThrowingZMQ<Result>(
        _ body: (UnsafeRawBufferPointer) throws(ZMQError) -> Result
    ) throws(ZMQError) -> Result {
        let outcome: Swift.Result<Result, ZMQError> = withUnsafeBytes { bytes in
            Swift.Result { () throws(ZMQError) in try body(bytes) }
        }
        return try outcome.get()
    }
}
