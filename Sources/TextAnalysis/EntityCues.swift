// Clues from the words around a name. News copy introduces people, organisations and places in a
// few fixed shapes: "coach Lena Berg", "Berg said", "Berg, a sprinter", "the consultancy Acme",
// "Acme, the vaccine alliance", "in Tromsø", "the town of X", "the X region", "Oslo-based".
// Each look is a constant number of tokens either side, so the whole pass stays linear.

/// Reads the tokens around a name for clues to its type.
enum EntityCues {
    /// Clues for the name spanning `first...last` in `tokens`.
    static func votes(in tokens: [Token], first: Int, last: Int, words: [String]) -> [Vote] {
        var votes: [Vote] = []
        if let vote = before(tokens, first) { votes.append(vote) }
        // A possessive name modifies what follows ("Berg's coach"), so what follows says nothing about it.
        if Tokenizer.stripPossessive(tokens[last].text) == tokens[last].text,
            let vote = after(tokens, last, words: words)
        {
            votes.append(vote)
        }
        return votes
    }

    /// "coach X", "the company X", "the capital X", "the town of X", "in X", "Oslo-based X",
    /// "the operator, the X".
    private static func before(_ tokens: [Token], _ first: Int) -> Vote? {
        guard first > 0 else { return nil }
        let previous = tokens[first - 1]
        if previous.kind == .word, isLowercase(previous.text) {
            let word = previous.text
            if Gazetteer.personRoles.contains(word) { return Vote(type: .person, strength: Evidence.cue) }
            // "killed Srinivas Kuchibhotla and wounded Alok Madasani": what is killed or arrested is a person.
            if personObjectVerbs.contains(word) { return Vote(type: .person, strength: Evidence.speech) }
            if Gazetteer.organizationNouns.contains(word) { return Vote(type: .organization, strength: Evidence.cue) }
            if Gazetteer.placeNouns.contains(word) { return Vote(type: .place, strength: Evidence.cue) }
            if word == "of", first >= 2, Gazetteer.placeNouns.contains(tokens[first - 2].text) {
                return Vote(type: .place, strength: Evidence.strong)
            }
        }
        if previous.kind == .word, let strength = placePrepositions[previous.text.lowercased()] {
            return Vote(type: .place, strength: strength)
        }
        if previous.kind == .word, let modifier = modifier(previous.text), locatingTails.contains(modifier.tail) {
            // "the Oslo-based Acme": what is based somewhere is an organisation.
            return Vote(type: .organization, strength: Evidence.cue)
        }
        if ["the", "a", "an"].contains(previous.text), first >= 3, tokens[first - 2].text == ",",
            Gazetteer.organizationNouns.contains(tokens[first - 3].text)
        {
            return Vote(type: .organization, strength: Evidence.cue)
        }
        return nil
    }

    /// Verbs whose object in news copy is nearly always a person.
    static let personObjectVerbs: Set<String> = [
        "killed", "wounded", "shot", "murdered", "stabbed", "injured", "kidnapped", "abducted", "arrested",
        "detained", "executed", "assassinated", "married", "interviewed", "sentenced", "jailed", "charged",
    ]

    /// "X said", "X, who", "X, a|the ... <role|organisation|place noun>", "the X region", "CPIF index".
    private static func after(_ tokens: [Token], _ last: Int, words: [String]) -> Vote? {
        guard last + 1 < tokens.count else { return nil }
        let next = tokens[last + 1]
        let acronym = words.count == 1 && Gazetteer.isAcronym(words[0])
        if next.text == "," {
            // "the UN, said …", "the UN, which": an acronym that speaks is a body, not a person.
            guard let vote = appositive(tokens, from: last + 2) else { return nil }
            return acronym && vote.type == .person ? Vote(type: .organization, strength: vote.strength) : vote
        }
        guard next.kind == .word else { return nil }
        // "the UN said": an acronym that speaks is a body, not a person.
        if Gazetteer.speechVerbs.contains(next.text) {
            return Vote(type: acronym ? .organization : .person, strength: Evidence.speech)
        }
        if Gazetteer.placeNouns.contains(next.text) { return Vote(type: .place, strength: Evidence.cue) }
        if words.count == 1, Gazetteer.isAcronym(words[0]), acronymThings.contains(next.text) {
            return Vote(type: .other, strength: Evidence.weak)
        }
        return nil
    }

