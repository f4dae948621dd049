/// Turns one sentence's tokens into entity candidates: builds capitalised runs (EntityRuns.swift),
/// trims the words that are capitalised only because they start the sentence, splits off titles,
/// and collects clues to each name's type from the name itself and the words around it.
enum CandidateFinder {
    /// Candidates in an ordinary (not Title Case) sentence.
    static func candidates(in tokens: [Token], context: NameContext) -> [EntityCandidate] {
        guard let firstWord = tokens.firstIndex(where: { $0.kind != .punctuation }) else { return [] }
        var results: [EntityCandidate] = []
        for run in runs(tokens) {
            let atStart = run[0].tokenIndex == firstWord || followsOpener(tokens, run[0].tokenIndex)
            if run.count == 1, let modifier = EntityCues.modifier(run[0].text) {
                results += modifierCandidates(modifier, atStart: atStart, context: context)
            } else {
                results += process(run, tokens: tokens, atStart: atStart, context: context)
            }
        }
        return results
    }

    /// "Oslo-based" names a place; "NATO-led" mentions NATO. Other stems ("Covid-related") are
    /// kept only when known, since a capitalised stem with a lowercase tail is often just a
    /// sentence start ("Year-long talks").
    private static func modifierCandidates(
        _ modifier: (stem: String, tail: String), atStart: Bool, context: NameContext
    ) -> [EntityCandidate] {
        let parts = hyphenParts(modifier.stem)
        if !modifier.stem.contains("-"), EntityCues.locatingTails.contains(modifier.tail),
            !Gazetteer.isTitleOrRole(modifier.stem),
            !atStart || isEvidentlyName(modifier.stem, inRunOf: 1, context: context)
        {
            var located = candidate(forWord: modifier.stem)
            located.votes.append(Vote(type: .place, strength: Evidence.strong))
            return [located]
        }
        return parts.filter(isKnownWord).map(candidate(forWord:))
    }

