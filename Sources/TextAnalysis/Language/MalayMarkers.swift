// Indonesian and Malay are one language in two standards, and their character n-grams are nearly the
// same: lingua's models mix them up on short text (docs/EVALUATION.md: Indonesian 67%, Malay 87% on
// 5–10 words, for lingua and for docpipe's table alike). Their standard vocabularies and spellings,
// though, differ in frequent words, software words among them: Indonesian "bisa, karena, uang, berkas,
// tautan, unggah, tanggal, nomor", Malay "kerana, wang, fail, pautan, laluan, tarikh, nombor, baharu";
// Indonesian writes -itas where Malay writes -iti (kualitas/kualiti). When the table's answer is one
// of the two, these markers pick between them as NordicMarkers does for Danish, Norwegian and Swedish;
// with no markers or a tie the table's answer stands. Words both standards use (boleh, saja, harus,
// berlaku, kini) are left out. The lists are facts about the two standards, not weights fitted to data,
// but they were written after seeing these confusions in the evaluation.
enum MalayMarkers {
    static let languages: Set<String> = ["id", "ms"]

    static let words: [String: Set<String>] = [
        "id": [
            "bisa", "karena", "uang", "silakan", "silahkan", "berkas", "tautan", "sandi", "unggah", "diunggah",
            "mengunggah", "unduh", "mengunduh", "diunduh", "surel", "pengaturan", "tanggal", "nomor", "galat",
            "tampilkan", "ditampilkan", "menampilkan", "perbarui", "diperbarui", "memperbarui", "pembaruan",
            "otomatis", "gratis", "ponsel",
        ],
        "ms": [
            "kerana", "sahaja", "wang", "sila", "fail", "pautan", "laluan", "tetapan", "ralat", "tarikh", "nombor",
            "papar", "dipaparkan", "memaparkan", "paparkan", "adakah", "emel", "automatik", "baharu", "sebarang",
            "pentadbir", "dipadam", "memadam",
        ],
    ]

    /// The language the markers favour between Indonesian and Malay, or nil when they don't.
    static func preferred(in text: String) -> String? {
        var counts: [String: Int] = [:]
        for word in Tokenizer.words(text) {
            let lower = word.lowercased()
            var owners = words.filter { $0.value.contains(lower) }.map(\.key)
            if owners.isEmpty, lower.count > 6, lower.hasSuffix("itas") { owners = ["id"] }
            if owners.isEmpty, lower.count > 6, lower.hasSuffix("iti") { owners = ["ms"] }
            if owners.count == 1, let owner = owners.first { counts[owner, default: 0] += 1 }
        }
        guard let best = counts.max(by: { $0.value < $1.value }),
            counts.values.filter({ $0 == best.value }).count == 1
        else { return nil }
        return best.key
    }
}
