import Foundation

/// Chrome told by what it says rather than by its names: consent banners, sign-up boxes, adverts and
/// reading-time lines on sites whose class names say nothing (`mt-10 rounded-lg border p-6`).
///
/// Written after the first held-out pages (eval/, now development pages): a utility-class site kept its
/// cookie banner, its newsletter box and its "By … · 9 min read" line, and their words, counted as prose,
/// also pulled the article container out to the page wrapper. The second held-out pages (now development
/// pages too) added adverts built from bare `<div>`s: a box whose label says "Advertisement" or
/// "Sponsored", or whose button is a paid link (`rel="sponsored"`), and the affiliate disclosure line.
enum HTMLCallsToAction {
    /// Elements that are a small box around a call to action: the smallest element around the label that
    /// holds other text too, when it holds at most `boxWords` words. The label is a button's ("Sign up",
    /// "Accept all"), a paid link's ("Shop now" with `rel="sponsored"`; one inside a paragraph is the
    /// article's, "… at <a rel=sponsored>Voltmart</a>": the paragraph is more than a label), or an advert's
    /// ("Advertisement", "Sponsored") when it heads a box that also holds a link — a label alone between
    /// two short paragraphs marks a slot, not the paragraphs around it.
    static func boxes(in layout: HTMLPageLayout) -> Set<Int> {
        var blocksIn = [Int](repeating: 0, count: layout.elements.count)
        var wordsIn = [Int](repeating: 0, count: layout.elements.count)
        var firstBlockIn = [Int](repeating: -1, count: layout.elements.count)
        var linkIn = [Bool](repeating: false, count: layout.elements.count)
        for (index, block) in layout.blocks.enumerated() {
            for element in block.ancestors {
                blocksIn[element] += 1
                wordsIn[element] += block.words
                if firstBlockIn[element] < 0 { firstBlockIn[element] = index }
                if block.linkDensity > 0.5 { linkIn[element] = true }
            }
        }
        var boxes = Set<Int>()
        for (index, block) in layout.blocks.enumerated() where block.words <= 4 {
            let text = label(block.text)
            let advert = advertLabels.contains(text)
            guard
                advert || buttonLabels.contains(text)
                    || block.ancestors.contains(where: { layout.elements[$0].paidLink })
            else { continue }
            // Innermost first: the first ancestor with more than this one block is the box.
            guard let box = block.ancestors.reversed().first(where: { blocksIn[$0] > 1 }),
                wordsIn[box] <= boxWords, layout.elements[box].parent != nil
            else { continue }
            if advert, firstBlockIn[box] != index || !linkIn[box] { continue }
            boxes.insert(box)
        }
        return boxes
    }

    static let boxWords = 60

    static func label(_ text: String) -> String {
        text.lowercased().trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
    }

    /// "We may earn a commission if you buy through links on this page": a commission on the reader's
    /// purchases through the page's links, said in a short block. A quote that names the European
    /// Commission talks of no purchase through links.
    static func isAffiliateDisclosure(_ block: HTMLBlock) -> Bool {
        guard block.words <= 60 else { return false }
        let lowered = block.text.lowercased()
        return affiliateWords.contains { lowered.contains($0) } && purchaseWords.contains { lowered.contains($0) }
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
    static let advertLabels: Set<String> = [
        "advertisement", "advertising", "ad", "sponsored", "sponsored content", "paid content", "paid post",
        "promoted", "partner content", "anzeige", "werbung", "publicité", "publicidad", "pubblicità", "publicidade",
    ]
    private static let affiliateWords = [
        "commission", "affiliate", "eine provision", "comisión", "commissione", "comissão",
    ]
    /// What the commission is earned on: the reader's purchases through the page's links.
    private static let purchaseWords = [
        "if you buy", "when you buy", "if you purchase", "when you purchase", "from purchases", "qualifying purchases",
        "through links", "through our links", "links on this", "via links", "über links", "über diese links",
        "si vous achetez", "via nos liens", "si compras", "a través de enlaces", "se acquisti",
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
