public import BrokerCore
public import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The embedded journal: one append-only log file of checksummed records, written by its own thread with
/// group commit, compacted by the same thread when it grows.
///
/// Why a log and not SQLite (which the journal was until 0.2): measured with `make bench`, the SQLite journal
/// wrote about 43 KB per 2.3 KB document (every commit writes whole 4 KB pages to the WAL, and the checkpoint
/// writes them again) and its statements cost more CPU than the rest of the broker. A log writes each fact
/// once — the document at submit, each stage's output, each state change — about 3 KB per document, with
/// one `fdatasync` per batch. Reading it back is a sequential scan, which is all recovery needs; queries
/// are answered from the broker's memory, so the file is never searched.
///
/// Threading: `append` encodes on the caller's thread and hands bytes over under a lock; the writer thread
/// writes, syncs and advances `durableSequence`. While it syncs, the loop keeps dispatching and queues more
/// records, which the next sync covers (group commit with no timer: batches grow exactly as large as the
/// disk is slow). Compaction runs on the writer thread between batches; while it runs, replies wait for
/// durability but dispatching does not.
///
/// Compaction: once the file has grown past `compactAfterBytes`, doubled since the last compaction and is
/// at least three quarters finished work (an estimate kept as records are appended), the writer reads it back, keeps unfinished and failed jobs whole, keeps finished jobs' metadata within
/// `retentionSeconds` (the newest `keepFinished` of them), writes that as a new file and renames it over
/// the old one. A crash at any point leaves either the old or the new file, both complete.
public final class LogJournal: JobJournal {
    public struct Settings: Sendable {
        public var compactAfterBytes: Int
        public var retentionSeconds: Double
        public var keepFinished: Int

        public init(compactAfterBytes: Int = 64 << 20, retentionSeconds: Double = 86_400, keepFinished: Int = 100_000) {
            self.compactAfterBytes = compactAfterBytes
            self.retentionSeconds = retentionSeconds
            self.keepFinished = keepFinished
        }
    }

    private struct Pending {
        var bytes = Data()
        /// Bytes appended for each unfinished job since the file was last opened or compacted, and their
        /// sum plus the file's size then: an estimate of what a compaction would keep.
        var jobBytes: [String: Int] = [:]
        var liveBytes = 0
        var sequence: UInt64 = 0
        var closing = false
        var onDurable: (@Sendable () -> Void)?
    }

