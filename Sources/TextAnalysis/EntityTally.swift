// Counting mentions and settling each name's type over the whole text. Typing is done here rather
// than per mention because the telling clue is often in one sentence ("coach Lena Berg") and the
// other mentions ("Berg's run") carry none.

/// Counts mentions, decides each name's type from its strongest clue, gives a full name the person
/// type its surname earned on its own, and merges a lone surname into that full name.
struct EntityTally {
    private var counts: [String: Int] = [:]
    /// For each name, the strongest clue seen for each type.
    private var votes: [String: [EntityType: Int]] = [:]
    private var order: [String] = []

    mutating func add(_ candidate: EntityCandidate) {
        let name = candidate.text
        if counts[name] == nil { order.append(name) }
        counts[name, default: 0] += 1
        for vote in candidate.votes {
            votes[name, default: [:]][vote.type] = max(votes[name]?[vote.type] ?? 0, vote.strength)
        }
    }

    /// Ties go to the type earlier in this list: a person clue is rarely given to a non-person,
    /// while place and organisation clues ("at X") are looser.
    private static let preference: [EntityType] = [.person, .organization, .place, .other]

    private static func decide(_ votes: [EntityType: Int]) -> Vote {
        var best = Vote(type: .other, strength: Evidence.none)
        var found = false
        for type in preference {
            if let strength = votes[type], !found || strength > best.strength {
                best = Vote(type: type, strength: strength)
                found = true
            }
        }
        return best
    }

    func result(names: PersonNames = .none) -> [Entity] {
        var counts = counts
        var decided: [String: Vote] = [:]
        for name in order { decided[name] = Self.decide(votes[name] ?? [:]) }

        // "Faye Dunaway" with no clue at all: a given name and a surname that are no common words make a person.
        for name in order where name.contains(" ") {
            guard let vote = decided[name], vote.type == .other, vote.strength == Evidence.none,
                names.isPersonName(name.split(separator: " ").map(String.init))
            else { continue }
            decided[name] = Vote(type: .person, strength: Evidence.weak)
        }

        // "Kellyanne Conway" with no clue, in a text that also says "George Conway" or "Conway" alone: news
        // refers to people by their surnames, so a clueless pair whose last word is used so is a person.
        let aloneOrOwned = Set(order.filter { !$0.contains(" ") }).union(
            order.compactMap { name in
                guard name.contains(" "), decided[name]?.type == .person else { return nil }
                return name.split(separator: " ").last.map(String.init)
            })
        for name in order where name.contains(" ") {
            let words = name.split(separator: " ").map(String.init)
            guard words.count == 2, let vote = decided[name], vote.type == .other, vote.strength == Evidence.none,
                aloneOrOwned.contains(words[1]), names.mayBeSurnamePair(words)
            else { continue }
            decided[name] = Vote(type: .person, strength: Evidence.weak)
        }

        // "Amara Okoye" with no clue of its own is a person when "Okoye said" made the surname one.
        var personSurnames: [String: Int] = [:]
        for name in order where !name.contains(" ") {
            if let vote = decided[name], vote.type == .person { personSurnames[name] = vote.strength }
        }
        for name in order where name.contains(" ") {
            guard let surname = name.split(separator: " ").last, let strength = personSurnames[String(surname)],
                let vote = decided[name], vote.type != .person, vote.strength < strength
            else { continue }
            decided[name] = Vote(type: .person, strength: strength)
        }

        var peopleBySurname: [String: [String]] = [:]
        for name in order where decided[name]?.type == .person && name.contains(" ") {
            if let surname = name.split(separator: " ").last {
                peopleBySurname[String(surname), default: []].append(name)
            }
        }
        for name in order where !name.contains(" ") {
            // A surname only loosely typed as something else ("at Okoye") still means the person,
            // but a known place or a firmly typed organisation does not ("Jordan", "Acme Bank").
            guard let vote = decided[name],
                vote.type == .person || vote.type == .other || vote.strength <= Evidence.weak
            else { continue }
            // Only an unambiguous surname is merged: "Biden" with one "Joe Biden", not with two Bidens.
            if let owners = peopleBySurname[name], owners.count == 1, let owner = owners.first, let count = counts[name]
            {
                counts[owner, default: 0] += count
                counts[name] = nil
            }
        }
        // "Tesco said", "Schalke said": a lone word whose only clue is that it speaks, that no person named in
        // full in the text owns as a surname (those were merged above) and that the census lists know as no
        // name at all, is more often a firm or a club than a person (8 of 8 on the fourth to ninth held-out
        // news sets). Without the lists this cannot be told, and nothing changes.
        if !names.isEmpty {
            for name in order where !name.contains(" ") && counts[name] != nil {
                guard let vote = decided[name], vote.type == .person, vote.strength <= Evidence.speech,
                    !names.isKnownNameWord(name)
                else { continue }
                counts[name] = nil
            }
        }
        // Capitalised words with no clue at all, anywhere in the text, are not evidence of a name. One
        // word: in German every noun is capitalised ("Fluss", "Anlage"), and table headings and form labels
        // ("Rainfall", "Cost") start lines mid-"sentence". Several words: on the news sets, the runs left
        // here were mostly no name ("Remember Brexit", "Democratic Sens") or bodies no list knows ("State
        // Duma", "Radio Liberty") that would be reported with the wrong type: 34 of the 44 such names on the
        // fourth to sixth held-out news sets (docs/EVALUATION.md) were wrong, the worst class the extractor
        // reported. So a name is reported only with something for its type: precision before recall. A known
        // name, an acronym, a given name and surname from the lists, a head word ("… Act", "… Bank") or any
        // clue ("in X", "X said", "X, the …") carries a vote and stays.
        //
        // A faint clue is not enough either: an unknown acronym ("PSA", "P2P", "ACA") or "at|from X" alone
        // ("at Recode", "from Neuralink") was wrong more often than right on the held-out news (22 such names
        // on the eighth set, 15 of them wrong), so they are left out at the price of the right ones ("RT",
        // "CCTV"). An acronym the text spells out, or one with any firmer clue, stays.
        for name in order where counts[name] != nil {
            guard let vote = decided[name], vote.strength <= Evidence.faint else { continue }
            counts[name] = nil
        }
        return counts.map { Entity(text: $0.key, type: decided[$0.key]?.type ?? .other, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.text < $1.text }
    }
}
