// Date mentions, normalised to ISO-8601 prefixes of the precision the text gives: "1997",
// "2025-06", "2024-03-05", each with a confidence that it is a date. A year in a year-ish context
// ("in 1997", "since 2022") is likely; a bare year-like number ("Annual report 2024") less so, and
// one that counts something ("2000 troops", "$2024", "2024 km") is not a date at all.

/// One date the text mentions, with how sure the reading is (0…1).
public struct DateMention: Codable, Sendable, Equatable, Hashable {
    /// ISO 8601, as precise as the text: "2024", "2024-03" or "2024-03-05".
    public var date: String
    public var confidence: Double

    public init(date: String, confidence: Double) {
        self.date = date
        self.confidence = confidence
    }
}

/// Finds and normalises date mentions in text.
public enum DateExtractor {
    /// Normalised dates, unique, in order of first mention.
    public static func dates(in text: String) -> [String] {
        mentions(in: text).map(\.date)
    }

    /// Date mentions, unique by date (the surest reading kept), in order of first mention. A bare
    /// year is left out when the text also gives a fuller date in that year: "June 2025 … 2025".
    public static func mentions(in text: String) -> [DateMention] {
        let tokens = Tokenizer.tokens(text)
        var found: [DateMention] = []
        var position: [String: Int] = [:]
        var index = 0
        func add(_ mention: DateMention) {
            if let at = position[mention.date] {
                found[at].confidence = max(found[at].confidence, mention.confidence)
            } else {
                position[mention.date] = found.count
                found.append(mention)
            }
        }
        while index < tokens.count {
            if let years = yearRange(tokens[index].text) {
                for year in years { add(DateMention(date: String(year), confidence: yearInContext)) }
                index += 1
            } else if let (mention, used) = match(tokens, at: index) {
                add(mention)
                index += used
            } else {
                index += 1
            }
        }
        let fullerYears = Set(found.lazy.filter { $0.date.count > 4 }.map { $0.date.prefix(4) })
        return found.filter {
            $0.date.count > 4 || $0.confidence >= yearInContext || !fullerYears.contains($0.date.prefix(4))
        }
    }

    /// Normalises one date string from metadata ("2024-03-05T10:00:00Z", "March 5, 2024").
    public static func normalize(_ text: String) -> String? {
        dates(in: text).first ?? dates(in: "in " + text).first
    }

    /// The confidence of a day, month and year (`package`: the extractor gives a published date this one).
    package static let fullDate = 0.95
    static let monthAndYear = 0.9
    static let yearInContext = 0.8
    static let bareYear = 0.5

    private static func match(_ tokens: [Token], at index: Int) -> (DateMention, Int)? {
        let token = tokens[index]
        if let iso = isoDate(token.text) {
            return (DateMention(date: iso, confidence: iso.count > 7 ? fullDate : monthAndYear - 0.05), 1)
        }
        if let month = month(token.text) {
            var next = index + 1
            if next < tokens.count, tokens[next].text == "." { next += 1 } // "Sept. 5"
            if let day = day(at: next, tokens) {
                var after = next + 1
                if after < tokens.count, tokens[after].text == "," { after += 1 }
                if let year = year(at: after, tokens) {
                    return (DateMention(date: format(year, month, day), confidence: fullDate), after + 1 - index)
                }
                return nil
            }
            if let year = year(at: next, tokens) {
                return (DateMention(date: format(year, month), confidence: monthAndYear), next + 1 - index)
            }
            return nil
        }
        if let day = day(at: index, tokens) {
            var next = index + 1
            if next < tokens.count, tokens[next].text == "." || tokens[next].text.lowercased() == "of" { next += 1 }
            if next < tokens.count, let month = month(tokens[next].text) {
                if let year = year(at: next + 1, tokens) {
                    return (DateMention(date: format(year, month, day), confidence: fullDate), next + 2 - index)
                }
                return nil
            }
        }
        guard let year = year(at: index, tokens) else { return nil }
        if hasYearContext(tokens, at: index) { return (DateMention(date: format(year), confidence: yearInContext), 1) }
        if isBareYear(tokens, at: index) { return (DateMention(date: format(year), confidence: bareYear), 1) }
        return nil
    }