    public let path: String
    public var location: String { path }
    let settings: Settings
    private let pending = Mutex(Pending())
    private let durable = Atomic<UInt64>(0)
    private let failureBox = Mutex<String?>(nil)
    private let work = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)
    private let descriptor = Mutex<Int32>(-1)
    private let lockDescriptor: Int32
    private let sizeBox = Mutex<(current: Int, afterCompaction: Int)>((0, 0))
    /// How many compactions ran (for tests and counters).
    public var compactions: Int { compactionCount.load(ordering: .relaxed) }
    private let compactionCount = Atomic<Int>(0)

    /// Opens (creating) the log and takes its lock: a second broker on the same file is refused.
    public init(path: String, settings: Settings = Settings()) throws {
        self.path = path
        self.settings = settings
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw JournalError(message: "cannot open \(path).lock: \(Self.errnoText())") }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(lock)
            throw JournalError(message: "the journal \(path) is in use by another broker (its lock file is held); "
                               + "stop that broker or give this one another --data folder")
        }
        lockDescriptor = lock
    }

    deinit {
        descriptor.withLock { if $0 >= 0 { Glibc.close($0) } }
        releaseLock()
    }

    private let lockReleased = Atomic<Bool>(false)

    private func releaseLock() {
        guard !lockReleased.exchange(true, ordering: .relaxed) else { return }
        Glibc.close(lockDescriptor)
    }

    // MARK: JobJournal

    public func recover() throws -> JournalContents {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        let (records, valid) = JournalCodec.read(data)
        var replay = JournalReplay()
        for record in records { replay.apply(record) }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalError(message: "cannot open journal \(path): \(Self.errnoText())") }
        if valid < data.count {
            // A crash mid-write leaves a partial record at the end: cut it off so new records follow whole ones.
            guard ftruncate(fd, off_t(valid)) == 0, fsync(fd) == 0 else {
                Glibc.close(fd)
                throw JournalError(message: "cannot cut the torn tail of \(path): \(Self.errnoText())")
            }
        }
        descriptor.withLock { $0 = fd }
        sizeBox.withLock { $0 = (valid, valid) }
        pending.withLock { $0.liveBytes = valid }
        startWriter()
        return JournalContents(jobs: replay.orderedJobs, counters: replay.counters, tornBytes: data.count - valid)
    }

    public func append(_ records: [JournalRecord]) -> UInt64 {
        var bytes = Data()
        var sizes: [(JournalRecord, Int)] = []
        sizes.reserveCapacity(records.count)
        for record in records {
            let before = bytes.count
            JournalCodec.append(record, to: &bytes)
            sizes.append((record, bytes.count - before))
        }
        let sequence = pending.withLock { state -> UInt64 in
            for (record, size) in sizes { Self.account(record, size: size, in: &state) }
            state.bytes.append(bytes)
            state.sequence += 1
            return state.sequence
        }
        work.signal()
        return sequence
    }

    /// Keeps the live-bytes estimate: a job's records count until it is done or dropped.
    private static func account(_ record: JournalRecord, size: Int, in state: inout Pending) {
        switch record {
        case .entry(.submitted(let job)), .snapshot(let job), .entry(.progressed(let job, _, _)):
            if job.state == .done {
                state.liveBytes -= state.jobBytes.removeValue(forKey: job.id) ?? 0
            } else {
                state.jobBytes[job.id, default: 0] += size
                state.liveBytes += size
            }
        case .dropped(let jobID):
            state.liveBytes -= state.jobBytes.removeValue(forKey: jobID) ?? 0
        case .counters:
            break
        }
    }

    public var durableSequence: UInt64 { durable.load(ordering: .acquiring) }

    public func setOnDurable(_ callback: @escaping @Sendable () -> Void) {
        pending.withLock { $0.onDurable = callback }
    }

    public var failure: String? { failureBox.withLock { $0 } }

    public func close() {
        let first = pending.withLock { state -> Bool in
            defer { state.closing = true }
            return !state.closing
        }
        guard first else { return }
        work.signal()
        if started.load(ordering: .relaxed) { finished.wait() }
        // Everything is written: another broker may have the journal now.
        releaseLock()
    }

    // MARK: the writer

    private func startWriter() {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let thread = Thread { [self] in
            writerLoop()
            finished.signal()
        }
        thread.name = "docpipe-journal"
        thread.start()
    }

    private func writerLoop() {
        while true {
            work.wait()
            let (bytes, sequence, closing, callback) = pending.withLock { state in
                defer { state.bytes = Data() }
                return (state.bytes, state.sequence, state.closing, state.onDurable)
            }
            if !bytes.isEmpty, failure == nil {
                do {
                    try writeAndSync(bytes)
                    durable.store(sequence, ordering: .releasing)
                } catch {
                    failureBox.withLock { $0 = "\(error)" }
                }
                callback?()
                if failure == nil, shouldCompact() {
                    do {
                        try compact()
                    } catch {
                        // A failed compaction leaves the old file in use; it is retried when the file grows more.
                        sizeBox.withLock { $0.afterCompaction = $0.current }
                    }
                }
            }
            if closing { return }
        }
    }

    private func writeAndSync(_ bytes: Data) throws {
        let fd = descriptor.withLock { $0 }
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw JournalError(message: "cannot write journal \(path): \(Self.errnoText())")
                }
                offset += n
            }
        }
        guard fdatasync(fd) == 0 else { throw JournalError(message: "cannot sync journal \(path): \(Self.errnoText())") }
        sizeBox.withLock { $0.current += bytes.count }
    }

    /// Compacts when the file is past the threshold and at least three quarters of it is finished work: a
    /// backlog of unfinished jobs (which compaction would copy whole) never triggers it, and each compaction
    /// frees at least three times what it writes (the profile showed compaction at half garbage taking a
    /// third of the broker's CPU under full load).
    private func shouldCompact() -> Bool {
        let live = pending.withLock { $0.liveBytes }
        return sizeBox.withLock { size in
            size.current > settings.compactAfterBytes && size.current > 2 * size.afterCompaction
                && size.current > 4 * live
        }
    }

    /// Rewrites the log as its live content. Runs on the writer thread, so nothing is appended meanwhile.
    func compact() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var replay = JournalReplay()
        for record in JournalCodec.read(data).records { replay.apply(record) }
        let cutoff = Date().timeIntervalSince1970 - settings.retentionSeconds
        let jobs = replay.orderedJobs
        let keptDone = Set(jobs.filter { $0.state == .done && $0.updatedAt >= cutoff }
            .sorted { $0.updatedAt > $1.updatedAt }.prefix(settings.keepFinished).map(\.id))
        var out = Data()
        for job in jobs where job.state != .done || keptDone.contains(job.id) {
            JournalCodec.append(.snapshot(job), to: &out)
        }
        if !replay.counters.isEmpty { JournalCodec.append(.counters(replay.counters), to: &out) }
        let temporary = path + ".compact"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalError(message: "cannot create \(temporary): \(Self.errnoText())") }
        let previousSize = sizeBox.withLock { size -> (current: Int, afterCompaction: Int) in
            defer { size = (0, 0) }
            return size
        }
        let old = descriptor.withLock { current -> Int32 in
            defer { current = fd }
            return current
        }
        func restore() {
            descriptor.withLock { $0 = old }
            sizeBox.withLock { $0 = previousSize }
            Glibc.close(fd)
            unlink(temporary)
        }
        do {
            try writeAndSync(out)
        } catch {
            restore()
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let text = Self.errnoText()
            restore()
            throw JournalError(message: "cannot replace \(path) after compaction: \(text)")
        }
        Glibc.close(old)
        syncFolder()
        sizeBox.withLock { $0 = (out.count, out.count) }
        // Records appended meanwhile stay counted; the rewritten file counts as live until jobs finish.
        pending.withLock { state in
            state.liveBytes = out.count + state.jobBytes.values.reduce(0, +)
            state.jobBytes = [:]
        }
        compactionCount.add(1, ordering: .relaxed)
    }

    private func syncFolder() {
        let folder = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            Glibc.close(folder)
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
