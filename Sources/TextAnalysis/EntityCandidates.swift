/// Turns one sentence's tokens into entity candidates: builds capitalised runs, trims the words
/// that are capitalised only because they start the sentence, splits off titles and types the rest.
enum CandidateFinder {
    private struct RunWord {
        var text: String
        var tokenIndex: Int
        var isConnector: Bool
    }

    static func candidates(in tokens: [Token], context: NameContext) -> [EntityCandidate] {
        guard let firstWord = tokens.firstIndex(where: { $0.kind != .punctuation }) else { return [] }
        let headline = isHeadline(tokens)
        var results: [EntityCandidate] = []
        for run in runs(tokens) {
            let atStart = run[0].tokenIndex == firstWord || followsOpener(tokens, run[0].tokenIndex)
            results += process(run, atStart: atStart, headline: headline, context: context)
        }
        return results
    }

    /// A word after an opening quote or a colon is capitalised like a sentence start.
    static func followsOpener(_ tokens: [Token], _ index: Int) -> Bool {
        guard index > 0 else { return false }
        return ["“", "\"", "‘", "«", "„", ":", "—", "–"].contains(tokens[index - 1].text)
    }

    private static func runs(_ tokens: [Token]) -> [[RunWord]] {
        var runs: [[RunWord]] = []
        var current: [RunWord] = []
        func finish() {
            if !current.isEmpty { runs.append(current) }
            current = []
        }
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let bare = Tokenizer.stripPossessive(token.text)
            if token.kind == .word, isCapitalised(bare), !Gazetteer.calendarWords.contains(bare) {
                current.append(RunWord(text: bare, tokenIndex: index, isConnector: false))
                if bare != token.text { finish() }  // "Moscow's aggression": a possessive ends the name
            } else if token.kind == .word, !current.isEmpty, connectors.contains(token.text), continuesName(tokens, after: index) {
                current.append(RunWord(text: token.text, tokenIndex: index, isConnector: true))
            } else {
                finish()
            }
            index += 1
        }
        finish()
        return runs
    }

    private static func continuesName(_ tokens: [Token], after index: Int) -> Bool {
        var next = index + 1
        if next < tokens.count, connectors.contains(tokens[next].text) { next += 1 }
        guard next < tokens.count, tokens[next].kind == .word else { return false }
        return isCapitalised(tokens[next].text)
    }

    private static func process(_ run: [RunWord], atStart: Bool, headline: Bool, context: NameContext) -> [EntityCandidate] {
        var words = run
        var atStart = atStart
        // Leading words that are capitalised only by position, or never name anything.
        while let first = words.first {
            let name = words.map(\.text).joined(separator: " ")
            if Gazetteer.knownType(of: name) != nil { break }
            let lower = first.text.lowercased()
            let acronym = Gazetteer.isAcronym(first.text)
            if first.isConnector || Gazetteer.noise.contains(first.text)
                || (!acronym && Stopwords.english.contains(lower))
                || (atStart && !acronym && !isEvidentlyName(first.text, inRunOf: words.count, context: context))
            {
                words.removeFirst()
                atStart = false
                continue
            }
            break
        }
        while let last = words.last, last.isConnector || (!Gazetteer.isAcronym(last.text) && Stopwords.english.contains(last.text.lowercased())) {
            words.removeLast()
        }
        guard !words.isEmpty else { return [] }
        let texts = words.map(\.text)
        if headline { return knownNames(in: texts) }
        if let split = splitTitle(texts) {
            let before = Array(words.prefix(split.titleStart))
            return (before.isEmpty ? [] : process(before, atStart: false, headline: false, context: context))
                + [EntityCandidate(text: split.person.joined(separator: " "), type: .person)]
        }
        var results: [EntityCandidate] = []
        for word in texts where word.contains("-") {
            // "NATO-Russia Council" also mentions NATO and Russia.
            results += word.split(separator: "-").map(String.init).filter(isKnownWord).map(candidate(forWord:))
        }
        if texts.count == 1 {
            let word = texts[0]
            if word.contains("-"), Gazetteer.knownType(of: word) == nil { return results }
            if word.unicodeScalars.count < 2 || word.allSatisfy(\.isNumber) { return results }
            return results + [candidate(forWord: word)]
        }
        let name = Gazetteer.canonical(texts.joined(separator: " "))
        return results + [EntityCandidate(text: name, type: Gazetteer.type(ofWords: texts))]
    }

    /// Whether a capitalised sentence-initial word is a name rather than an ordinary word.
    private static func isEvidentlyName(_ word: String, inRunOf count: Int, context: NameContext) -> Bool {
        if isKnownWord(word) || Gazetteer.givenNames.contains(word) || Gazetteer.personTitles.contains(word) {
            return true
        }
        if context.lowercaseWords.contains(word.lowercased()) { return false }
        return count > 1 || context.capitalisedMidSentence.contains(word)
    }

    private static func isKnownWord(_ word: String) -> Bool {
        Gazetteer.knownType(of: word) != nil || Gazetteer.demonyms[word] != nil || Gazetteer.isAcronym(word)
    }

    private static func candidate(forWord word: String) -> EntityCandidate {
        if let country = Gazetteer.demonyms[word] { return EntityCandidate(text: country, type: .place) }
        let canonical = Gazetteer.canonical(word)
        return EntityCandidate(text: canonical, type: Gazetteer.type(ofWords: [canonical]))
    }

    /// "President Joe Biden", "Foreign Minister Sergei Lavrov": the title marks a person and is
    /// not part of the name. Returns where the title starts and the name after it.
    private static func splitTitle(_ words: [String]) -> (titleStart: Int, person: [String])? {
        guard Gazetteer.knownType(of: words.joined(separator: " ")) == nil else { return nil }
        for start in words.indices {
            for length in [2, 1] where start + length < words.count {
                let title = words[start..<(start + length)].joined(separator: " ")
                guard Gazetteer.personTitles.contains(title) else { continue }
                let name = Array(words[(start + length)...].prefix(4))
                guard !name.isEmpty, !Gazetteer.organizationSuffixes.contains(name.last ?? ""),
                    name.allSatisfy({ isCapitalised($0) || connectors.contains($0) })
                else { return nil }
                return (start, name)
            }
        }
        return nil
    }

    /// In a Title Case headline every word is capitalised, so only names known outright count.
    private static func knownNames(in words: [String]) -> [EntityCandidate] {
        var results: [EntityCandidate] = []
        var index = 0
        while index < words.count {
            var matched = false
            for length in stride(from: min(4, words.count - index), through: 2, by: -1) {
                let name = words[index..<(index + length)].joined(separator: " ")
                if let type = Gazetteer.knownType(of: name) {
                    results.append(EntityCandidate(text: Gazetteer.canonical(name), type: type))
                    index += length
                    matched = true
                    break
                }
            }
            if matched { continue }
            let word = words[index]
            for part in word.split(separator: "-").map(String.init) where isKnownWord(part) {
                results.append(candidate(forWord: part))
            }
            index += 1
        }
        return results
    }

    private static func isHeadline(_ tokens: [Token]) -> Bool {
        if let last = tokens.last, [".", "!", "?", "…", "\"", "”", ":"].contains(last.text) { return false }
        let content = tokens.filter { $0.kind == .word && !Stopwords.english.contains($0.text.lowercased()) }
        guard content.count >= 3 else { return false }
        let capitalised = content.filter { isCapitalised($0.text) }.count
        return Double(capitalised) / Double(content.count) >= 0.7
    }

    static func isCapitalised(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first else { return false }
        return first.properties.isUppercase || first.properties.generalCategory == .titlecaseLetter
    }

    private static let connectors: Set<String> = ["of", "the", "de", "van", "von", "der", "den", "la", "du", "da", "del", "al", "bin", "di"]
}
