public import Foundation

// A stranger's name with no clue around it ("… with Faye Dunaway and Warren Beatty on stage") looks
// like any other capitalised pair ("Human Rights", "Iron Dome"). What tells them apart is data rules do
// not have: whether the words are given names and surnames, and whether they are ordinary English words.
// tools/person_names.py writes both from PyPI (the 1990 US Census name lists and wordfreq's English word
// frequencies); `make models` installs the file beside the executables like the language models. This
// type only reads a file it is handed and judges words; finding the file is the programs' business.

/// Census given names and surnames with English word frequencies: whether a clueless capitalised pair
/// is a person's name. `PersonNames.none` knows nothing and never says yes.
public struct PersonNames: Sendable {
    /// The lists' file name beside the executables, and the variable that names another file.
    public static let fileName = "person-names.tsv"
    public static let environmentVariable = "DOCPIPE_PERSON_NAMES"
    static let format = "docpipe-person-names/1"

    /// Knows no names: entities are typed by the rules alone.
    public static let none = PersonNames(given: [], surnames: [:], zipf: [:])

    /// Given names ("Faye"), capitalised as in text.
    let given: Set<String>
    /// Surnames ("Dunaway") with the census share of people bearing them, in percent.
    let surnames: [String: Double]
    /// Lowercase English words with their Zipf value (log10 per billion words); rarer words are absent.
    let zipf: [String: Double]

    /// What was loaded, or why nothing was, for a start-up log line.
    public private(set) var status = "no person-name lists: names are typed by the rules alone"

    init(given: Set<String>, surnames: [String: Double], zipf: [String: Double]) {
        self.given = given
        self.surnames = surnames
        self.zipf = zipf
    }

    /// The lists in the file a program located (`InstalledModelFile.locate`), or none, with `status` saying
    /// why: a missing or unreadable file is no reason to stop extracting, only to type fewer names.
    public init(located: Result<URL, some Error>) {
        switch located {
        case .success(let url):
            do {
                self = try PersonNames(contentsOf: url)
                status =
                    "\(given.count) given names, \(surnames.count) surnames, \(zipf.count) English word "
                    + "frequencies from \(url.path)"
            } catch {
                self = .none
                status = "no person-name lists (\(error)); names are typed by the rules alone"
            }
        case .failure(let error):
            self = .none
            status = "no person-name lists (\(error)); names are typed by the rules alone"
        }
    }

    /// Whether any lists were loaded.
    public var isEmpty: Bool { given.isEmpty && surnames.isEmpty }

