// Building capitalised runs, the raw material of names. A run is a stretch of capitalised words,
// glued by name particles ("de", "von") and by "of" only where a name can go on after it
// ("Bank of England", "University of the Witwatersrand", "Gulf of Mexico"). Anything else ends
// the run, so "Anna Berg of the Oslo-based ..." never becomes one name.

extension CandidateFinder {
    struct RunWord {
        var text: String
        var tokenIndex: Int
        var isConnector: Bool
    }

    static func runs(_ tokens: [Token]) -> [[RunWord]] {
        var runs: [[RunWord]] = []
        var current: [RunWord] = []
        func finish() {
            if !current.isEmpty { runs.append(current) }
            current = []
        }
        for (index, token) in tokens.enumerated() {
            // "George W. Bush", "St. Louis": a dot after an initial or "St" inside a name goes on with it.
            if token.text == ".", let last = current.last, !last.isConnector, isInitial(last.text),
                index + 1 < tokens.count, tokens[index + 1].kind == .word, isCapitalised(tokens[index + 1].text)
            {
                current[current.count - 1].text += "."
                continue
            }
            let bare = Tokenizer.stripPossessive(token.text)
            // "Se\u{FFFD}\u{FFFD}n": a word cut by a character lost in decoding is a fragment, not a name.
            if token.kind == .word, isBesideLostCharacter(tokens, index) {
                finish()
                continue
            }
            if token.kind == .word, isCapitalised(bare),
                !Gazetteer.calendarWords.contains(bare) || continuesGivenName(bare, after: current, tokens, index)
            {
                if let modifier = EntityCues.modifier(bare) {
                    // "Malmö-based": a modifier stands alone, and what follows it is a new name. "Los
                    // Angeles-based": unless the run before it and its stem make a known name.
                    let joined = (current.map(\.text) + [modifier.stem]).joined(separator: " ")
                    // "World War II-era": a war's number goes with the war.
                    if !current.isEmpty, Gazetteer.knownType(of: joined) != nil || current.last?.text == "War" {
                        let start = current[0].tokenIndex
                        current = []
                        runs.append([RunWord(text: joined + "-" + modifier.tail, tokenIndex: start, isConnector: false)]
                        )
                        continue
                    }
                    finish()
                    runs.append([RunWord(text: bare, tokenIndex: index, isConnector: false)])
                    continue
                }
                // "Crumlin Children's Hospital", "Donetsk People's Republic": a collective noun's possessive
                // inside a name goes on with it; any other possessive ends the name ("Moscow's aggression").
                if bare != token.text, collectivePossessives.contains(bare), index + 1 < tokens.count,
                    tokens[index + 1].kind == .word, isCapitalised(tokens[index + 1].text)
                {
                    current.append(RunWord(text: token.text, tokenIndex: index, isConnector: false))
                    continue
                }
                current.append(RunWord(text: bare, tokenIndex: index, isConnector: false))
                if bare != token.text { finish() }
            } else if token.kind == .word, let previous = current.last, joins(token.text, after: previous),
                continuesName(tokens, after: index)
            {
                current.append(RunWord(text: token.text, tokenIndex: index, isConnector: true))
            } else if token.text == "and", let previous = current.last, !previous.isConnector,
                joinsWithAnd(current, tokens, after: index)
            {
                // "State Science and Technology Progress Award": "and" inside a prize's or body's name.
                current.append(RunWord(text: "and", tokenIndex: index, isConnector: true))
            } else if token.text == "&", let previous = current.last, !previous.isConnector,
                index + 1 < tokens.count, tokens[index + 1].kind == .word, isCapitalised(tokens[index + 1].text)
            {
                // "Kirkland & Ellis", "Johnson & Johnson": a firm's name.
                current.append(RunWord(text: "&", tokenIndex: index, isConnector: true))
            } else {
                finish()
            }
        }
        finish()
        return runs
    }

    /// "Theresa May", "Brian May": a month that is also a surname, right after a known given name and not
    /// before a day's number ("Anna May 5" is a date).
    private static func continuesGivenName(_ word: String, after current: [RunWord], _ tokens: [Token], _ index: Int)
        -> Bool
    {
        guard let previous = current.last, !previous.isConnector, isMonthSurname(word, after: previous.text)
        else { return false }
        return index + 1 >= tokens.count || tokens[index + 1].kind != .number
    }

    /// A month that is also a surname ("May", "June"), right after a known given name: the runs keep it in the
    /// name, and a candidate does not drop it as a trailing function word.
    static func isMonthSurname(_ word: String, after previous: String) -> Bool {
        monthSurnames.contains(word) && Gazetteer.givenNames.contains(previous)
    }

    private static let monthSurnames: Set<String> = ["May", "June", "April", "August"]

    /// Whether the word touches U+FFFD, the replacement character a decoder leaves for bytes it could not read.
    /// The tokenizer keeps no spacing, so a replacement character next to the word in the token stream counts;
    /// one standing alone between spaces is rare in text where any was lost.
    private static func isBesideLostCharacter(_ tokens: [Token], _ index: Int) -> Bool {
        (index + 1 < tokens.count && tokens[index + 1].text == "\u{FFFD}")
            || (index > 0 && tokens[index - 1].text == "\u{FFFD}")
    }

    /// Collective nouns whose possessive sits inside names of bodies and places ("Children's Hospital",
    /// "People's Republic", "Women's Aid").
    static let collectivePossessives: Set<String> = [
        "People", "Children", "Women", "Men", "Workers", "Veterans", "Farmers", "Citizens", "Writers", "Students",
        "Nations", "Teachers", "Soldiers",
    ]

