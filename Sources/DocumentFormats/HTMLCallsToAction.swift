import Foundation

/// Chrome told by what it says rather than by its names: consent banners, sign-up boxes and reading-time
/// lines on sites whose class names say nothing (`mt-10 rounded-lg border p-6`).
///
/// Written after the first held-out pages (eval/, now development pages): a utility-class site kept its
/// cookie banner, its newsletter box and its "By … · 9 min read" line, and their words, counted as prose,
/// also pulled the article container out to the page wrapper.
enum HTMLCallsToAction {
    /// Elements that are a small box around a button-like label ("Sign up", "Accept all"): the smallest
    /// element around such a label that holds other text too, when it holds at most `boxWords` words.
    static func boxes(in layout: HTMLPageLayout) -> Set<Int> {
        var blocksIn = [Int](repeating: 0, count: layout.elements.count)
        var wordsIn = [Int](repeating: 0, count: layout.elements.count)
        for block in layout.blocks {
            for element in block.ancestors {
                blocksIn[element] += 1
                wordsIn[element] += block.words
            }
        }
        var boxes = Set<Int>()
        for block in layout.blocks where block.words <= 4 && isButtonLabel(block.text) {
            // Innermost first: the first ancestor with more than this one block is the box.
            guard let box = block.ancestors.reversed().first(where: { blocksIn[$0] > 1 }),
                wordsIn[box] <= boxWords, layout.elements[box].parent != nil
            else { continue }
            boxes.insert(box)
        }
        return boxes
    }

    static let boxWords = 60

    static func isButtonLabel(_ text: String) -> Bool {
        buttonLabels.contains(text.lowercased().trimmingCharacters(in: .whitespaces.union(.punctuationCharacters)))
    }

    /// A consent banner's own words: cookies, said to the reader ("we use", "your choice"). An article about
    /// cookie law talks about them in the third person, and is longer than the bound.
    static func isConsentNotice(_ block: HTMLBlock) -> Bool {
        guard block.words <= 120 else { return false }
        let lowered = block.text.lowercased()
        return lowered.contains("cookie") && consentWords.contains { lowered.contains($0) }
    }

    /// "9 min read", "Lesezeit 4 Minuten", "5 min de lectura": a line about the article, not of it.
    static func isReadingTime(_ lowered: String, words: Int) -> Bool {
        words <= 16 && readingTimeWords.contains { lowered.contains($0) }
    }

    private static let buttonLabels: Set<String> = [
        "sign up", "sign up now", "sign me up", "subscribe", "subscribe now", "join", "join now", "register",
        "accept", "accept all", "accept cookies", "allow all", "reject", "reject all", "decline", "i agree", "agree",
        "got it", "manage preferences", "manage cookies", "cookie settings", "s'inscrire", "je m'abonne", "accepter",
        "tout accepter", "refuser", "suscríbete", "aceptar", "rechazar", "anmelden", "abonnieren", "akzeptieren",
        "alle akzeptieren", "ablehnen",
    ]
    private static let consentWords = [
        "we use", "we and our", "our partners", "you can", "your choice", "your consent", "your preferences",
        "by clicking", "by continuing", "you agree", "nous utilisons", "nos partenaires", "vos choix",
        "votre consentement", "utilizamos", "nuestros socios", "su consentimiento", "wir verwenden",
        "unsere partner", "ihre einwilligung", "sie können",
    ]
    private static let readingTimeWords = [
        "min read", "mins read", "minute read", "minutes read", "min de lectura", "minutos de lectura",
        "min de lecture", "minutes de lecture", "lesezeit", "min. lesen",
    ]
}