    /// `titles`: whether a title in the run marks the words after it as a person; not in the words before
    /// a title already split off ("Russian Deputy Foreign" before "Minister Gennady Gatilov").
    private static func process(
        _ run: [RunWord], tokens: [Token], atStart: Bool, context: NameContext, titles: Bool = true
    ) -> [EntityCandidate] {
        var words = run
        var atStart = atStart
        // Leading words that are capitalised only by position, or never name anything.
        while let first = words.first {
            let texts = words.map(\.text)
            if Gazetteer.knownType(of: texts.joined(separator: " ")) != nil { break }
            // "New York Police Department", "Los Angeles": the run starts with a known name of two or three
            // words, so its first word is not capitalised only by position.
            if texts.count > 2,
                (2...3).contains(where: { length in
                    length < texts.count && Gazetteer.knownType(of: texts.prefix(length).joined(separator: " ")) != nil
                })
            {
                break
            }
            let acronym = Gazetteer.isAcronym(first.text)
            let dropsAlways =
                first.isConnector || Gazetteer.noise.contains(first.text)
                // "the Belarusian BelTA news agency": a demonym before an acronym or a camel-cased name.
                || (words.count == 2 && Gazetteer.demonyms[first.text] != nil && hasCapitalAfterFirst(words[1].text))
                // "Separately, …", "Officially": an adverb opening the sentence.
                || (atStart && first.text.hasSuffix("ly") && first.text.count > 5 && !isKnownWord(first.text)
                    && !Gazetteer.givenNames.contains(first.text))
                || (!acronym && Stopwords.english.contains(first.text.lowercased()))
            // A head word vouches for a sentence-initial name: "Statistics Norway", "Nordic Markets Review".
            let dropsAtStart =
                atStart && !acronym && !isEvidentlyName(first.text, inRunOf: words.count, context: context)
                && Gazetteer.clue(ofWords: texts).strength < Evidence.strong
            guard dropsAlways || dropsAtStart else { break }
            words.removeFirst()
            atStart = false
        }
        while let last = words.last,
            last.isConnector
                || (!Gazetteer.isAcronym(last.text) && Stopwords.english.contains(last.text.lowercased())
                    // "World War Two": a number after a war is its name's.
                    && !(words.count > 1 && words[words.count - 2].text == "War")
                    // "Theresa May": the runs let a month follow a given name only as a surname.
                    && !(words.count > 1 && isMonthSurname(last.text, after: words[words.count - 2].text)))
                || (words.count > 1 && Gazetteer.isTitleOrRole(last.text) && !words[words.count - 2].isConnector
                    && Gazetteer.knownType(of: words.map(\.text).joined(separator: " ")) == nil)
        {
            // Trailing roles describe the name before them: "Almaz-Antey Deputy CEO" is Almaz-Antey's.
            words.removeLast()
        }
        guard let firstWord = words.first, let lastWord = words.last else { return [] }
        let texts = words.map(\.text)
        let known = Gazetteer.knownType(of: texts.joined(separator: " ")) != nil
        if !known, let platforms = platformCandidates(words, tokens: tokens) { return platforms }
        // "READ MORE", "WATCH NOW": a link's label in capitals names nothing.
        if !known, texts.allSatisfy({ Gazetteer.isAllCaps($0) && Self.linkLabelWords.contains($0.lowercased()) }) {
            return []
        }
        // "View Comments", "Read More": a control's label of two or more such words, however capitalised.
        if !known, texts.count > 1, texts.allSatisfy({ Self.linkLabelWords.contains($0.lowercased()) }) { return [] }
        // "North Korean", "Middle Eastern": an adjective of two words names no place either; nor do "South
        // Asian", "Iraqi Shiite" or "North Koreans", made of compass words and demonyms, plural or not.
        if texts.count > 1, Gazetteer.demonyms[texts.joined(separator: " ")] != nil || isDemonymPhrase(texts) {
            return []
        }
        // "a North Carolina Republican", "a Texas Democrat": a politician's description; the place is named.
        if texts.count > 1, let last = texts.last, Self.partyMemberSingulars.contains(last),
            Gazetteer.knownType(of: texts.dropLast().joined(separator: " ")) == .place
        {
            return [
                EntityCandidate(
                    text: Gazetteer.canonical(texts.dropLast().joined(separator: " ")), type: .place,
                    strength: Evidence.known)
            ]
        }
        // "Deputy", "Prime Minister", "Chief Executive": titles and roles are never entities.
        if !known, Gazetteer.isTitlePhrase(texts) { return [] }
        if !known, titles, let split = splitTitle(texts) ?? splitGivenName(texts, names: context.names) {
            // Words before the title usually name the office ("Energy Minister"); keep them only
            // when they name something in their own right ("NATO Secretary General").
            let before = Array(words.prefix(split.titleStart))
            let kept =
                before.isEmpty
                ? []
                : process(before, tokens: tokens, atStart: atStart, context: context, titles: false)
                    .filter { $0.votes.contains { $0.type != .other } }
            let name = Array(words[split.nameStart..<split.nameEnd])
            var person = EntityCandidate(
                text: name.map(\.text).joined(separator: " "), type: .person, strength: Evidence.strong)
            person.votes += EntityCues.votes(
                in: tokens, first: name[0].tokenIndex, last: name[name.count - 1].tokenIndex, words: name.map(\.text))
            return kept + [person]
        }
        // "North Korean Deputy UN (ambassador)": a title before a lone acronym or known name is an office
        // of that body; the body is named, the words before the title are looked at on their own.
        if !known, texts.count >= 2, let last = texts.last,
            Gazetteer.isAcronym(last) || Gazetteer.knownType(of: last) != nil,
            Gazetteer.isTitleOrRole(texts[texts.count - 2])
        {
            var titleStart = texts.count - 2
            while titleStart > 0, Gazetteer.isTitleOrRole(texts[titleStart - 1]) { titleStart -= 1 }
            let before = Array(words.prefix(titleStart))
            let kept =
                before.isEmpty
                ? []
                : process(before, tokens: tokens, atStart: atStart, context: context, titles: false)
                    .filter { $0.votes.contains { $0.type != .other } }
            var body = candidate(forWord: last)
            body.votes += EntityCues.votes(
                in: tokens, first: lastWord.tokenIndex, last: lastWord.tokenIndex, words: [last])
            return kept + [body]
        }
        // "TD-LTE", "AK-47"-like codes of capitals: one name, not the acronyms it is made of.
        if texts.count == 1, texts[0].contains("-"), !known,
            texts[0].split(separator: "-").allSatisfy({ Gazetteer.isAcronym(String($0)) })
        {
            return [EntityCandidate(text: texts[0], type: .other, strength: Evidence.cue)]
        }
        var results: [EntityCandidate] = []
        for word in texts where word.contains("-") {
            // "NATO-Russia Council" also mentions NATO and Russia.
            results += hyphenParts(word).filter(isKnownWord).map(candidate(forWord:))
        }
        var named: EntityCandidate
        if texts.count == 1 {
            let word = texts[0]
            if word.contains("-"), !known { return results }
            if word.unicodeScalars.count < 2 || word.allSatisfy(\.isNumber) { return results }
            // "the Council", "the Court", "the University", "the Prefecture" alone: the head word of a name,
            // not a name.
            if !known, Gazetteer.organizationSuffixes.contains(word) || Gazetteer.placeSuffixes.contains(word) {
                return results
            }
            // A demonym names no place: a reader lists Denmark for "in Denmark", not for "Danish officials"
            // (the gold lists of docs/EVALUATION.md say so; turning demonyms into countries was the largest
            // class of false positives on the development set).
            if Gazetteer.demonyms[word] != nil || Self.partyAdjectives.contains(word) || isDemonymPhrase([word]) {
                return results
            }
            named = candidate(forWord: word)
        } else {
            named = EntityCandidate(
                text: Gazetteer.canonical(texts.joined(separator: " ")), vote: Gazetteer.clue(ofWords: texts))
        }
        named.votes += EntityCues.votes(
            in: tokens, first: firstWord.tokenIndex, last: lastWord.tokenIndex, words: texts)
        // "Recorded Crime", "Technology Development": capitalised common words with nothing to say they
        // name something — the text uses their words in lowercase elsewhere — are a heading's or a
        // label's capitals, not a name.
        if texts.count > 1, named.votes.allSatisfy({ $0.strength == Evidence.none }),
            texts.contains(where: {
                isCapitalised($0) && !$0.contains("-") && context.lowercaseWords.contains($0.lowercased())
            })
        {
            return results
        }
        return results + [named]
    }

