// Typing a candidate name: exact knowledge first, then the clues inside the name itself.

/// Known names (places, organisations) and naming clues (titles, suffixes, given names) used to
/// decide what kind of thing a capitalised name refers to.
public enum Gazetteer {
    /// The type of a name this gazetteer knows exactly, or nil.
    public static func knownType(of name: String) -> EntityType? {
        if let type = known[name] { return type }
        // Datelines shout ("BRUSSELS, Oct 14"): try the ordinary capitalisation of long all-caps words.
        guard name.count > 6 || (name.count > 3 && !isAcronym(name)) || name.contains(" "), isAllCaps(name) else {
            // "MOSCOW", "GENEVA" are acronym-length: read as a place when the ordinary spelling is one, from
            // five letters ("NICE", the health institute, is not Nice).
            if name.count >= 5, isAllCaps(name), known[capitalizedWords(name)] == .place { return .place }
            return nil
        }
        return known[capitalizedWords(name)]
    }

    /// `name == name.uppercased() && name != name.lowercased()`, asked of the scalars without building
    /// either string (it is asked of nearly every capitalised word).
    static func isAllCaps(_ name: String) -> Bool {
        var hasCase = false
        for scalar in name.unicodeScalars {
            if scalar.value < 0x80 {
                if scalar.isLowercase { return false }
                if scalar.isUppercase { hasCase = true }
                continue
            }
            let properties = scalar.properties
            if properties.changesWhenUppercased { return false }
            if properties.changesWhenLowercased { hasCase = true }
        }
        return hasCase
    }

    static func capitalizedWords(_ name: String) -> String {
        name.split(separator: " ").map { $0.prefix(1) + $0.dropFirst().lowercased() }.joined(separator: " ")
    }

    /// The canonical spelling of a known abbreviation ("U.S." → "US"). Spellings of the same place ("Kiev",
    /// "Kyiv"; "Donbass", "Donbas") are left as the text has them: a reader lists the name the text uses.
    static func canonical(_ name: String) -> String {
        if let alias = aliases[name] { return alias }
        if known[name] == nil, name.count > 6, !name.unicodeScalars.contains(where: \.properties.changesWhenUppercased)
        {
            let ordinary = capitalizedWords(name)
            if known[ordinary] != nil { return aliases[ordinary] ?? ordinary }
        }
        return name
    }

    /// The type of a name from what the gazetteer knows and the words it is made of.
    static func type(ofWords words: [String]) -> EntityType {
        clue(ofWords: words).type
    }

    /// Whether an organisation (or place) head word is followed by "of" anywhere in the name: "Bank of
    /// England", and also "Chinese Academy of Sciences", "Florida International University School of Law".
    static func headsOf(_ words: [String], in heads: Set<String>) -> Bool {
        words.indices.dropLast().contains { heads.contains(words[$0]) && words[$0 + 1] == "of" }
    }

    /// What the name itself says about its type, and how strongly (see `Evidence`).
    static func clue(ofWords words: [String]) -> Vote {
        let name = words.joined(separator: " ")
        if let type = knownType(of: name) { return Vote(type: type, strength: Evidence.known) }
        guard let first = words.first, let last = words.last else { return Vote(type: .other, strength: Evidence.none) }
        let count = words.count
        if organizationSuffixes.contains(last) || (count > 2 && words.contains("&"))
            // "Social Democrats", "Free Democrats", "the ruling Conservatives": a party named by its members.
            || partyMembers.contains(last)
            || (count > 2 && headsOf(words, in: organizationPrefixes))
            || (count > 2
                && words.indices.dropLast().contains {
                    CandidateFinder.forHeads.contains(words[$0]) && words[$0 + 1] == "for"
                })
            || (count == 2 && nationalBodyHeads.contains(first) && known[last] == .place)
            || (count == 1 && isBankName(first))
            // Arabic names of armed and political groups: "Jabhat al-Nusra", "Hayat Tahrir al-Sham".
            || (count > 1
                && ["Jabhat", "Harakat", "Hizb", "Ansar", "Hayat", "Jaish", "Kataib", "Liwa"].contains(first))
        {
            return Vote(type: .organization, strength: Evidence.strong)
        }
        if placeSuffixes.contains(last) || (count > 1 && placePrefixes.contains(first))
            || (count > 2 && placeOfHeads.contains(first) && words[1] == "of")
            // "East Africa", "Southern Europe": a compass word before a known place is a part of it.
            || (count > 1 && compassWords.contains(first) && known[words.dropFirst().joined(separator: " ")] == .place)
        {
            return Vote(type: .place, strength: Evidence.cue)
        }
        if (2...4).contains(count), givenNames.contains(first) { return Vote(type: .person, strength: Evidence.weak) }
        // Laws, treaties, prizes, events: "Founding Act", "Nobel Prize", "Criminal Code", "Valley Line".
        // The head may come before "of"/"on" too, where the runs keep those inside a name ("Convention on Human
        // Rights", "Treaty on Open Skies").
        if count > 1,
            namedThingHeads.contains(last) || (count > 2 && words[count - 2] == "War")
                || (count > 2
                    && words.indices.dropLast().contains {
                        namedThingHeads.contains(words[$0]) && (words[$0 + 1] == "of" || words[$0 + 1] == "on")
                    })
        {
            return Vote(type: .other, strength: Evidence.cue)
        }
        if count == 1, isAcronym(first) { return Vote(type: .organization, strength: Evidence.faint) }
        return Vote(type: .other, strength: Evidence.none)
    }

