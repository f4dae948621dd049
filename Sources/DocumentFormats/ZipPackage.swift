public import Foundation
internal import ZIPFoundation

/// Safety limits for reading ZIP-based documents (DOCX, ODT). A zip bomb declares small sizes
/// and inflates to gigabytes, so the limits are enforced on the bytes actually inflated, not on
/// what the archive's directory claims.
public struct ArchiveLimits: Sendable, Equatable {
    /// Most bytes inflated from one archive, over all entries read.
    public var maxTotalBytes: Int
    /// Most entries the archive may list; more is refused before anything is inflated.
    public var maxEntries: Int

    public init(maxTotalBytes: Int = 200 * 1024 * 1024, maxEntries: Int = 10_000) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
    }

    public static let standard = ArchiveLimits()
}

/// A ZIP archive held in memory whose entries are inflated one at a time within `ArchiveLimits`.
/// A class because the inflation budget is shared by every read from one archive.
final class ZipPackage {
    private let archive: Archive
    private let format: String
    private var remaining: Int

    /// Opens the archive; a truncated or corrupt one (no readable central directory) is malformed.
    init(_ data: Data, format: String, limits: ArchiveLimits) throws(ExtractionError) {
        self.format = format
        remaining = limits.maxTotalBytes
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw .malformed(format: format, detail: "the ZIP container is truncated or corrupt")
        }
        var count = 0
        for _ in archive {
            count += 1
            if count > limits.maxEntries {
                throw .tooLarge("the archive lists more than \(limits.maxEntries) entries")
            }
        }
    }

    /// Opens the archive if it is one, for format sniffing; nil when it cannot be read.
    static func open(_ data: Data) -> ZipPackage? {
        try? ZipPackage(data, format: "ZIP", limits: ArchiveLimits(maxTotalBytes: 64 * 1024, maxEntries: 10_000))
    }

    func contains(_ path: String) -> Bool { archive[path] != nil }

    /// The inflated bytes of one entry, nil if absent. Inflation stops as soon as the shared
    /// budget is spent, so memory stays bounded whatever the entry's header claims.
    func read(_ path: String) throws(ExtractionError) -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.type == .file else { return nil }
        if entry.uncompressedSize > UInt64(max(remaining, 0)) {
            throw .tooLarge(
                "entry \(path) declares \(entry.uncompressedSize) bytes, over the archive's inflation limit")
        }
        var output = Data()
        var overBudget = false
        var budget = remaining
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                budget -= chunk.count
                if budget < 0 {
                    overBudget = true
                    throw CancellationError()
                }
                output.append(chunk)
            }
        } catch {
            if overBudget {
                throw .tooLarge("entry \(path) inflates past the archive's inflation limit (a zip bomb?)")
            }
            throw .malformed(format: format, detail: "entry \(path) cannot be inflated (corrupt or truncated data)")
        }
        remaining = budget
        return output
    }

    /// The entry's text (UTF-8 or UTF-16 by BOM, as XML parts are), nil if absent.
    func readText(_ path: String) throws(ExtractionError) -> String? {
        guard let data = try read(path) else { return nil }
        return TextDecoder.decode(data) ?? String(decoding: data, as: UTF8.self)
    }
}
