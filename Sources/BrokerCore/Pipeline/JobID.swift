/// Job ids: `job-` and eleven random base-32 digits (0-9, a-v), 55 bits.
///
/// Why fifteen characters: Swift keeps a string of at most 15 UTF-8 bytes inline, in the two words of the
/// `String` value. A job id is a key in half a dozen of the broker's tables (unfinished jobs, leases, where
/// each stage request is, metrics, owners, the archive, the journal's mirror) and is copied into every
/// action and record about its job; the 20-character ids used before (`job-` and 16 hex digits) lived on
/// the heap, so each copy was a reference count and each table probe a `memcmp` — about 5 % of the loop
/// thread's time in the pipeline profile of 2026-12-05. An inline id is compared as two words.
///
/// Why random and checked, not a counter: ids must stay unique across restarts and across brokers sharing
/// one journal, without coordination. 55 random bits alone would make a collision among a million
/// retained jobs about one in 70,000; `next(isTaken:)` also asks the broker whether it still knows the id
/// (unfinished, dead-lettered or retained done jobs) and draws again if so, so an id never names two jobs
/// the broker can be asked about. Ids are opaque to clients: older 20-character ids read from a journal
/// keep working.
public enum JobID {
    public static let prefix = "job-"
    public static let randomDigits = 11
    private static let digits: [UInt8] = Array("0123456789abcdefghijklmnopqrstuv".utf8)

    /// A fresh id from `random` (a 64-bit source) that `isTaken` does not know.
    public static func next(
        using random: inout some RandomNumberGenerator, isTaken: (String) -> Bool
    ) -> String {
        while true {
            let id = make(from: random.next())
            if !isTaken(id) { return id }
        }
    }

    /// The id whose digits are the low 55 bits of `bits`, most significant digit first.
    public static func make(from bits: UInt64) -> String {
        String(unsafeUninitializedCapacity: prefix.utf8.count + randomDigits) { buffer in
            var index = 0
            for byte in prefix.utf8 {
                buffer[index] = byte
                index += 1
            }
            for position in stride(from: randomDigits - 1, through: 0, by: -1) {
                buffer[index] = digits[Int((bits >> (5 * UInt64(position))) & 31)]
                index += 1
            }
            return index
        }
    }
}
