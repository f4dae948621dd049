// The most frequent function words of each language. Function words make up a third or more of
// running text in every one of these languages, so even a short paragraph hits dozens of them,
// and which list it hits tells the language. Words shared by several lists count for less.

enum LanguageProfiles {
    /// Languages written in Latin script, tried in this order on ties.
    static let latin: [(code: String, words: Set<String>)] = [
        (
            "en",
            [
                "the", "of", "and", "to", "in", "is", "that", "it", "was", "for", "on", "are", "with", "as", "his",
                "they", "be", "at", "this", "have", "from", "or", "had", "by", "but", "not", "what", "were",
                "we", "when", "your", "can", "said", "there", "an", "which", "she", "do", "their", "if", "will",
                "would", "been", "has", "its", "who", "than", "them", "these", "some", "her", "him", "into",
                "could", "our", "about", "after", "also", "should", "because", "while", "where", "you", "my",
            ]
        ),
        (
            "de",
            [
                "der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist",
                "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat",
                "dass", "sie", "nach", "wird", "bei", "einer", "um", "am", "sind", "noch", "wie", "einem",
                "über", "einen", "so", "zum", "war", "haben", "nur", "oder", "aber", "vor", "zur", "bis", "mehr",
                "durch", "man", "sein", "wurde", "sei", "ich", "wir", "ihr", "kann", "schon", "wenn", "keine",
            ]
        ),
        (
            "fr",
            [
                "le", "de", "la", "et", "les", "des", "en", "un", "du", "une", "que", "est", "pour", "qui", "dans",
                "a", "par", "plus", "pas", "au", "sur", "ne", "se", "ce", "il", "sont", "aux", "avec", "ou", "son",
                "cette", "ses", "mais", "nous", "elle", "été", "leur", "ont", "comme", "tout", "ces", "je", "vous",
                "ils", "être", "fait", "sa", "même", "très", "aussi", "était", "où", "sans", "deux", "c'est", "qu'il",
            ]
        ),
        (
            "es",
            [
                "de", "la", "que", "el", "en", "y", "a", "los", "del", "se", "las", "por", "un", "para", "con",
                "no", "una", "su", "al", "lo", "como", "más", "pero", "sus", "le", "ya", "o", "este", "sí",
                "porque", "esta", "entre", "cuando", "muy", "sin", "sobre", "también", "me", "hasta", "hay",
                "donde", "quien", "desde", "todo", "nos", "durante", "todos", "uno", "les", "ni", "contra", "otros",
                "ese", "eso", "ante", "ellos", "es", "fue", "han", "ha", "está", "son", "estos", "años",
            ]
        ),
        (
            "it",
            [
                "di", "e", "il", "la", "che", "a", "per", "un", "in", "è", "non", "una", "del", "della", "si",
                "con", "i", "le", "da", "al", "sono", "gli", "dei", "nel", "alla", "anche", "come", "più", "ma",
                "delle", "questo", "ha", "lo", "ci", "nella", "su", "dal", "degli", "se", "essere", "tra",
                "questa", "hanno", "stato", "dalla", "perché", "fra", "ancora", "quando", "molto", "sua", "suo",
                "loro", "cui", "sul", "già", "era", "fino", "agli", "ai", "poi",
            ]
        ),
        (
            "pt",
            [
                "de", "a", "o", "que", "e", "do", "da", "em", "um", "para", "é", "com", "não", "uma", "os", "no",
                "se", "na", "por", "mais", "as", "dos", "como", "mas", "foi", "ao", "ele", "das", "tem", "à",
                "seu", "sua", "ou", "ser", "quando", "muito", "há", "nos", "já", "está", "eu", "também", "só",
                "pelo", "pela", "até", "isso", "ela", "entre", "era", "depois", "sem", "mesmo", "aos", "ter",
                "seus", "quem", "nas", "esse", "eles", "estão", "você", "são", "essa", "num", "nem", "suas",
            ]
        ),
        (
            "nl",
            [
                "de", "en", "van", "ik", "te", "dat", "die", "in", "een", "hij", "het", "niet", "zijn", "is",
                "was", "op", "aan", "met", "als", "voor", "had", "er", "maar", "om", "hem", "dan", "zou", "of",
                "wat", "mijn", "men", "dit", "zo", "door", "over", "ze", "zich", "bij", "ook", "tot", "je", "mij",
                "uit", "der", "daar", "haar", "naar", "heb", "hoe", "heeft", "hebben", "deze", "u", "want", "nog",
                "zal", "wordt", "worden", "werd", "geen", "meer", "kan", "wel", "onder", "tegen", "na",
            ]
        ),
        (
            "pl",
            [
                "i", "w", "nie", "na", "się", "z", "do", "to", "że", "jest", "o", "jak", "ale", "po", "co", "tak",
                "za", "od", "już", "przez", "jego", "dla", "są", "tylko", "ich", "czy", "tym", "jej", "który",
                "która", "które", "było", "został", "także", "oraz", "przy", "może", "jednak", "bardzo",
            ]
        ),
        (
            "sv",
            [
                "och", "i", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har", "de",
                "inte", "om", "ett", "han", "men", "var", "jag", "sig", "från", "vi", "så", "kan", "man", "när",
                "år", "säger", "hon", "under", "också", "efter", "eller", "nu", "sina", "skulle", "mot", "vid",
            ]
        ),
    ]

    /// Cyrillic-script languages; told apart by their function words and the letters only one of
    /// them uses (see `LanguageIdentifier`).
    static let cyrillic: [(code: String, words: Set<String>)] = [
        (
            "ru",
            [
                "и", "в", "не", "на", "что", "с", "по", "как", "это", "он", "к", "но", "из", "у", "за", "о",
                "от", "то", "же", "для", "все", "так", "его", "только", "или", "было", "был", "была", "уже",
                "бы", "когда", "если", "при", "также", "этого", "который", "которые", "их", "может", "быть",
                "есть", "после", "еще", "ещё", "во", "мы", "они", "вы", "она", "ее", "её", "этом", "чтобы",
            ]
        ),
        (
            "uk",
            [
                "і", "в", "не", "на", "що", "з", "та", "до", "у", "як", "це", "за", "він", "але", "й", "від",
                "по", "для", "так", "його", "вже", "або", "було", "був", "була", "коли", "якщо", "при",
                "також", "який", "які", "яка", "їх", "може", "бути", "є", "після", "ще", "ми", "вони", "ви",
                "вона", "щоб", "цього", "цей", "ця", "про", "через", "між", "своїх",
            ]
        ),
    ]

    static let allStopwords: Set<String> = {
        var all = Set<String>()
        for profile in latin + cyrillic { all.formUnion(profile.words) }
        // one-letter function words are dropped by length anyway; "die", "son", "same", "come" and
        // the like are English content words too, so keep them out of the shared set.
        all.subtract(["die", "son", "come", "fine", "man", "men", "hoe", "era", "ten", "sin", "ante", "sale"])
        return all
    }()
}
