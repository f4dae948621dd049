// Clues that a name belongs to a person: a title or role before it, or a common given name in
// front (GazetteerGivenNames.swift). Titles and roles describe the person; they are never part of
// the entity and never an entity by themselves.

extension Gazetteer {
    /// Titles and offices written capitalised before a name; they are dropped from the entity text.
    static let personTitles: Set<String> = [
        "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Dr", "Dr.", "Prof", "Prof.", "Professor", "Sir", "Dame",
        "Councillor", "Councilor", "Alderman",
        "Lord", "Lady", "President", "Vice President", "Prime Minister", "Minister", "Chancellor", "Secretary",
        "Secretary General", "Secretary-General", "Secretary of State", "Minister of State", "Chief of Staff",
        "Head of State", "Press Secretary", "Foreign Minister", "Home Secretary", "Defence Minister",
        "Defense Secretary", "Senator", "Sen.", "Rep.", "Representative", "Gov.", "Governor",
        "Mayor", "General", "Gen.", "Admiral", "Colonel", "Col.", "Captain", "Capt.", "Lieutenant", "Sergeant",
        "Ambassador", "Judge", "Justice", "Pope", "King", "Queen", "Prince", "Princess", "Sheikh", "Emir",
        "Chairman", "Chairwoman", "Commissioner", "Spokesman", "Spokeswoman", "Spokesperson", "Director",
        "Premier", "Deputy", "Foreign Minister", "Defense Minister", "Defence Minister", "Herr", "Frau",
        "Monsieur", "Madame", "Señor", "Señora", "Father", "Rev.", "Reverend", "Rabbi", "Imam", "Patriarch",
        "Chief", "Executive", "Coach", "Vice", "CEO", "CFO", "COO", "MP", "MEP", "PM", "Superintendent",
        "Inspector", "Detective", "Constable", "Sheriff", "Marshal", "Ranking Member",
    ]

    /// Lowercase role nouns: written right before a name ("coach Dieter Vollmer", "deputy governor
    /// Anna Berg") or heading an appositive after it ("Anna Berg, chief economist at ...") they mark
    /// a person. Capitalised at a sentence start they are still never entities themselves.
    static let personRoles: Set<String> = [
        "president", "minister", "chancellor", "senator", "governor", "mayor", "ambassador", "secretary",
        "commissioner", "chairman", "chairwoman", "chair", "director", "executive", "ceo", "founder", "cofounder",
        "co-founder", "owner", "manager", "economist", "analyst", "strategist", "spokesperson", "spokesman",
        "spokeswoman", "coach", "captain", "player", "striker", "goalkeeper", "athlete", "runner", "champion",
        "teammate", "compatriot", "rival", "professor", "researcher", "scientist", "investigator", "doctor",
        "physician", "surgeon", "nurse", "paediatrician", "pediatrician", "epidemiologist", "virologist",
        "lawyer", "attorney", "prosecutor", "judge", "author", "writer", "novelist", "journalist", "reporter",
        "editor", "correspondent", "columnist", "actor", "actress", "singer", "musician", "artist",
        "lawmaker", "legislator", "politician", "candidate", "leader", "official", "diplomat", "envoy",
        "negotiator", "adviser", "advisor", "deputy", "premier", "king", "queen", "prince", "princess",
        "husband", "wife", "son", "daughter", "mother", "father", "brother", "sister", "widow", "farmer",
        "engineer", "treasurer", "entrepreneur", "investor", "banker", "trader", "activist", "campaigner", "resident",
        "pacemaker", "cyclist", "swimmer", "midfielder", "defender", "boxer", "skier", "rapper", "producer",
        "composer", "painter", "photographer", "policeman", "policewoman", "citizen", "suspect", "victim",
        "student", "teacher", "worker", "soldier", "pilot", "driver", "gunman", "assassin", "organizer", "organiser",
    ]

    /// Verbs of speech and stance right after a name ("Berg said", "Berg dissented"); people do
    /// these far more often than places. Companies speak too, which is why this is only middling
    /// evidence that an organisation clue outranks.
    static let speechVerbs: Set<String> = [
        "said", "says", "told", "tells", "added", "adds", "warned", "warns", "dissented", "argued", "argues",
        "explained", "insisted", "recalled", "admitted", "wrote", "writes", "believes", "thinks", "smiled",
        "laughed", "joked", "replied", "conceded", "stressed", "urged", "asked", "shouted", "tweeted", "testified",
    ]

    /// Whether a word is a title or a role, capitalised or not: such words never form an entity.
    static func isTitleOrRole(_ word: String) -> Bool {
        personTitles.contains(word) || personRoles.contains(word.lowercased())
    }

    /// Whether a whole name is made of titles and roles ("Prime Minister", "Deputy Governor").
    static func isTitlePhrase(_ words: [String]) -> Bool {
        var index = 0
        while index < words.count {
            if index + 1 < words.count, personTitles.contains(words[index] + " " + words[index + 1]) {
                index += 2
            } else if isTitleOrRole(words[index]) {
                index += 1
            } else {
                return false
            }
        }
        return true
    }
}