    /// Whether a capitalised sentence-initial word is a name rather than an ordinary word.
    static func isEvidentlyName(_ word: String, inRunOf count: Int, context: NameContext) -> Bool {
        if isKnownWord(word) || Gazetteer.givenNames.contains(word) || Gazetteer.personTitles.contains(word) {
            return true
        }
        if context.lowercaseWords.contains(word.lowercased()) { return false }
        return count > 1 || context.capitalisedMidSentence.contains(word)
    }

    private static func isKnownWord(_ word: String) -> Bool {
        Gazetteer.knownType(of: word) != nil || Gazetteer.isAcronym(word)
    }

    private static func candidate(forWord word: String) -> EntityCandidate {
        let canonical = Gazetteer.canonical(word)
        return EntityCandidate(text: canonical, vote: Gazetteer.clue(ofWords: [canonical]))
    }

    /// "President Joe Biden", "Deputy Governor Anna Berg": the title (one or more title words)
    /// marks a person and is not part of the name. Returns where the title starts and the name's
    /// bounds after it. The last title in the run is the one before the name: "Deputy Foreign Minister
    /// Gennady Gatilov", "General Motors CEO Mary Barra"; a name that is only roles ("Deputy CEO") is none.
    private static func splitTitle(_ words: [String]) -> (titleStart: Int, nameStart: Int, nameEnd: Int)? {
        for start in words.indices.reversed() {
            for length in [3, 2, 1] where start + length < words.count {
                guard Gazetteer.personTitles.contains(words[start..<(start + length)].joined(separator: " ")) else {
                    continue
                }
                // "White House Press Secretary Sean Spicer": a title of two or three words ending here
                // starts before it ("Press Secretary"), so "Press" is not left to the White House.
                if let longer = [3, 2].first(where: { extra in
                    start - (extra - length) >= 0 && extra > length
                        && Gazetteer.personTitles.contains(
                            words[(start - (extra - length))..<(start + length)].joined(separator: " "))
                }) {
                    return name(in: words, afterTitleAt: start - (longer - length), length: longer)
                }
                return name(in: words, afterTitleAt: start, length: length)
            }
        }
        return nil
    }

