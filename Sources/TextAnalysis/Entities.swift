import Foundation

// Named-entity recognition by rule: capitalised runs are candidates, the sentence position and
// the gazetteer decide which are names, and clues in the name decide its type. No model, so it
// is explainable and deterministic, and precise enough for news copy in Latin-script languages.

/// Finds named entities (people, organisations, places, other proper names) in text.
public enum EntityRecognizer {
    /// Entities with mention counts, most frequent first, ties by text. `names` (census names and word
    /// frequencies, see `PersonNames`) types clueless pairs like "Faye Dunaway" as people; without it the
    /// rules alone decide.
    public static func entities(in text: String, names: PersonNames = .none) -> [Entity] {
        entities(inSentences: SentenceSplitter.split(String(text.unicodeScalars.prefix(2_000_000))), names: names)
    }

    /// The same for text already split by `SentenceSplitter` (the extractor splits once, for the
    /// sentence count and for this).
    public static func entities(inSentences split: [String], names: PersonNames = .none) -> [Entity] {
        let sentences = split.map { tokenize(separateJoinedWords(normalizeAbbreviations($0))) }
        let headlines = sentences.map(CandidateFinder.isHeadline)
        let context = NameContext(sentences: sentences, names: names)
        var tally = EntityTally()
        // Body sentences first: the names they yield are what a Title Case line may then be matched against.
        var bodyNames: Set<String> = []
        for (tokens, headline) in zip(sentences, headlines) where !headline {
            for candidate in CandidateFinder.candidates(in: tokens, context: context) {
                tally.add(candidate)
                bodyNames.insert(candidate.text)
            }
        }
        for (tokens, headline) in zip(sentences, headlines) where headline {
            for candidate in CandidateFinder.headlineCandidates(in: tokens, bodyNames: bodyNames) {
                tally.add(candidate)
            }
        }
        return tally.result(names: names)
    }

    /// Dotted abbreviations would be split by the tokenizer; spell them the undotted way.
    private static func normalizeAbbreviations(_ sentence: String) -> String {
        // Every form below is capital, dot, capital, dot: looked for on the bytes first, since
        // five Foundation replacements per sentence were a third of finding entities.
        let bytes = Array(sentence.utf8)
        let isCapital = { (byte: UInt8) in byte >= 0x41 && byte <= 0x5A }
        guard
            bytes.indices.dropLast(3).contains(where: { index in
                isCapital(bytes[index]) && bytes[index + 1] == 0x2E && isCapital(bytes[index + 2])
                    && bytes[index + 3] == 0x2E
            })
        else { return sentence }
        var result = sentence
        for (dotted, plain) in [("U.S.A.", "USA"), ("U.S.", "US"), ("U.K.", "UK"), ("U.N.", "UN"), ("E.U.", "EU")] {
            result = result.replacingOccurrences(of: dotted, with: plain)
        }
        return result
    }

    /// Words that scraped text glues to the word before with a hyphen where a paragraph or line break was
    /// lost ("… Brigid Quilligan-said the community …"): verbs of speech and function words, which never end
    /// a hyphenated compound when a space follows ("Stoke-on-Trent" keeps its hyphens).
    static let gluedTails: Set<String> = Gazetteer.speechVerbs.union([
        "the", "on", "in", "at", "to", "and", "of", "a", "an", "for", "with", "from", "as", "by",
    ])

    /// "Quilligan-said the" → "Quilligan said the": a capitalised word's hyphen before one of `gluedTails`
    /// and a space is a lost break, so the name is seen on its own.
    static func separateJoinedWords(_ sentence: String) -> String {
        guard sentence.utf8.contains(0x2D) else { return sentence }
        var scalars = Array(sentence.unicodeScalars)
        var index = 1
        var changed = false
        while index < scalars.count - 1 {
            defer { index += 1 }
            guard scalars[index] == "-", scalars[index - 1].properties.isAlphabetic else { continue }
            var wordStart = index - 1
            while wordStart > 0, scalars[wordStart - 1].properties.isAlphabetic { wordStart -= 1 }
            guard scalars[wordStart].properties.isUppercase,
                wordStart == 0 || scalars[wordStart - 1] == " "
            else { continue }
            var tailEnd = index + 1
            while tailEnd < scalars.count, scalars[tailEnd].properties.isLowercase { tailEnd += 1 }
            guard tailEnd < scalars.count, scalars[tailEnd] == " ",
                gluedTails.contains(String(String.UnicodeScalarView(scalars[(index + 1)..<tailEnd])))
            else { continue }
            scalars[index] = " "
            changed = true
        }
        return changed ? String(String.UnicodeScalarView(scalars)) : sentence
    }

    private static func tokenize(_ sentence: String) -> [Token] {
        Tokenizer.tokens(sentence)
    }
}

/// How strongly one clue says what kind of thing a name is. A name takes the type of its strongest
/// clue over all its mentions, so one telling context ("the biotech company Acme") outweighs many
/// vague ones ("Acme said").
enum Evidence {
    /// A capitalised name and nothing more.
    static let none = 0
    /// "at|from X" is often a place; a bare acronym is usually an organisation.
    static let faint = 1
    /// A known given name in front; "in|near X"; an acronym followed by "index", "virus" and the like.
    static let weak = 2
    /// A verb of speech after the name: people speak, but so do companies.
    static let speech = 3
    /// A role, organisation or place noun right next to the name; ", who"; an appositive.
    static let cue = 4
    /// A title before the name; an organisation head word in it; "the town of X"; "X-based".
    static let strong = 5
    /// The gazetteer knows the name.
    static let known = 10
}

/// One clue about a name: the type it points to and how strongly.
struct Vote: Equatable {
    var type: EntityType
    var strength: Int
}

/// A name found in text before counting: canonical text and the clues about its type.
struct EntityCandidate: Equatable {
    var text: String
    var votes: [Vote]

    init(text: String, type: EntityType, strength: Int) {
        self.text = text
        votes = [Vote(type: type, strength: strength)]
    }

    init(text: String, vote: Vote) {
        self.text = text
        votes = [vote]
    }
}

/// Facts about the whole text that help judge one sentence-initial word: a word that also
/// appears capitalised mid-sentence (a Title Case line included) is a name; one that appears in
/// lowercase is not.
struct NameContext {
    var capitalisedMidSentence: Set<String> = []
    var lowercaseWords: Set<String> = []
    /// The census names and word frequencies the recognizer was given.
    var names: PersonNames

    init(sentences: [[Token]], names: PersonNames = .none) {
        self.names = names
        for tokens in sentences {
            let words = tokens.enumerated().filter { $0.element.kind == .word }
            for (position, (index, token)) in words.enumerated() {
                let bare = Tokenizer.stripPossessive(token.text)
                guard let first = bare.unicodeScalars.first else { continue }
                if first.isLowercase {
                    lowercaseWords.insert(bare)
                } else if position > 0, !CandidateFinder.followsOpener(tokens, index) {
                    capitalisedMidSentence.insert(bare)
                }
            }
        }
    }
}
