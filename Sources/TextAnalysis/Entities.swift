import Foundation

// Named-entity recognition by rule: capitalised runs are candidates, the sentence position and
// the gazetteer decide which are names, and clues in the name decide its type. No model, so it
// is explainable and deterministic, and precise enough for news copy in Latin-script languages.

/// Finds named entities (people, organisations, places, other proper names) in text.
public enum EntityRecognizer {
    /// Entities with mention counts, most frequent first, ties by text.
    public static func entities(in text: String) -> [Entity] {
        entities(inSentences: SentenceSplitter.split(String(text.unicodeScalars.prefix(2_000_000))))
    }

    /// The same for text already split by `SentenceSplitter` (the extractor splits once, for the
    /// sentence count and for this).
    public static func entities(inSentences split: [String]) -> [Entity] {
        let sentences = split.map { tokenize(normalizeAbbreviations($0)) }
        let headlines = sentences.map(CandidateFinder.isHeadline)
        let context = NameContext(sentences: sentences)
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
        return tally.result()
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

    init(sentences: [[Token]]) {
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
