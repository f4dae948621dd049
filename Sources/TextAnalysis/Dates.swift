// Date mentions, normalised to ISO-8601 prefixes of the precision the text gives: "1997",
// "2025-06", "2024-03-05". A bare number is only a year in a year-ish context ("in 1997",
// "since 2022"), because "2000 troops" is not a date.

/// Finds and normalises date mentions in text.
public enum DateExtractor {
    /// Normalised dates, unique, in order of first mention.
    public static func dates(in text: String) -> [String] {
        let tokens = Tokenizer.tokens(text)
        var found: [String] = []
        var seen = Set<String>()
        func add(_ date: String) {
            if seen.insert(date).inserted { found.append(date) }
        }
        var index = 0
        while index < tokens.count {
            if let (date, used) = match(tokens, at: index) {
                add(date)
                index += used
            } else {
                index += 1
            }
        }
        return found
    }

    /// Normalises one date string from metadata ("2024-03-05T10:00:00Z", "March 5, 2024").
    public static func normalize(_ text: String) -> String? {
        dates(in: text).first ?? dates(in: "in " + text).first
    }

    private static func match(_ tokens: [Token], at index: Int) -> (String, Int)? {
        let token = tokens[index]
        if let iso = isoDate(token.text) { return (iso, 1) }
        if let month = month(token.text) {
            var next = index + 1
            if next < tokens.count, tokens[next].text == "." { next += 1 }  // "Sept. 5"
            if let day = day(at: next, tokens) {
                var after = next + 1
                if after < tokens.count, tokens[after].text == "," { after += 1 }
                if let year = year(at: after, tokens) { return (format(year, month, day), after + 1 - index) }
                return nil
            }
            if let year = year(at: next, tokens) { return (format(year, month), next + 1 - index) }
            return nil
        }
        if let day = day(at: index, tokens) {
            var next = index + 1
            if next < tokens.count, tokens[next].text == "." || tokens[next].text.lowercased() == "of" { next += 1 }
            if next < tokens.count, let month = month(tokens[next].text) {
                if let year = year(at: next + 1, tokens) { return (format(year, month, day), next + 2 - index) }
                return nil
            }
        }
        if let year = year(at: index, tokens), hasYearContext(tokens, at: index) { return (format(year), 1) }
        return nil
    }

    private static func format(_ year: Int, _ month: Int? = nil, _ day: Int? = nil) -> String {
        var result = String(year)
        if let month { result += month < 10 ? "-0\(month)" : "-\(month)" }
        if let day { result += day < 10 ? "-0\(day)" : "-\(day)" }
        return result
    }

    /// "2024-03-05", "2024-03", and ISO timestamps (whose tail the tokenizer glues on).
    private static func isoDate(_ text: String) -> String? {
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
        guard index < tokens.count else { return nil }
        var text = Substring(tokens[index].text.lowercased())
        for suffix in ["st", "nd", "rd", "th"] where text.hasSuffix(suffix) { text = text.dropLast(2) }
        guard text.count <= 2, let day = Int(text), (1...31).contains(day) else { return nil }
        return day
    }

    private static func month(_ word: String) -> Int? {
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
        if ["to", "and", "–", "-", "—"].contains(previous), index >= 2, year(at: index - 2, tokens) != nil { return true }
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
            ["february", "feb", "februar", "février", "fevrier", "febrero", "febbraio", "fevereiro", "februari", "февраля", "лютого"],
            ["march", "mar", "märz", "maerz", "mars", "marzo", "março", "maart", "марта", "березня"],
            ["april", "apr", "avril", "abril", "aprile", "апреля", "квітня"],
            ["may", "mai", "mayo", "maggio", "maio", "mei", "мая", "травня"],
            ["june", "jun", "juni", "juin", "junio", "giugno", "junho", "июня", "червня"],
            ["july", "jul", "juli", "juillet", "julio", "luglio", "julho", "июля", "липня"],
            ["august", "aug", "août", "aout", "agosto", "augustus", "августа", "серпня"],
            ["september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro", "сентября", "вересня"],
            ["october", "oct", "oktober", "octobre", "octubre", "ottobre", "outubro", "октября", "жовтня"],
            ["november", "nov", "novembre", "noviembre", "novembro", "ноября", "листопада"],
            ["december", "dec", "dezember", "décembre", "decembre", "diciembre", "dicembre", "dezembro", "декабря", "грудня"],
        ]
        var table: [String: Int] = [:]
        for (offset, group) in names.enumerated() {
            for name in group { table[name] = offset + 1 }
        }
        return table
    }()
}
