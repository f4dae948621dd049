import Foundation

#if canImport(Glibc)
    import Glibc
    import OperatorViews
#endif

/// The controlling terminal for a full-screen view: raw keys, the alternate screen, no cursor — and all of
/// it undone on the way out, whether by `q`, Ctrl-C, SIGTERM or a dropped SSH session (SIGHUP).
///
/// Only `docpipe top` uses it, and only when stdin and stdout are terminals.
final class Terminal: @unchecked Sendable {
    private var saved = termios()
    private var active = false
    private let lock = NSLock()
    private var stopRequested = false
    private var sources: [any DispatchSourceSignal] = []

    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Turns SIGINT, SIGTERM and SIGHUP into `stopRequested` so the view's loop ends and `restore` runs.
    init() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.requestStop() }
            source.resume()
            sources.append(source)
        }
    }

    deinit { restore() }

    func requestStop() { lock.withLock { stopRequested = true } }
    var shouldStop: Bool { lock.withLock { stopRequested } }

    /// Keys arrive one at a time, unechoed; Ctrl-C arrives as byte 3 (ISIG off) so quitting is one path.
    func enterFullScreen() throws {
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
            throw CLIError("cannot read the terminal settings: \(String(cString: strerror(errno)))")
        }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
            bytes[Int(VMIN)] = 0
            bytes[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0 else {
            throw CLIError("cannot switch the terminal to raw mode: \(String(cString: strerror(errno)))")
        }
        active = true
        write(ANSI.alternateScreenOn + ANSI.hideCursor + ANSI.clearScreen)
    }

    /// Idempotent: the normal screen, the cursor and the saved terminal settings come back.
    func restore() {
        guard active else { return }
        active = false
        write(ANSI.showCursor + ANSI.alternateScreenOff)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
    }

    /// Columns × rows of the terminal; 80 × 24 when it cannot tell (not a tty, or a terminal that won't say).
    static func size() -> (columns: Int, rows: Int) {
        var size = winsize()
        #if canImport(Glibc)
            let result = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size)
        #else
            let result = ioctl(STDOUT_FILENO, TIOCGWINSZ, &size)
        #endif
        guard result == 0, size.ws_col > 0, size.ws_row > 0 else { return (80, 24) }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// Waits up to `milliseconds` for keys (or a stop signal) and returns the bytes typed, if any.
    ///
    /// A terminal that went away (SSH dropped, tmux killed) reads as end-of-file or EIO without any signal
    /// reaching us — only the session leader gets SIGHUP — so that too requests a stop instead of spinning.
    func readKeys(waitingUpTo milliseconds: Int) -> [UInt8] {
        var poller = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(max(0, milliseconds)))
        guard ready > 0 else { return [] }
        if poller.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0, poller.revents & Int16(POLLIN) == 0 {
            requestStop()
            return []
        }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        if count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN) {
            requestStop()
            return []
        }
        return count > 0 ? Array(buffer[0..<count]) : []
    }

    /// One write(2) per frame: the screen changes at once, never half-drawn.
    func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            // Nobody is reading any more (EIO on a hung-up terminal, EPIPE on a closed pipe): stop.
            if written <= 0 { return requestStop() }
            offset += written
        }
    }
}