    /// Abbreviations written with a dot inside names and before them ("St. Louis", "Sen. Dianne Feinstein").
    private static let dottedAbbreviations: Set<String> = [
        "St", "Mt", "Ft", "Jr", "Sr", "Sen", "Rep", "Gov", "Gen", "Col", "Capt", "Lt", "Sgt", "Dr", "Mr", "Mrs",
        "Ms", "Prof",
    ]

    private static func isInitial(_ word: String) -> Bool {
        (word.count == 1 && word.first?.isUppercase == true) || dottedAbbreviations.contains(word)
    }

    /// Whether a lowercase word may sit inside a name after `previous`. Particles always may; "of"
    /// only after a head word that takes it; "the" only in "of the".
    private static func joins(_ word: String, after previous: RunWord) -> Bool {
        switch word {
        case "of": return !previous.isConnector && ofHeads.contains(previous.text)
        // "Centre for Coastal Resilience", "National Center for Environmental Information".
        case "for": return !previous.isConnector && forHeads.contains(previous.text)
        // "European Convention on Human Rights", "Conference on Syria".
        case "on": return !previous.isConnector && onHeads.contains(previous.text)
        case "the": return previous.isConnector && (previous.text == "of" || previous.text == "for")
        default: return particles.contains(word)
        }
    }

    private static func continuesName(_ tokens: [Token], after index: Int) -> Bool {
        var next = index + 1
        if next < tokens.count, tokens[next].text == "the" || particles.contains(tokens[next].text) { next += 1 }
        guard next < tokens.count, tokens[next].kind == .word else { return false }
        return isCapitalised(tokens[next].text)
    }

    /// Name particles that join the parts of personal and place names ("Ursula von der Leyen",
    /// "Rio de Janeiro").
    static let particles: Set<String> = ["de", "van", "von", "der", "den", "la", "du", "da", "del", "al", "bin", "di"]

    /// Words a name may continue after with "of": organisation and place heads, plus every word
    /// that precedes " of " in a gazetteer name ("United States of America").
    static let ofHeads: Set<String> = {
        var heads = Gazetteer.organizationPrefixes.union(Gazetteer.placeOfHeads)
        for name in Gazetteer.known.keys where name.contains(" of ") {
            let words = name.split(separator: " ")
            for (index, word) in words.enumerated() where index + 1 < words.count && words[index + 1] == "of" {
                heads.insert(String(word))
            }
        }
        return heads
    }()

    /// "and" joins two capitalised stretches into one name when the one after it ends in a head word of a
    /// prize, law or organisation ("… Science and Technology Award") and the one before names nothing by
    /// itself ("France and Germany", "the Ministry of Defence and Acme Inc" stay two).
    private static func joinsWithAnd(_ current: [RunWord], _ tokens: [Token], after index: Int) -> Bool {
        guard Gazetteer.clue(ofWords: current.map(\.text)).strength == Evidence.none else { return false }
        var end = index + 1
        while end < tokens.count, tokens[end].kind == .word, isCapitalised(tokens[end].text) { end += 1 }
        // A lone head word after "and" is a second body: "House and Senate".
        guard end > index + 2 else { return false }
        let last = tokens[end - 1].text
        return Gazetteer.namedThingHeads.contains(last) || Gazetteer.organizationSuffixes.contains(last)
    }

    /// Heads a name may continue after with "on".
    static let onHeads: Set<String> = [
        "Convention", "Conference", "Committee", "Commission", "Treaty", "Agreement", "Council", "Summit", "Panel",
        "Forum", "Declaration",
    ]

    /// Organisation heads a name may continue after with "for".
    static let forHeads: Set<String> = [
        "Centre", "Center", "Institute", "Council", "Commission", "Committee", "Foundation", "Association", "Society",
        "Office", "Agency", "Department", "Ministry", "Alliance", "Coalition", "Campaign", "Fund", "Trust",
        "Organisation", "Organization", "Federation", "Network", "Partnership", "Academy", "School", "Union",
        "Observatory", "Movement",
    ]

    /// A word after an opening quote or a colon is capitalised like a sentence start.
    static func followsOpener(_ tokens: [Token], _ index: Int) -> Bool {
        guard index > 0 else { return false }
        return openers.contains(tokens[index - 1].text)
    }

    // Sets built once: array literals here were rebuilt for every word of every sentence.
    private static let openers: Set<String> = ["“", "\"", "‘", "«", "„", ":", "—", "–"]
    private static let closers: Set<String> = [".", "!", "?", "…", "\"", "”", ":"]

    /// A Title Case line without closing punctuation: nearly every content word capitalised.
    static func isHeadline(_ tokens: [Token]) -> Bool {
        if let last = tokens.last, closers.contains(last.text) { return false }
        let content = tokens.filter { $0.kind == .word && !Stopwords.english.contains($0.text.lowercased()) }
        guard content.count >= 3 else { return false }
        let capitalised = content.filter { isCapitalised($0.text) }.count
        return Double(capitalised) / Double(content.count) >= 0.7
    }

    static func isCapitalised(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first else { return false }
        if first.isUppercase || (first.value >= 0x80 && first.properties.generalCategory == .titlecaseLetter) {
            return true
        }
        // Arabic names with an article: "al-Qedra", "el-Sisi", "al-Nusra".
        return (word.hasPrefix("al-") || word.hasPrefix("el-")) && word.count > 4
            && word.unicodeScalars.dropFirst(3).first?.isUppercase == true
    }
}
