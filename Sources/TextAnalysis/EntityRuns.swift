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
            let bare = Tokenizer.stripPossessive(token.text)
            if token.kind == .word, isCapitalised(bare), !Gazetteer.calendarWords.contains(bare) {
                if EntityCues.modifier(bare) != nil {
                    // "Malmö-based": a modifier stands alone, and what follows it is a new name.
                    finish()
                    runs.append([RunWord(text: bare, tokenIndex: index, isConnector: false)])
                    continue
                }
                current.append(RunWord(text: bare, tokenIndex: index, isConnector: false))
                if bare != token.text { finish() } // "Moscow's aggression": a possessive ends the name
            } else if token.kind == .word, let previous = current.last, joins(token.text, after: previous),
                continuesName(tokens, after: index)
            {
                current.append(RunWord(text: token.text, tokenIndex: index, isConnector: true))
            } else {
                finish()
            }
        }
        finish()
        return runs
    }

    /// Whether a lowercase word may sit inside a name after `previous`. Particles always may; "of"
    /// only after a head word that takes it; "the" only in "of the".
    private static func joins(_ word: String, after previous: RunWord) -> Bool {
        switch word {
        case "of": return !previous.isConnector && ofHeads.contains(previous.text)
        case "the": return previous.isConnector && previous.text == "of"
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
        return first.isUppercase || (first.value >= 0x80 && first.properties.generalCategory == .titlecaseLetter)
    }
}