    /// A year-like number with no year context is still read as a year, unless its neighbours show
    /// it counts or measures something: "$2024", "2024 km", "2000 troops", "2024%". ("10.2024" and
    /// "1,2024" are one number token already.)
    private static func isBareYear(_ tokens: [Token], at index: Int) -> Bool {
        if index > 0 {
            let previous = tokens[index - 1]
            if previous.kind == .number || quantityPrefixes.contains(previous.text.lowercased()) { return false }
        }
        guard index + 1 < tokens.count else { return true }
        let next = tokens[index + 1]
        let word = next.text.lowercased()
        if next.kind == .number || ["%", "‰", "°", "×", "x"].contains(word) || units.contains(word) { return false }
        // A lowercase plural right after the number is what it counts: "2000 troops", "1999 votes".
        if next.kind == .word, next.text.first?.isLowercase == true, word.count > 3, word.hasSuffix("s"),
            !word.hasSuffix("ss"), !yearVerbs.contains(word)
        {
            return false
        }
        return true
    }

    private static let quantityPrefixes: Set<String> = [
        "$", "€", "£", "¥", "₽", "₹", "#", "no", "nr", "nº", "№", "usd", "eur", "gbp", "chf", "sek", "nok", "dkk",
        "page",
        "pages", "p", "pp", "room", "flight", "route", "model", "version", "v", "code", "id", "ref", "+", "-", "−", "±",
    ]
    private static let units: Set<String> = [
        "km", "m", "cm", "mm", "kg", "g", "mg", "t", "lb", "lbs", "mi", "ft", "kw", "kwh", "mw", "mwh", "gw", "gwh",
        "mph",
        "km/h", "hp", "ml", "l", "bn", "mn", "m²", "metres", "meters", "miles", "tonnes", "tons", "euros", "dollars",
        "pounds", "people", "men", "women", "children", "times", "hours", "minutes", "seconds", "days", "weeks",
        "months",
        "years", "per", "of",
    ]
    /// Verbs in the third person that often follow a year as subject: "2024 was", "2023 marks".
    private static let yearVerbs: Set<String> = [
        "was", "is", "has", "saw", "sees", "marks", "marked", "brings", "begins", "ends", "looks", "promises",
        "remains",
        "proves", "seems", "goes", "comes", "gives", "takes", "holds", "shows",
    ]

    /// "2019-2022" (the tokenizer keeps a hyphenated range as one token): both years, rising.
    private static func yearRange(_ text: String) -> [Int]? {
        // Nine characters with the hyphen fifth: most tokens are turned away here, before any splitting.
        guard text.utf8.count == 9, text.utf8.dropFirst(4).first == UInt8(ascii: "-") else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 4, let first = Int(parts[0]),
            let second = Int(parts[1]), (1900...2099).contains(first), (first + 1...2099).contains(second)
        else { return nil }
        return [first, second]
    }

    private static func format(_ year: Int, _ month: Int? = nil, _ day: Int? = nil) -> String {
        var result = String(year)
        if let month { result += month < 10 ? "-0\(month)" : "-\(month)" }
        if let day { result += day < 10 ? "-0\(day)" : "-\(day)" }
        return result
    }

    /// "2024-03-05", "2024-03", and ISO timestamps (whose tail the tokenizer glues on).
    private static func isoDate(_ text: String) -> String? {
        guard text.utf8.count >= 7, text.utf8.dropFirst(4).first == UInt8(ascii: "-") else { return nil }
        let parts = text.split(separator: "-", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].count == 4, let year = Int(parts[0]), (1900...2099).contains(year),
            parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        if parts.count >= 3 {
            let dayDigits = parts[2].prefix(while: { $0.isASCII && $0.isNumber })
            let rest = parts[2].dropFirst(dayDigits.count)
            guard dayDigits.count == 2, let day = Int(dayDigits), (1...31).contains(day),
                rest.isEmpty || rest.first == "T" || rest.first == "t"
            else { return nil }
            return format(year, month, day)
        }
        return format(year, month)
    }