    /// The name after the title at `start` (`length` words), or nil when what follows is no person's name.
    private static func name(in words: [String], afterTitleAt start: Int, length: Int)
        -> (titleStart: Int, nameStart: Int, nameEnd: Int)?
    {
        var nameStart = start + length
        while nameStart < words.count - 1, Gazetteer.isTitleOrRole(words[nameStart]) { nameStart += 1 }
        let name = Array(words[nameStart...].prefix(4))
        guard !Gazetteer.organizationSuffixes.contains(name.last ?? ""),
            name.allSatisfy({ isCapitalised($0) || particles.contains($0) }),
            !name.allSatisfy({ Gazetteer.isTitleOrRole($0) || Gazetteer.personTitles.contains($0) }),
            // "Deputy UN ambassador": a lone acronym or known name after a title is what the office is of.
            !(name.count == 1 && (Gazetteer.isAcronym(name[0]) || Gazetteer.knownType(of: name[0]) != nil))
        else { return nil }
        return (start, nameStart, nameStart + name.count)
    }

    /// "Foreign Economic Activity Vyacheslav Dzirkalin", "University of Limerick Sean Redmond": a run that
    /// ends in a known given name and one or two more words, after words that are not a name's first part,
    /// is the office or body and then a person. Not when the end is a building or an organisation ("Royal
    /// Albert Hall", "Johns Hopkins University"), or the run is a known name.
    private static func splitGivenName(
        _ words: [String], names: PersonNames
    ) -> (titleStart: Int, nameStart: Int, nameEnd: Int)? {
        guard words.count >= 3 else { return nil }
        for nameStart in max(1, words.count - 3)...(words.count - 2) {
            let name = words[nameStart...]
            // A given name only the census lists knows ("Brigid") splits only after an organisation's head word:
            // "Irish Traveller Movement Brigid Quilligan".
            guard
                Gazetteer.givenNames.contains(words[nameStart])
                    || (names.given.contains(words[nameStart])
                        && Gazetteer.organizationSuffixes.contains(words[nameStart - 1])),
                !Gazetteer.givenNames.contains(words[nameStart - 1]), !particles.contains(words[nameStart - 1]),
                name.allSatisfy({ isCapitalised($0) || particles.contains($0) }),
                let last = name.last, !Gazetteer.organizationSuffixes.contains(last),
                !Gazetteer.placeSuffixes.contains(last), !buildingWords.contains(last),
                Gazetteer.knownType(of: last) == nil
            else { continue }
            return (nameStart, nameStart, words.count)
        }
        return nil
    }

    /// A share bar as text ("Send Facebook Twitter Google+ Whatsapp Tumblr"): each platform is named, the
    /// buttons' verbs ("Send", "Permalink") are not. Nil when the run is not one.
    private static func platformCandidates(_ words: [RunWord], tokens: [Token]) -> [EntityCandidate]? {
        let platforms = words.filter { Self.platforms.contains($0.text) }
        guard !platforms.isEmpty,
            platforms.count >= 2
                || words.allSatisfy({ Self.platforms.contains($0.text) || shareWords.contains($0.text) })
        else { return nil }
        return platforms.map { word in
            let plus = word.tokenIndex + 1 < tokens.count && tokens[word.tokenIndex + 1].text == "+"
            return EntityCandidate(text: word.text + (plus ? "+" : ""), type: .organization, strength: Evidence.strong)
        }
    }

    /// "BelTA", "UN", "iPhone"-like: a capital after the first letter.
    static func hasCapitalAfterFirst(_ word: String) -> Bool {
        word.unicodeScalars.dropFirst().contains { $0.properties.isUppercase }
    }

    /// "South Asian", "Iraqi Shiite", "North Koreans", "Syrians": compass words and demonyms (a people's
    /// plural included), at least one demonym, nothing else.
    static func isDemonymPhrase(_ words: [String]) -> Bool {
        func isDemonym(_ word: String) -> Bool {
            if Gazetteer.demonyms[word] != nil { return true }
            guard word.count > 4, word.hasSuffix("s") else { return false }
            return Gazetteer.demonyms[String(word.dropLast())] != nil
        }
        return words.contains(where: isDemonym)
            && words.allSatisfy { isDemonym($0) || Gazetteer.compassWords.contains($0) }
    }

