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
/// Threading: `append` hands the records over under a lock (Job values: no copying, no encoding); the
/// writer thread encodes, writes, syncs and advances `durableSequence`. (Encoding on the loop thread cost
/// it a tenth of its time in the profile.) While it syncs, the loop keeps dispatching and queues more
/// records, which the next sync covers (group commit with no timer: batches grow exactly as large as the
/// disk is slow). Compaction runs on the writer thread between batches; while it runs, replies wait for
/// durability but dispatching does not.
///
/// Compaction: once the file has grown past `compactAfterBytes`, to four times its size after the last
/// compaction, and is at least three quarters finished work (an estimate kept as records are appended), the
/// writer rewrites it as its live content: unfinished and failed jobs whole, finished jobs' metadata within
/// `retentionSeconds` (the newest `keepFinished` of them). It writes that as a new file and renames it over
/// the old one; a crash at any point leaves either the old or the new file, both complete.
///
/// The live content comes from `mirror`, a replay of every record kept in memory as records are
/// written, never from reading the file back: the jobs in it share their document and output buffers with
/// the broker's own (Data is copy-on-write), so the mirror costs a dictionary entry per job, and a
/// compaction costs what it writes, not what the file holds. (The first version re-read and decoded the
/// whole file; the profile had that at a quarter of the broker's CPU under full load.) Done jobs are kept
/// there as the record a compaction writes for them, encoded once when they finish (`JournalReplay`), so
/// a compaction copies the retained done jobs' bytes instead of encoding each of them again.
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

    /// What the loop hands over: records not yet written. Kept as records, not bytes, so encoding them —
    /// copying every document into the log's framing — happens on the writer thread, not the loop's.
    private struct Pending {
        var records: [JournalRecord] = []
        var sequence: UInt64 = 0
        var closing = false
        var onDurable: (@Sendable () -> Void)?
    }

    /// What only the writer thread touches (and `recover` before it starts, `compact` after it stops).
    private struct WriterState {
        /// Every record written, replayed: what a compaction writes.
        var mirror = JournalReplay()
        /// Bytes written for each unfinished job since the file was opened or compacted, and an estimate of
        /// what a compaction would keep (those plus what the file held then).
        var jobBytes: [String: Int] = [:]
        var liveBytes = 0

        /// Counts a record of `size` bytes as live until its job is done.
        mutating func count(_ size: Int, of jobID: String, done: Bool) {
            if done {
                liveBytes -= jobBytes.removeValue(forKey: jobID) ?? 0
            } else {
                jobBytes[jobID, default: 0] += size
                liveBytes += size
            }
        }
    }

    public let path: String
    public var location: String { path }
    let settings: Settings
    private let pending = Mutex(Pending())
    private let writer = Mutex(WriterState())
    private let durable = Atomic<UInt64>(0)
    private let outageBox = Mutex<JournalOutage?>(nil)
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
            throw JournalError(
                message: "the journal \(path) is in use by another broker (its lock file is held); "
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
        let scan = JournalCodec.read(data)
        var replay = JournalReplay()
        for record in scan.records { replay.apply(record) }
        if !scan.damaged.isEmpty { try quarantine(scan.damaged, of: data) }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalError(message: "cannot open journal \(path): \(Self.errnoText())") }
        let valid = scan.validBytes
        if valid < data.count {
            // A crash mid-write leaves a partial record at the end: cut it off so new records follow whole ones.
            guard ftruncate(fd, off_t(valid)) == 0, fsync(fd) == 0 else {
                Glibc.close(fd)
                throw JournalError(message: "cannot cut the torn tail of \(path): \(Self.errnoText())")
            }
        }
        descriptor.withLock { $0 = fd }
        sizeBox.withLock { $0 = (valid, valid) }
        writer.withLock { state in
            state.liveBytes = valid
            state.mirror = replay
        }
        // Damaged stretches are in the quarantine file now; rewriting the log from what was read leaves them
        // out of it, so the next start does not find them again.
        if !scan.damaged.isEmpty { try compact() }
        startWriter()
        var contents = JournalContents(
            jobs: replay.orderedJobs, counters: replay.counters,
            tornBytes: data.count - valid)
        contents.quarantined = scan.damaged.map { JournalContents.Damage(offset: $0.lowerBound, bytes: $0.count) }
        contents.quarantinePath = scan.damaged.isEmpty ? nil : quarantinePath
        return contents
    }

    /// Where damaged stretches of the log are kept, for a person to look at: each one after a text line
    /// saying when it was found, where it was in the log and how long it is.
    public var quarantinePath: String { path + ".quarantine" }

    private func quarantine(_ damaged: [Range<Int>], of data: Data) throws {
        var out = Data()
        let found = ISO8601DateFormatter().string(from: Date())
        for range in damaged {
            out.append(
                Data(
                    "# docpipe journal quarantine: found \(found) in \(path) at offset \(range.lowerBound), \(range.count) bytes\n"
                        .utf8))
            out.append(data[(data.startIndex + range.lowerBound)..<(data.startIndex + range.upperBound)])
            out.append(Data("\n".utf8))
        }
        let fd = open(quarantinePath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw JournalError(
                message: "cannot write \(quarantinePath) to set aside a damaged part of the journal: "
                    + Self.errnoText())
        }
        defer { Glibc.close(fd) }
        let written = out.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        guard written == out.count, fsync(fd) == 0 else {
            throw JournalError(message: "cannot write \(quarantinePath): \(Self.errnoText())")
        }
    }

    public func append(_ records: [JournalRecord]) -> UInt64 {
        let sequence = pending.withLock { state -> UInt64 in
            state.records.append(contentsOf: records)
            state.sequence += 1
            return state.sequence
        }
        work.signal()
        return sequence
    }

    /// Encodes `records` into the log's framing, replaying them into the mirror and keeping the live-bytes
    /// estimate: a job's records count until it is done or dropped.
    private static func encode(_ records: [JournalRecord], into state: inout WriterState, to bytes: inout BinaryWriter)
    {
        for record in records {
            let before = bytes.count
            JournalCodec.append(record, to: &bytes)
            let size = bytes.count - before
            switch record {
            case .entry(.submitted(let job)), .snapshot(let job):
                state.count(size, of: job.id, done: job.state == .done)
            case .entry(.progressed(let progress, _, _)):
                state.count(size, of: progress.id, done: progress.state == .done)
            case .dropped(let jobID):
                state.liveBytes -= state.jobBytes.removeValue(forKey: jobID) ?? 0
            case .counters:
                break
            }
            state.mirror.apply(record)
        }
    }

    /// The writer's buffer is kept from batch to batch, so encoding does not fault in fresh pages each time
    /// (a new buffer per batch showed as page clearing, about 1.5 % of the broker, in the pipeline profile);
    /// one that grew past this for a large document is let go.
    private static let keptBufferBytes = 8 << 20

    public var durableSequence: UInt64 { durable.load(ordering: .acquiring) }

    public func setOnDurable(_ callback: @escaping @Sendable () -> Void) {
        pending.withLock { $0.onDurable = callback }
    }

    /// Since when the journal has been failing, and how many write attempts failed since (nil when healthy).
    public var outage: JournalOutage? { outageBox.withLock { $0 } }

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
            ThreadName.setCurrent("docpipe-journal")
            writerLoop()
            finished.signal()
        }
        thread.start()
    }

    /// Takes what the loop appended, writes and syncs it. A write or sync that fails (a full disk, a file size
    /// limit, an I/O error) does not stop the writer: the unsynced bytes are kept, the file is cut back to its
    /// last synced length (a partial write must not leave half a record before the next one), and the same
    /// bytes plus whatever arrived since are tried again with back-off (50 ms doubling to 2 s) until they go
    /// through. Meanwhile `outage` says so: the broker refuses new submits (503 `journal_unavailable`) and
    /// replies that wait for durability keep waiting, but nothing is lost and nothing exits.
    private func writerLoop() {
        var unsynced = BinaryWriter(capacity: 1 << 16)
        var unsyncedSequence: UInt64 = 0
        var backoff = 0.05
        while true {
            if unsynced.isEmpty {
                work.wait()
            } else {
                // Failing: wait out the back-off (appends do not cut it short), unless the broker is closing.
                let deadline = DispatchTime.now() + backoff
                while DispatchTime.now() < deadline, !pending.withLock({ $0.closing }) {
                    _ = work.wait(timeout: deadline)
                }
            }
            let (records, sequence, closing, callback) = pending.withLock { state in
                defer { state.records = [] }
                return (state.records, state.sequence, state.closing, state.onDurable)
            }
            if !records.isEmpty {
                writer.withLock { Self.encode(records, into: &$0, to: &unsynced) }
                unsyncedSequence = sequence
            }
            if !unsynced.isEmpty {
                do {
                    try writeAndSync(unsynced.bytes)
                    if unsynced.capacity > Self.keptBufferBytes {
                        unsynced = BinaryWriter(capacity: 1 << 16)
                    } else {
                        unsynced.removeAll()
                    }
                    backoff = 0.05
                    outageBox.withLock { $0 = nil }
                    durable.store(unsyncedSequence, ordering: .releasing)
                } catch {
                    cutBackToSyncedLength()
                    outageBox.withLock { outage in
                        if outage == nil { outage = JournalOutage(since: Date(), message: "\(error)") }
                        outage?.message = "\(error)"
                        outage?.failedWrites += 1
                        outage?.unsyncedBytes = unsynced.count
                    }
                    backoff = min(backoff * 2, 2)
                }
                callback?()
                if unsynced.isEmpty, shouldCompact() {
                    // A failed compaction leaves the old file whole and in use; it is retried once the file
                    // has grown that much again.
                    try? compact()
                }
            }
            if closing {
                // Records that could not be written by now are lost with the process; none of them was
                // acknowledged (replies wait for durability).
                return
            }
        }
    }

    /// After a failed write: truncates the log to what was last written and synced in full.
    private func cutBackToSyncedLength() {
        let fd = descriptor.withLock { $0 }
        let synced = sizeBox.withLock { $0.current }
        _ = ftruncate(fd, off_t(synced))
    }

    private func writeAndSync(_ bytes: some ContiguousBytes) throws {
        let fd = descriptor.withLock { $0 }
        let count = try bytes.withUnsafeBytes { raw -> Int in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw JournalError(message: "cannot write journal \(path): \(Self.errnoText())")
                }
                offset += n
            }
            return raw.count
        }
        guard fdatasync(fd) == 0 else {
            throw JournalError(message: "cannot sync journal \(path): \(Self.errnoText())")
        }
        sizeBox.withLock { $0.current += count }
    }

    /// Compacts when the file is past the threshold, has grown to `growthBeforeCompaction` times its size
    /// after the last compaction, and at least three quarters of it is finished work: a backlog of
    /// unfinished jobs (which compaction would copy whole) never triggers it, and each compaction frees at
    /// least three times what it writes (the profile showed compaction at half garbage taking a third of the
    /// broker's CPU under full load).
    private func shouldCompact() -> Bool {
        let live = writer.withLock { $0.liveBytes }
        return sizeBox.withLock { size in
            size.current > settings.compactAfterBytes
                && size.current > Self.growthBeforeCompaction * size.afterCompaction && size.current > 4 * live
        }
    }

    /// How many times its compacted size the file grows before the next compaction. A compaction rewrites
    /// the retained metadata of every done job (up to `keepFinished`, for `docpipe job`), so with a full
    /// day's retention it writes about as much at each compaction whatever the rate: 4 rather than 2 halves
    /// how often that happens, for at most twice the disk. (Measured: at 2, compaction was a tenth of the
    /// broker's CPU in a 40,000-document pipeline run, its writer thread sorting and encoding 40,000 jobs'
    /// metadata every 16,000 documents.)
    static let growthBeforeCompaction = 4

    /// Rewrites the log as its live content, from the mirror of what the file holds. Runs on the writer
    /// thread between batches (or in tests after `close`), so the file does not change meanwhile; records
    /// the loop appends in the meantime wait in `pending` for the next batch, into the new file.
    func compact() throws {
        let cutoff = Date().timeIntervalSince1970 - settings.retentionSeconds
        let (kept, counters) = writer.withLock { state in
            (state.mirror.compact(cutoff: cutoff, keepFinished: settings.keepFinished), state.mirror.counters)
        }
        var encoded = BinaryWriter(capacity: 1 << 20)
        var unfinishedBytes: [String: Int] = [:]
        for entry in kept {
            switch entry {
            case .job(let job):
                let before = encoded.count
                JournalCodec.append(.snapshot(job), to: &encoded)
                if !job.isFinished { unfinishedBytes[job.id] = encoded.count - before }
            case .done(_, let framed):
                // Encoded once when the job finished; copied as it is.
                encoded.raw(framed)
            }
        }
        if !counters.isEmpty { JournalCodec.append(.counters(counters), to: &encoded) }
        try replaceFile(with: encoded.bytes)
        // What the new file holds counts as live until its jobs finish (done metadata until the next compaction).
        writer.withLock { state in
            state.liveBytes = encoded.count
            state.jobBytes = unfinishedBytes
        }
        compactionCount.add(1, ordering: .relaxed)
    }

    /// Writes `bytes` as a new file, syncs it and renames it over the log; on failure the old file stays.
    private func replaceFile(with bytes: [UInt8]) throws {
        let temporary = path + ".compact"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalError(message: "cannot create \(temporary): \(Self.errnoText())") }
        let old = descriptor.withLock { current -> Int32 in
            defer { current = fd }
            return current
        }
        let previousSize = sizeBox.withLock { size -> (current: Int, afterCompaction: Int) in
            defer { size = (0, 0) }
            return size
        }
        do {
            try writeAndSync(bytes)
            guard rename(temporary, path) == 0 else {
                throw JournalError(message: "cannot replace \(path) after compaction: \(Self.errnoText())")
            }
        } catch {
            Glibc.close(fd)
            unlink(temporary)
            descriptor.withLock { $0 = old }
            // Retried once the file has grown that much again.
            sizeBox.withLock { $0 = (previousSize.current, previousSize.current) }
            throw error
        }
        Glibc.close(old)
        syncFolder()
        sizeBox.withLock { $0 = (bytes.count, bytes.count) }
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