    /// Reads the file tools/person_names.py writes.
    public init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        try self.init(parsing: String(decoding: data, as: UTF8.self), source: url.path)
    }

    /// Parses the file's text: a format line, `#` comments, then `given|surname|word <TAB> text <TAB> number`.
    init(parsing text: String, source: String = "person names") throws {
        // Read as bytes: 120,000 lines split as Characters were most of the start-up; now about 0.07 s in all.
        var given: Set<String> = []
        var surnames: [String: Double] = [:]
        var zipf: [String: Double] = [:]
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: true)[...]
        guard let header = lines.popFirst(), String(decoding: header, as: UTF8.self) == Self.format else {
            throw PersonNamesError(description: "\(source) is not a \(Self.format) file; run `make models` again")
        }
        for line in lines where line.first != UInt8(ascii: "#") {
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            guard fields.count == 3, let value = Double(String(decoding: fields[2], as: UTF8.self)) else {
                let shown = String(decoding: line.prefix(80), as: UTF8.self)
                throw PersonNamesError(description: "\(source): malformed line '\(shown)'")
            }
            let word = String(decoding: fields[1], as: UTF8.self)
            switch String(decoding: fields[0], as: UTF8.self) {
            case "given": given.insert(word)
            case "surname": surnames[word] = value
            case "word": zipf[word] = value
            case let list: throw PersonNamesError(description: "\(source): unknown list '\(list.prefix(20))'")
            }
        }
        self.init(given: given, surnames: surnames, zipf: zipf)
    }

    /// Words inside a name that are neither given names nor surnames ("Marine Le Pen", "Vincent van Gogh").
    static let particles: Set<String> = [
        "Le", "La", "De", "Del", "Van", "Von", "Bin", "Al", "Da", "Di", "Du", "Der", "Den", "Ter", "St", "van",
        "von", "de", "del", "da", "di", "du", "der", "den", "ter", "bin",
    ]

    /// Whether two or three capitalised words with no clue around them name a person: the first a given
    /// name (or a surname that is no common word: "Boone Isaacs"), the last a surname or a rare word, and
    /// neither a common English word unless the census says it is a name as well ("Victor", "Costa").
    ///
    /// The thresholds: a word of Zipf ≥ 4 is one of the ~7,000 commonest English words ("Iron", "Rights");
    /// one below 3 is rare enough to be a name ("Ciorbea"); a surname borne by ≥ 0.01 % of people
    /// ("Costa") stays a surname even when common as a word.
    func isPersonName(_ words: [String]) -> Bool {
        guard (2...3).contains(words.count), let first = words.first, let last = words.last,
            words.allSatisfy(Self.isNameShaped), !Self.particles.contains(first), !Self.particles.contains(last)
        else { return false }
        if words.count == 3 {
            let middle = words[1]
            guard Self.particles.contains(middle) || given.contains(middle) || surnames[middle] != nil else {
                return false
            }
        }
        let firstIsName =
            given.contains(first) || (surnames[first, default: 0] >= 0.002 && zipfValue(first) < 4)
        // "Marine Le Pen", "Vincent van Gogh": a given name, then a particle's surname.
        if words.count == 3, Self.particles.contains(words[1]) { return given.contains(first) }
        let lastShare = surnames[last, default: 0]
        let lastIsName = (lastShare >= 0.001 && (zipfValue(last) < 4 || lastShare >= 0.01)) || zipfValue(last) < 3
        return firstIsName && lastIsName
    }

    /// Whether the census lists have the word as a given name or a surname.
    func isKnownNameWord(_ word: String) -> Bool { given.contains(word) || surnames[word] != nil }

    /// Whether a capitalised pair could be a given name and a surname when the text gives another reason to
    /// think so (the surname used alone, or by another person): both words name-shaped, neither a common
    /// English word unless the census knows it as a name, the last no organisation's or place's head word.
    /// Without word frequencies (`PersonNames.none`) only the shapes and heads are checked.
    func mayBeSurnamePair(_ words: [String]) -> Bool {
        guard words.count == 2, words.allSatisfy(Self.isNameShaped), !Self.particles.contains(words[0]),
            !Gazetteer.organizationSuffixes.contains(words[1]), !Gazetteer.placeSuffixes.contains(words[1]),
            !Gazetteer.namedThingHeads.contains(words[1])
        else { return false }
        let first = words[0]
        let last = words[1]
        return (given.contains(first) || zipfValue(first) < 4) && (surnames[last] != nil || zipfValue(last) < 4)
    }

    private func zipfValue(_ word: String) -> Double {
        zipf[word.lowercased()] ?? 0
    }

    /// "Dunaway", "O'Neill", "Smith-Jones", "Le": a capital, then lowercase letters (a hyphen or apostrophe
    /// may join a second part). Not "NATO", "iPhone" or "X5".
    static func isNameShaped(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count >= 2, scalars[0].properties.isUppercase else { return false }
        var previousJoins = false
        for scalar in scalars.dropFirst() {
            if scalar == "-" || scalar == "'" || scalar == "\u{2019}" {
                if previousJoins { return false }
                previousJoins = true
            } else if scalar.properties.isLowercase || (previousJoins && scalar.properties.isUppercase) {
                previousJoins = false
            } else {
                return false
            }
        }
        return !previousJoins
    }
}

/// A person-names file that cannot be read; the message says what to do.
public struct PersonNamesError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