    /// "Democratic senators", "Republican leaders": adjectives, like demonyms.
    private static let partyAdjectives: Set<String> = ["Democratic", "Republican", "Conservative", "Liberal"]
    /// One member of a party, as in "a Texas Republican".
    private static let partyMemberSingulars: Set<String> = ["Republican", "Democrat", "Conservative", "Liberal"]

    static let platforms: Set<String> = [
        "Facebook", "Twitter", "Google", "Whatsapp", "WhatsApp", "Tumblr", "Linkedin", "LinkedIn", "Digg", "Reddit",
        "Newsvine", "Pinterest", "Instagram", "YouTube", "Telegram", "Flipboard", "Xing", "VK", "Snapchat", "TikTok",
    ]
    private static let shareWords: Set<String> = ["Send", "Share", "Permalink", "Email", "E-mail", "Print", "Tweet"]
    private static let linkLabelWords: Set<String> = [
        "read", "more", "now", "watch", "listen", "see", "also", "related", "click", "here", "share", "video",
        "photos", "gallery", "live", "latest", "subscribe", "follow", "us", "next", "previous", "top", "back",
        "view", "comments", "comment", "show", "hide", "sign", "log", "in", "up", "print", "email",
    ]

    private static let buildingWords: Set<String> = [
        "Hall", "Centre", "Center", "Stadium", "Arena", "Theatre", "Theater", "Museum", "Hospital", "Church",
        "Cathedral", "School", "Library", "Gallery", "Station", "Building", "House", "Memorial", "Trust", "Prize",
        "Award", "Cup", "Trophy", "Lecture", "Fund", "Scholarship", "Medal",
    ]

    /// "NATO-Russia" → NATO, Russia. A part with a digit makes the word a code name ("HARBOR-3", "F-16",
    /// "COVID-19", "Buk-M2E") whose letters are not a separate name.
    static func hyphenParts(_ word: String) -> [String] {
        let parts = word.split(separator: "-").map(String.init)
        return parts.contains { $0.contains(where: \.isNumber) } ? [] : parts
    }

    /// In a Title Case line every word is capitalised, so capitalisation proves nothing: only names
    /// the gazetteer knows or the body of the text yielded count, plus a line that is nothing but
    /// a given name and a surname ("Lena Berg (Norway) – 2:19:48" in a results list).
    static func headlineCandidates(in tokens: [Token], bodyNames: Set<String>) -> [EntityCandidate] {
        var results: [EntityCandidate] = []
        for run in runs(tokens) {
            let words = run.map(\.text)
            if let platforms = platformCandidates(run, tokens: tokens) {
                results += platforms
                continue
            }
            if (2...3).contains(words.count), Gazetteer.givenNames.contains(words[0]),
                !words.contains(where: {
                    Stopwords.english.contains($0.lowercased()) || Gazetteer.knownType(of: $0) != nil
                })
            {
                results.append(
                    EntityCandidate(text: words.joined(separator: " "), type: .person, strength: Evidence.weak))
                continue
            }
            results += knownNames(in: words, bodyNames: bodyNames)
        }
        return results
    }

    private static func knownNames(in words: [String], bodyNames: Set<String>) -> [EntityCandidate] {
        var results: [EntityCandidate] = []
        var index = 0
        while index < words.count {
            var matched = false
            for length in stride(from: min(4, words.count - index), through: 1, by: -1) {
                let name = Gazetteer.canonical(words[index..<(index + length)].joined(separator: " "))
                if Gazetteer.knownType(of: name) != nil || bodyNames.contains(name) {
                    results.append(
                        EntityCandidate(
                            text: name, vote: Gazetteer.clue(ofWords: name.split(separator: " ").map(String.init))))
                    index += length
                    matched = true
                    break
                }
            }
            if matched { continue }
            results += hyphenParts(words[index]).filter(isKnownWord).map(candidate(forWord:))
            index += 1
        }
        return results
    }
}