    /// The head noun of a short appositive after a comma: the last role, organisation or place noun
    /// before a function word or punctuation ("chief economist at" → economist → person).
    private static func appositive(_ tokens: [Token], from start: Int) -> Vote? {
        guard start < tokens.count else { return nil }
        if tokens[start].text == "who" { return Vote(type: .person, strength: Evidence.cue) }
        // "The harbour master, Ewan Campbell, said": the name between commas is who spoke.
        if Gazetteer.speechVerbs.contains(tokens[start].text) { return Vote(type: .person, strength: Evidence.speech) }
        var index = start
        if ["a", "an", "the"].contains(tokens[index].text) { index += 1 }
        var head: EntityType?
        while index < tokens.count, index < start + 6 {
            let token = tokens[index]
            // "a North Korean citizen": a demonym of two words is one modifier.
            if index + 1 < tokens.count,
                Gazetteer.demonyms[token.text + " " + tokens[index + 1].text] != nil
            {
                index += 2
                head = .person
                continue
            }
            guard token.kind == .word, isLowercase(token.text) || Gazetteer.demonyms[token.text] != nil,
                !appositiveStops.contains(token.text)
            else { break }
            index += 1
            // "Siti Aisyah, an Indonesian,": a demonym as the head noun is a person; one before a noun
            // ("a Danish company") gives way to that noun below.
            if Gazetteer.demonyms[token.text] != nil {
                head = .person
                continue
            }
            // "the company's chief executive": a possessive modifies the head that follows.
            if Tokenizer.stripPossessive(token.text) != token.text { continue }
            if Gazetteer.personRoles.contains(token.text) {
                head = .person
            } else if Gazetteer.organizationNouns.contains(token.text) {
                head = .organization
            } else if Gazetteer.placeNouns.contains(token.text) {
                head = .place
            }
        }
        return head.map { Vote(type: $0, strength: Evidence.cue) }
    }

    /// "Malmö-based", "Kremlin-backed": a capitalised stem and a lowercase tail after the last hyphen.
    /// Such a word modifies what follows; it is never part of a longer name.
    static func modifier(_ word: String) -> (stem: String, tail: String)? {
        guard let hyphen = word.lastIndex(of: "-") else { return nil }
        let stem = String(word[..<hyphen])
        let tail = String(word[word.index(after: hyphen)...])
        guard let tailStart = tail.unicodeScalars.first, tailStart.isLowercase,
            stem.unicodeScalars.count >= 2, CandidateFinder.isCapitalised(stem)
        else { return nil }
        return (stem, tail)
    }

    /// Tails that say the stem is where something is: "Oslo-based", "Lagos-born".
    static let locatingTails: Set<String> = ["based", "born", "headquartered", "listed"]

    private static func isLowercase(_ word: String) -> Bool {
        word.unicodeScalars.first?.isLowercase ?? false
    }

    /// How strongly a preposition before a name says it is a place. "at" and "from" also precede
    /// organisations and people ("at Acme Bank", "a call from Berg"), so they count for less.
    private static let placePrepositions: [String: Int] = [
        "in": Evidence.weak, "near": Evidence.weak, "outside": Evidence.weak, "inside": Evidence.weak,
        "across": Evidence.weak, "throughout": Evidence.weak, "around": Evidence.weak, "at": Evidence.faint,
        "from": Evidence.faint,
    ]

    /// Words that end an appositive: the head noun comes before them.
    private static let appositiveStops: Set<String> = [
        "at", "of", "in", "for", "with", "on", "from", "and", "or", "but", "who", "which", "that", "to", "by", "as",
        "said", "says", "is", "was", "has", "had", "will", "would",
    ]

    /// Nouns after an acronym that show it names a measure or a disease, not a body ("CPI index").
    private static let acronymThings: Set<String> = [
        "index", "rate", "rates", "virus", "infection", "infections", "vaccine", "vaccines", "test", "tests",
        "score", "scores", "format", "standard", "protocol", "variant", "cases", "levels", "readings",
    ]
}