    /// "North", "Southern": a compass word before a place or a demonym ("East Africa", "South Asian").
    static let compassWords: Set<String> = [
        "North", "South", "East", "West", "Central", "Northern", "Southern", "Eastern", "Western", "Northeast",
        "Northwest", "Southeast", "Southwest", "Northeastern", "Northwestern", "Southeastern", "Southwestern",
    ]

    /// Plural members' names of parties, as the last word of a party's name ("Social Democrats").
    static let partyMembers: Set<String> = [
        "Democrats", "Republicans", "Socialists", "Conservatives", "Liberals", "Greens", "Tories", "Communists",
        "Nationalists", "Unionists",
    ]

    /// Last words that make a name a law, treaty, prize, event or the like (typed `other`).
    static let namedThingHeads: Set<String> = [
        "Act", "Law", "Code", "Treaty", "Agreement", "Accord", "Accords", "Convention", "Prize", "Award", "Awards",
        "Cup", "Games", "Olympics", "Festival", "Summit", "Conference", "War", "Plan", "Declaration", "Charter",
        "Protocol", "Initiative", "Bill", "Directive", "Regulation", "Doctrine", "Line", "Programme", "Project",
        "Expo", "Marathon", "Championship", "Championships", "Open", "Grand Prix", "Day", "Week", "Photo", "Paper",
    ]

    /// Germanic compounds in "-bank" name banks: "Riksbank", "Bundesbank", "Rabobank".
    private static func isBankName(_ word: String) -> Bool {
        word.unicodeScalars.count > 6 && word.hasSuffix("bank")
    }

    /// "NATO", "EU", "G7": all capitals (digits allowed), two to six characters.
    static func isAcronym(_ word: String) -> Bool {
        let scalars = word.unicodeScalars
        guard (2...6).contains(scalars.count), scalars.contains(where: \.isUppercase) else {
            return false
        }
        return scalars.allSatisfy { $0.isUppercase || $0.isNumeric }
    }

    static let known: [String: EntityType] = {
        var table: [String: EntityType] = [:]
        for name in regions + cities + worldCities + countries { table[name] = .place }
        for name in organizations { table[name] = .organization }
        return table
    }()

    static let aliases: [String: String] = [
        "U.S.": "US", "USA": "US", "United States of America": "United States", "U.K.": "UK", "OTAN": "NATO",
        "St. Petersburg": "Saint Petersburg",
    ]

    /// Month and weekday names are capitalised but are dates, not entities.
    static let calendarWords: Set<String> = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
        "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    ]

    /// Capitalised words that start sentences or headlines but never name anything by themselves.
    static let noise: Set<String> = [
        "Despite", "Meanwhile", "However", "Although", "Moreover", "Furthermore", "Nevertheless", "Yet", "Still",
        "Also", "Instead", "Today", "Yesterday", "Tomorrow", "Now", "Then", "Here", "There", "Please", "Thanks",
        "Yes", "No", "Oh", "Well", "So", "Or", "And", "But", "If", "When", "While", "Where", "Why", "How", "What",
        "Who", "Which", "Whether", "Unlike", "Like", "Following", "Amid", "Given", "Including", "Earlier", "Later",
        "Last", "Next", "First", "Second", "Third", "Finally", "Overall", "Indeed", "Perhaps", "Maybe", "Many",
        "Some", "Several", "Most", "Both", "Each", "Every", "All", "Other", "Such", "Even", "Just", "Only", "Once",
        "Read", "See", "Photo", "Image", "Source", "Updated", "Published", "Share", "Click", "Subscribe",
        // Capitals that are common nouns, not names: roles, media, measures, HTTP methods.
        "CEO", "CFO", "COO", "CTO", "TV", "GDP", "PC", "GET", "POST", "PUT", "DELETE", "PATCH", "DNA", "RNA", "YOU",
        "OK", "FAQ", "PDF",
        // Time zones after a clock time ("8:17pm PDT").
        "PDT", "PST", "EDT", "EST", "CDT", "CST", "MDT", "MST", "GMT", "UTC", "BST", "CET", "CEST", "EET", "EEST",
        "AEST", "AEDT",
    ]
}
