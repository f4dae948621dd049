import Foundation

// Named-entity recognition by rule: capitalised runs are candidates, the sentence position and
// the gazetteer decide which are names, and clues in the name decide its type. No model, so it
// is explainable and deterministic, and precise enough for news copy in Latin-script languages.

/// Finds named entities (people, organisations, places, other proper names) in text.
public enum EntityRecognizer {
    /// Entities with mention counts, most frequent first, ties by text.
    public static func entities(in text: String) -> [Entity] {
        let sentences = SentenceSplitter.split(String(text.unicodeScalars.prefix(2_000_000)))
            .map { tokenize(normalizeAbbreviations($0)) }
        let context = NameContext(sentences: sentences)
        var tally = EntityTally()
        for tokens in sentences {
            for candidate in CandidateFinder.candidates(in: tokens, context: context) {
                tally.add(candidate)
            }
        }
        return tally.result()
    }

    /// Dotted abbreviations would be split by the tokenizer; spell them the undotted way.
    private static func normalizeAbbreviations(_ sentence: String) -> String {
        guard sentence.contains(".") else { return sentence }
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

/// A name found in text before counting: canonical text and type.
struct EntityCandidate: Equatable {
    var text: String
    var type: EntityType
}

/// Facts about the whole text that help judge one sentence-initial word: a word that also
/// appears capitalised mid-sentence is a name; one that appears in lowercase is not.
struct NameContext {
    var capitalisedMidSentence: Set<String> = []
    var lowercaseWords: Set<String> = []

    init(sentences: [[Token]]) {
        for tokens in sentences {
            let words = tokens.enumerated().filter { $0.element.kind == .word }
            for (position, (index, token)) in words.enumerated() {
                let bare = Tokenizer.stripPossessive(token.text)
                guard let first = bare.unicodeScalars.first else { continue }
                if first.properties.isLowercase {
                    lowercaseWords.insert(bare)
                } else if position > 0, !CandidateFinder.followsOpener(tokens, index) {
                    capitalisedMidSentence.insert(bare)
                }
            }
        }
    }
}

/// Counts mentions, merges a lone surname into the full name of a person seen in the same text,
/// and orders the result.
struct EntityTally {
    private var counts: [String: Int] = [:]
    private var types: [String: EntityType] = [:]
    private var order: [String] = []

    mutating func add(_ candidate: EntityCandidate) {
        if counts[candidate.text] == nil { order.append(candidate.text) }
        counts[candidate.text, default: 0] += 1
        // A later, more specific typing wins over "other".
        if types[candidate.text] == nil || types[candidate.text] == .other { types[candidate.text] = candidate.type }
    }

    func result() -> [Entity] {
        var counts = counts
        var types = types
        var peopleBySurname: [String: [String]] = [:]
        for name in order where types[name] == .person && name.contains(" ") {
            if let surname = name.split(separator: " ").last { peopleBySurname[String(surname), default: []].append(name) }
        }
        for name in order where !name.contains(" ") && types[name] != .place && types[name] != .organization {
            // Only an unambiguous surname is merged: "Biden" with one "Joe Biden", not with two Bidens.
            if let owners = peopleBySurname[name], owners.count == 1, let owner = owners.first, let count = counts[name] {
                counts[owner, default: 0] += count
                counts[name] = nil
                types[name] = nil
            }
        }
        return counts.map { Entity(text: $0.key, type: types[$0.key] ?? .other, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.text < $1.text }
    }
}
