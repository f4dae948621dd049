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

    private static func process(_ run: [RunWord], tokens: [Token], atStart: Bool, context: NameContext)
        -> [EntityCandidate]
    {
        var words = run
        var atStart = atStart
        // Leading words that are capitalised only by position, or never name anything.
        while let first = words.first {
            let texts = words.map(\.text)
            if Gazetteer.knownType(of: texts.joined(separator: " ")) != nil { break }
            let acronym = Gazetteer.isAcronym(first.text)
            let dropsAlways =
                first.isConnector || Gazetteer.noise.contains(first.text)
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
            last.isConnector || (!Gazetteer.isAcronym(last.text) && Stopwords.english.contains(last.text.lowercased()))
        {
            words.removeLast()
        }
        guard let firstWord = words.first, let lastWord = words.last else { return [] }
        let texts = words.map(\.text)
        let known = Gazetteer.knownType(of: texts.joined(separator: " ")) != nil
        // "Deputy", "Prime Minister", "Chief Executive": titles and roles are never entities.
        if !known, Gazetteer.isTitlePhrase(texts) { return [] }
        if !known, let split = splitTitle(texts) {
            // Words before the title usually name the office ("Energy Minister"); keep them only
            // when they name something in their own right ("NATO Secretary General").
            let before = Array(words.prefix(split.titleStart))
            let kept =
                before.isEmpty
                ? []
                : process(before, tokens: tokens, atStart: atStart, context: context)
                    .filter { $0.votes.contains { $0.type != .other } }
            let name = Array(words[split.nameStart..<split.nameEnd])
            var person = EntityCandidate(
                text: name.map(\.text).joined(separator: " "), type: .person, strength: Evidence.strong)
            person.votes += EntityCues.votes(
                in: tokens, first: name[0].tokenIndex, last: name[name.count - 1].tokenIndex, words: name.map(\.text))
            return kept + [person]
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
            // "the Council", "the Court", "the University" alone: the head word of a name, not a name.
            if !known, Gazetteer.organizationSuffixes.contains(word) { return results }
            // A demonym names no place: a reader lists Denmark for "in Denmark", not for "Danish officials"
            // (the gold lists of docs/EVALUATION.md say so; turning demonyms into countries was the largest
            // class of false positives on the development set).
            if Gazetteer.demonyms[word] != nil { return results }
            named = candidate(forWord: word)
        } else {
            named = EntityCandidate(
                text: Gazetteer.canonical(texts.joined(separator: " ")), vote: Gazetteer.clue(ofWords: texts))
        }
        named.votes += EntityCues.votes(
            in: tokens, first: firstWord.tokenIndex, last: lastWord.tokenIndex, words: texts)
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
    /// bounds after it.
    private static func splitTitle(_ words: [String]) -> (titleStart: Int, nameStart: Int, nameEnd: Int)? {
        for start in words.indices {
            for length in [2, 1] where start + length < words.count {
                guard Gazetteer.personTitles.contains(words[start..<(start + length)].joined(separator: " ")) else {
                    continue
                }
                var nameStart = start + length
                while nameStart < words.count - 1, Gazetteer.isTitleOrRole(words[nameStart]) { nameStart += 1 }
                let name = Array(words[nameStart...].prefix(4))
                guard !Gazetteer.organizationSuffixes.contains(name.last ?? ""),
                    name.allSatisfy({ isCapitalised($0) || particles.contains($0) })
                else { return nil }
                return (start, nameStart, nameStart + name.count)
            }
        }
        return nil
    }

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
