// Function words that carry no topic. English is the extended list (it includes reporting verbs
// and vague adjectives, which otherwise crowd keyword lists of news text); the other languages
// reuse the language-ID profiles, so terms of a German text are not "der", "die", "das".

/// Stopword lookup used when turning text into analysis terms.
public enum Stopwords {
    /// True when `word` (lowercased) is a function word in English or a profiled language.
    public static func isStopword(_ word: String) -> Bool {
        english.contains(word) || LanguageProfiles.allStopwords.contains(word)
    }

    static let english: Set<String> = [
        "a", "about", "above", "across", "after", "afterwards", "again", "against", "ago", "all", "almost",
        "alone", "along", "already", "also", "although", "always", "am", "among", "amongst", "an", "and",
        "another", "any", "anyhow", "anyone", "anything", "anyway", "anywhere", "are", "around", "as", "at",
        "back", "be", "became", "because", "become", "becomes", "becoming", "been", "before", "beforehand",
        "behind", "being", "below", "beside", "besides", "between", "beyond", "both", "but", "by", "can",
        "cannot", "could", "did", "do", "does", "doing", "done", "down", "due", "during", "each", "either",
        "else", "elsewhere", "enough", "etc", "even", "ever", "every", "everyone", "everything", "everywhere",
        "except", "few", "for", "former", "formerly", "from", "further", "get", "gets", "got", "had", "has",
        "have", "having", "he", "hence", "her", "here", "hereby", "herein", "hers", "herself", "him",
        "himself", "his", "how", "however", "i", "if", "in", "indeed", "instead", "into", "is", "it", "its",
        "itself", "just", "keep", "last", "latter", "least", "less", "let", "like", "made", "make", "many",
        "may", "me", "meanwhile", "might", "mine", "more", "moreover", "most", "mostly", "much", "must",
        "my", "myself", "namely", "neither", "never", "nevertheless", "next", "no", "nobody", "none",
        "nor", "not", "nothing", "now", "nowhere", "of", "off", "often", "on", "once", "one", "only",
        "onto", "or", "other", "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own",
        "per", "perhaps", "please", "put", "quite", "rather", "really", "same", "see", "seem", "seemed",
        "seeming", "seems", "several", "she", "should", "since", "so", "some", "somehow", "someone",
        "something", "sometime", "sometimes", "somewhere", "still", "such", "than", "that", "the", "their",
        "theirs", "them", "themselves", "then", "thence", "there", "thereafter", "thereby", "therefore",
        "therein", "thereupon", "these", "they", "this", "those", "though", "through", "throughout", "thru",
        "thus", "to", "together", "too", "toward", "towards", "under", "until", "up", "upon", "us", "use",
        "used", "using", "very", "via", "was", "we", "well", "were", "what", "whatever", "when", "whence",
        "whenever", "where", "whereas", "whereby", "wherein", "whether", "which", "while", "whither", "who",
        "whoever", "whole", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet",
        "you", "your", "yours", "yourself", "yourselves",
        // contractions, as the tokenizer keeps them whole
        "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't", "wouldn't", "can't",
        "couldn't", "shouldn't", "it's", "i'm", "i've", "we're", "they're", "that's", "there's", "he's",
        "she's", "you're", "let's", "don’t", "doesn’t", "didn’t", "isn’t", "it’s", "that’s", "there’s",
        // reporting verbs and filler that dominate news copy without saying what it is about
        "said", "says", "say", "saying", "told", "tell", "according", "reported", "reports", "report",
        "added", "noted", "called", "calls", "call", "stated", "asked", "clarified", "quotes", "quoted", "new", "first",
        "second",
        "third", "time", "times", "year", "years", "week", "weeks", "day", "days", "month", "months",
        "today", "yesterday", "tomorrow", "way", "lot", "lots", "thing", "things", "going", "want", "wants",
        "take", "takes", "taking", "took", "come", "comes", "came", "go", "goes", "went", "know", "knows",
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "mr", "mrs", "ms", "dr",
        "yes", "oh", "ok", "okay", "able", "specific", "different", "certain", "various",
    ]
}