    private static func year(at index: Int, _ tokens: [Token]) -> Int? {
        guard index < tokens.count, tokens[index].kind == .number, tokens[index].text.count == 4,
            let year = Int(tokens[index].text), (1900...2099).contains(year)
        else { return nil }
        return year
    }

    private static func day(at index: Int, _ tokens: [Token]) -> Int? {
        // A day starts with a digit ("5", "05", "5th"): other tokens are turned away before lowercasing.
        guard index < tokens.count, let first = tokens[index].text.utf8.first, (0x30...0x39).contains(first) else {
            return nil
        }
        var text = Substring(tokens[index].text.lowercased())
        for suffix in ["st", "nd", "rd", "th"] where text.hasSuffix(suffix) { text = text.dropLast(2) }
        guard text.count <= 2, let day = Int(text), (1...31).contains(day) else { return nil }
        return day
    }

    private static func month(_ word: String) -> Int? {
        // Month names are letters from three ("jan") to nine ("листопада", 18 bytes) long.
        guard (3...18).contains(word.utf8.count), let first = word.unicodeScalars.first, first.properties.isAlphabetic
        else { return nil }
        let lower = word.lowercased()
        guard let month = months[lower] else { return nil }
        // These are also ordinary words; only the capitalised form is taken as a month.
        if ["may", "march", "mars", "mai"].contains(lower), word.first?.isUppercase != true { return nil }
        return month
    }

    private static func hasYearContext(_ tokens: [Token], at index: Int) -> Bool {
        guard index > 0 else { return false }
        let previous = tokens[index - 1].text.lowercased()
        if yearContext.contains(previous) { return true }
        if previous == "(", index + 1 < tokens.count, tokens[index + 1].text == ")" { return true }
        // Ranges: "from 2019 to 2022", "between 2019 and 2022", "2019–2022".
        if ["to", "and", "–", "-", "—"].contains(previous), index >= 2, year(at: index - 2, tokens) != nil {
            return true
        }
        if index + 1 < tokens.count, ["году", "года", "року", "jahr"].contains(tokens[index + 1].text.lowercased()) {
            return true
        }
        return false
    }

    private static let yearContext: Set<String> = [
        "in", "since", "by", "from", "until", "till", "of", "during", "before", "after", "early", "late", "mid",
        "around", "circa", "year", "spring", "summer", "autumn", "fall", "winter", "end", "start", "beginning",
        "through", "throughout", "fiscal", "fy", "season", "im", "seit", "bis", "jahr", "ab", "en", "depuis",
        "année", "desde", "hasta", "año", "nel", "dal", "anno", "em", "ano", "sinds", "tot", "jaar", "в", "с",
        "до", "у", "з",
    ]

    private static let months: [String: Int] = {
        let names: [[String]] = [
            ["january", "jan", "januar", "janvier", "enero", "gennaio", "janeiro", "januari", "января", "січня"],
            [
                "february", "feb", "februar", "février", "fevrier", "febrero", "febbraio", "fevereiro", "februari",
                "февраля", "лютого",
            ],
            ["march", "mar", "märz", "maerz", "mars", "marzo", "março", "maart", "марта", "березня"],
            ["april", "apr", "avril", "abril", "aprile", "апреля", "квітня"],
            ["may", "mai", "mayo", "maggio", "maio", "mei", "мая", "травня"],
            ["june", "jun", "juni", "juin", "junio", "giugno", "junho", "июня", "червня"],
            ["july", "jul", "juli", "juillet", "julio", "luglio", "julho", "июля", "липня"],
            ["august", "aug", "août", "aout", "agosto", "augustus", "августа", "серпня"],
            ["september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro", "сентября", "вересня"],
            ["october", "oct", "oktober", "octobre", "octubre", "ottobre", "outubro", "октября", "жовтня"],
            ["november", "nov", "novembre", "noviembre", "novembro", "ноября", "листопада"],
            [
                "december", "dec", "dezember", "décembre", "decembre", "diciembre", "dicembre", "dezembro", "декабря",
                "грудня",
            ],
        ]
        var table: [String: Int] = [:]
        for (offset, group) in names.enumerated() {
            for name in group { table[name] = offset + 1 }
        }
        return table
    }()
}
