import Foundation
import Testing
import TextAnalysis

@testable import DocumentFormats

/// A news page the way many sites build one: every piece of chrome is a `<div>`, none a `<nav>` or `<aside>`.
private let newsPage = """
    <!DOCTYPE html><html><head><title>Harbour cranes switch to hydrogen | Harbour Daily</title></head>
    <body class="article-page has-sidebar">
    <div id="cookie-notice"><p>We use cookies to personalise content and ads and to analyse our traffic.</p>
    <a href="#">Accept all cookies</a></div>
    <div class="top-menu"><a href="/">Home</a> <a href="/ports">Ports</a> <a href="/energy">Energy</a></div>
    <div class="ad-leaderboard"><a href="https://ads.example/1">BUY CHEAP WATCHES — 90% OFF</a></div>
    <div class="story">
      <h1>Harbour cranes switch to hydrogen</h1>
      <div class="byline">By Pieter van Dijk</div>
      <div class="story-body">
        <p>The port has begun a six-month trial of two container cranes powered by hydrogen fuel cells this week.</p>
        <div class="inline-ad">Advertisement</div>
        <p>Terminal managers said the first week had gone without incident, although refuelling took longer.</p>
      </div>
      <div class="related-stories"><h3>Related stories</h3><ul>
        <li><a href="/1">Antwerp opens shore power for ships</a></li>
        <li><a href="/2">Electrolyser rises on the coast</a></li>
      </ul></div>
    </div>
    <div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
    <div class="site-footer"><p>Harbour Daily is published by Quayside Media, Rotterdam. All rights reserved.</p></div>
    </body></html>
    """

@Suite struct HTMLMainContentTests {
    @Test func advertsCookieBannersAndDivMenusAreLeftOut() {
        let page = HTMLText.extract(newsPage)
        for chrome in [
            "WATCHES", "cookies", "Accept", "Ports", "Advertisement", "Related", "Antwerp", "Facebook",
            "Quayside", "Pieter",
        ] {
            #expect(!page.text.contains(chrome), "kept chrome: \(chrome)")
        }
        #expect(
            page.text == """
                Harbour cranes switch to hydrogen

                The port has begun a six-month trial of two container cranes powered by hydrogen fuel cells this week.

                Terminal managers said the first week had gone without incident, although refuelling took longer.
                """)
    }

    @Test func titleAndBylineComeOut() {
        let page = HTMLText.extract(newsPage)
        #expect(page.title == "Harbour cranes switch to hydrogen")
        #expect(page.source == "Harbour Daily")
        #expect(page.author == "Pieter van Dijk")
        let blog = HTMLText.extract(
            """
            <html><body><h1>Why I stopped</h1><div class="entry-meta">Posted on 4 October 2025 by Ruth Whitaker</div>
            <div class="entry-content"><p>Three years ago I spent far too much money on a motorised desk.</p></div>
            </body></html>
            """)
        #expect(blog.title == "Why I stopped")
        #expect(blog.author == "Ruth Whitaker")
        #expect(!blog.text.contains("Posted on"))
    }

    @Test func pageWithoutBoilerplateKeepsAllItsText() {
        let page = HTMLText.extract(
            """
            <html><head><title>Club rules</title></head><body>
            <div class="intro"><h1>Club rules</h1><p>These rules apply to all members and visitors.</p></div>
            <div class="section"><h2>Safety</h2><p>No crew may go afloat on a red board.</p></div>
            <div class="section"><h2>Fees</h2><table><tr><th>Membership</th><th>Fee</th></tr>
            <tr><td>Full</td><td>£420</td></tr></table></div>
            <ul><li>Short item</li><li>Another</li></ul>
            <p>See <a href="/faq">the questions page</a>.</p>
            <p>Questions to the secretary.</p>
            </body></html>
            """)
        #expect(
            page.text == """
                Club rules

                These rules apply to all members and visitors.

                Safety

                No crew may go afloat on a red board.

                Fees

                Membership Fee
                Full £420

                Short item
                Another

                See the questions page.

                Questions to the secretary.
                """)
    }

    @Test func commentsAndShareBarsInsideTheArticleAreLeftOut() {
        let page = HTMLText.extract(
            """
            <html><body><article><h1>Four-day weeks</h1>
            <div class="sharebar"><a href="#">Facebook</a><a href="#">Email</a><span>1.2k shares</span></div>
            <p>Of the 61 companies that took part in the trial, 56 kept the shorter week after it ended.</p>
            <p>The firms that signed up were mostly small offices in marketing and software.</p></article>
            <section class="comments"><div class="comment"><p>I work in a warehouse that tried this last year and we
            went back after two months.</p></div></section></body></html>
            """)
        #expect(page.text.contains("56 kept the shorter week"))
        #expect(!page.text.contains("warehouse"))
        #expect(!page.text.contains("shares"))
    }

    /// Utility classes only: nothing in the names says banner, newsletter or byline, so the text has to.
    @Test func consentBannersSignUpBoxesAndReadingTimesAreToldByWhatTheySay() {
        let page = HTMLText.extract(
            """
            <html><head><title>Tram line reopens after repairs · City Wire</title></head><body>
            <div class="fixed bottom-0 p-4">We and our partners use cookies to measure audiences and show
            relevant adverts; you can change your choice at any time in the settings. <span>Accept</span>
            <span>Reject</span></div>
            <div class="mx-auto max-w-3xl">
              <h1 class="text-4xl">Tram line reopens after repairs</h1>
              <div class="text-sm text-gray-500">By Lena Fischer · 4 min read</div>
              <div class="mt-8">
                <p>The eastern tram line reopened on Monday after six weeks of track repairs between the depot and
                the river bridge.</p>
                <p>Passengers had used replacement buses since April, which added up to twenty minutes to the
                journey at busy times.</p>
              </div>
              <div class="mt-10 rounded-lg border p-6">
                <div class="font-semibold">City Wire Daily</div>
                <div class="text-sm">The day's local news in one short email, every morning before seven. Free,
                and you can unsubscribe at any time.</div>
                <span class="rounded px-4">Sign up</span>
              </div>
            </div></body></html>
            """)
        #expect(
            page.text == """
                Tram line reopens after repairs

                The eastern tram line reopened on Monday after six weeks of track repairs between the depot and the river bridge.

                Passengers had used replacement buses since April, which added up to twenty minutes to the journey at busy times.
                """)
        #expect(page.author == "Lena Fischer")
        #expect(page.title == "Tram line reopens after repairs")
    }

    @Test func aParagraphAboutCookiesOrNewslettersInTheArticleStays() {
        let page = HTMLText.extract(
            """
            <html><body><article><h1>Regulator fines publisher</h1>
            <p>The regulator said the publisher had placed advertising cookies before readers could accept or
            reject them, and that its privacy notice named more than four hundred partners.</p>
            <p>The publisher said it would appeal and that its newsletter sign-up page had already been changed
            in March, long before the investigation began.</p>
            <p>The fine is the largest the regulator has imposed on a news organisation since the law changed.</p>
            </article></body></html>
            """)
        #expect(page.text.contains("four hundred partners"))
        #expect(page.text.contains("newsletter sign-up page"))
    }

    /// Adverts built from bare `<div>`s: told by their label, by a paid link's button, and the affiliate
    /// disclosure by what it says; a paid link inside a paragraph and a quote naming a commission stay.
    @Test func advertBoxesAndAffiliateDisclosuresAreToldByTheirLabelsAndLinks() {
        let page = HTMLText.extract(
            """
            <html><body><div class="mx-auto"><h1>Five ways to keep a kitchen warm</h1>
            <div class="p-3 text-xs">We may earn a commission if you buy through links on this page. It does not
            change what we recommend.</div>
            <div class="space-y-4">
              <div class="mb-4">Kitchens lose heat through tiled floors and the extractor fan more than through
              their windows, the two engineers we spoke to agreed.</div>
              <div class="flex p-4"><div class="text-xs">Advertisement</div>
                <div class="text-sm">Compare fixed energy deals in two minutes and save up to three hundred a year.</div>
                <a href="https://ads.example/c" class="rounded">Compare now</a></div>
              <div class="mb-4">A rug on a tiled floor helps, and a draught strip under the back door costs little;
              we liked the one <a href="https://shop.example/strip" rel="sponsored nofollow">sold by Voltmart</a>.</div>
              <div class="flex gap-4"><img src="t.jpg" alt=""><div>
                <div class="font-bold">Hearthwise T2 Smart Thermostat</div>
                <div class="text-sm">Control your heating from your phone and let it learn your routine.</div>
                <a href="https://go.example/t2" rel="sponsored">Shop now</a></div></div>
              <div class="mb-4">"We may look again at the grants," a spokesperson for the Energy Commission said on
              Tuesday, when asked about the cost of insulating older homes.</div>
            </div></div></body></html>
            """)
        #expect(page.text.contains("tiled floors and the extractor fan"))
        #expect(page.text.contains("sold by Voltmart"))
        #expect(page.text.contains("Energy Commission said"))
        for chrome in [
            "earn a commission", "Advertisement", "Compare fixed energy deals", "Compare now", "Hearthwise",
            "learn your routine", "Shop now",
        ] {
            #expect(!page.text.contains(chrome), "\(chrome)")
        }
    }

    /// A pull quote in an `<aside>` (WordPress's and many magazines' markup) repeats the article's words; other
    /// asides are sidebars.
    @Test func aPullQuoteInAnAsideStaysAndOtherAsidesGo() {
        let page = HTMLText.extract(
            """
            <html><body><article><h1>The smell of the past</h1>
            <p>The archive keeps more than four thousand perfumes, some of them a century old, in a cellar kept at
            twelve degrees all year.</p>
            <aside class="pull-quote" role="complementary"><blockquote><p>A formula tells you what was in the
            bottle. It does not tell you what it was like to wear it.</p></blockquote></aside>
            <p>Its librarian compares the work to musicology: finding out what an oil smelled like before deciding
            whether to use it.</p>
            <aside class="related" role="complementary"><p>Read the rest of our series on the history of scent and
            the chemists who keep it.</p></aside>
            </article></body></html>
            """)
        #expect(page.text.contains("It does not tell you what it was like to wear it."))
        #expect(page.text.contains("finding out what an oil smelled like"))
        #expect(!page.text.contains("Read the rest of our series"))
    }

    /// A live blog: its entries are siblings of one class with share links each, like teaser cards, but each
    /// holds paragraphs; the key points beside the feed keep their heading.
    @Test func liveBlogEntriesAndTheirKeyPointsStay() {
        let entry = { (n: Int) in
            "<div class=\"live-entry\"><time>1\(n):00</time><h3>Update number \(n) from the coast</h3>"
                + "<p>Crews worked through the afternoon to clear fallen trees from the coast road, and the council "
                + "said the route would reopen once every tree had been checked by its own arborists, probably "
                + "before the evening rush hour \(n).</p>"
                + "<div class=\"entry-share\"><span>Share this update</span> <a href=\"#e\(n)\">Copy link</a> "
                + "<a href=\"#\">Facebook</a></div></div>"
        }
        let page = HTMLText.extract(
            """
            <html><body><main><article><h1>Storm live: roads closed</h1>
            <section class="key-points"><h2>What we know so far</h2><ul>
            <li>Gusts of up to 80mph were recorded on the headland this morning</li>
            <li>Around 20,000 homes are without power in the two western districts</li></ul></section>
            <div class="live-feed">\((1...4).map(entry).joined())</div>
            </article></main></body></html>
            """)
        #expect(page.text.contains("What we know so far\n\nGusts of up to 80mph"))
        for n in 1...4 {
            #expect(page.text.contains("Update number \(n) from the coast"))
            #expect(page.text.contains("before the evening rush hour \(n)."))
        }
        #expect(!page.text.contains("Share this update"))
    }

    /// From the third held-out pages (now development pages): a section whose content is all in subsections,
    /// a subtitle set as `<h2>` outside the article's container, a Portuguese byline, and prose after the
    /// article that does not follow on from it (a widget's footnote, an author's bio after the tags).
    @Test func subsectionsSubtitlesAndWhatFollowsTheArticle() {
        let page = HTMLText.extract(
            """
            <html><body><div class="page"><h1>The AirCrisp Duo reviewed</h1>
            <h2>A two-drawer air fryer that gets the basics right, and almost nothing else wrong</h2>
            <div class="noticia-autoria">Por Luíza Montenegro</div><div>24/03/2026</div>
            <div class="review-body">
              <p>The AirCrisp Duo has two drawers that can cook at different temperatures and finish together, which
              is the one feature that sets a dual-zone fryer apart from a single big basket.</p>
              <p>Chips came out crisp and even in both drawers, and chicken thighs were done in twenty minutes.</p>
              <p>Cleaning is easy: both drawers and their crisper plates are dishwasher-safe, and the coating
              survived three weeks of daily use without a scratch. The fan is noticeable but not intrusive.</p>
              <p>Baking is its weak point. A sponge cake rose unevenly and browned on top long before the middle
              was done, so anyone hoping to replace an oven will be disappointed by it.</p>
              <h2>Pros and cons</h2>
              <div><h3>Pros</h3><ul><li>Both drawers finish together</li><li>Easy to clean</li></ul></div>
              <div><h3>Cons</h3><ul><li>Small drawers for their stated capacity</li></ul></div>
            </div>
            <div class="price-widget"><div>Best prices today</div>
              <div><span>Shopwell</span> <a href="https://go.example/1" rel="sponsored">View deal</a></div>
              <div>Prices checked daily. We check over 120 retailers for the lowest prices on this model.</div></div>
            <div class="tag-row"><a href="/t/1">Air fryers</a> <a href="/t/2">Kitchen</a></div>
            <p>Imogen Sato has tested kitchen appliances for eight years and has owned eleven toasters so far.</p>
            </div></body></html>
            """)
        #expect(page.text.contains("Pros and cons\n\nPros\n\nBoth drawers finish together"))
        #expect(page.text.contains("Cons\n\nSmall drawers"))
        #expect(page.text.contains("A two-drawer air fryer that gets the basics right"))
        #expect(!page.text.contains("Prices checked daily"))
        #expect(!page.text.contains("eleven toasters"))
        #expect(!page.text.contains("Luíza"))
        #expect(page.author == "Luíza Montenegro")
    }

    /// A code block keeps its lines; its language tab and an advert label in the page's language go.
    @Test func codeBlocksKeepTheirLinesWithoutTheirLanguageTab() {
        let page = HTMLText.extract(
            """
            <html><body><article><h1>Bramble 5.0 released</h1>
            <p>Install the new release from the package index as usual, then check the migration folder.</p>
            <div class="code-block"><div class="lang">shell</div><pre><code>pip install --upgrade bramble
            bramble check --upgrade-from 4</code></pre></div>
            <div class="slot">Publicité</div>
            <p>The check command warns about anything that will behave differently under the new release.</p>
            </article></body></html>
            """)
        #expect(page.text.contains("pip install --upgrade bramble\nbramble check --upgrade-from 4"))
        #expect(!page.text.contains("shell"))
        #expect(!page.text.contains("Publicité"))
    }

    @Test func repeatedTeaserCardsAndCopyrightLinesAreLeftOut() {
        let card = { (n: Int) in
            "<div class=\"item\"><a href=\"/\(n)\"><b>Story number \(n) headline</b></a>"
                + "<p>A one-line summary of story \(n) that tempts the reader to click through.</p></div>"
        }
        let page = HTMLText.extract(
            """
            <html><body><div class="x"><h2>Clock chimes again</h2>
            <div class="t">The clock on the town hall will chime the hours again from next month, after two years.<br><br>
            The bells were disconnected when the building was converted into offices in the spring of 1985.</div>
            <div class="more">\((1...3).map(card).joined())</div>
            <p>© Market Weekly 2025. Letters may be sent to the office.</p></div></body></html>
            """)
        #expect(page.text.hasPrefix("Clock chimes again\n\nThe clock on the town hall"))
        #expect(!page.text.contains("summary"))
        #expect(!page.text.contains("Story number"))
        #expect(!page.text.contains("Market Weekly"))
    }

    @Test func classAndIdNamesHint() {
        for name in [
            "cookie-banner", "ad-slot", "ad", "adsbygoogle", "share-bar", "sharebar", "social-icons",
            "related-stories", "post-comments", "newsletter-signup", "site-footer", "top-menu", "nav-main",
            "promo-box", "sidebar",
        ] {
            #expect(HTMLBoilerplateHints.hint(names: name) == .boilerplate, "\(name)")
        }
        for name in ["article-body", "entry-content", "story", "main", "post"] {
            #expect(HTMLBoilerplateHints.hint(names: name) == .content, "\(name)")
        }
        for name in ["byline", "entry-meta", "author"] {
            #expect(HTMLBoilerplateHints.hint(names: name) == .byline, "\(name)")
        }
        for name in ["x1", "wrapper", "header-wrap", "headline", "address", "shadow"] {
            #expect(HTMLBoilerplateHints.hint(names: name) == .neutral, "\(name)")
        }
        #expect(HTMLBoilerplateHints.hint(tag: "body", attributes: ["class": "has-sidebar"]) == .neutral)
        #expect(HTMLBoilerplateHints.hint(tag: "div", attributes: ["role": "navigation"]) == .boilerplate)
        #expect(HTMLBoilerplateHints.hint(tag: "div", attributes: ["itemprop": "articleBody"]) == .content)
    }

    @Test func pagesWithoutProseKeepTheirText() {
        // A link directory and a poem: nothing reads like an article, so nothing is taken away.
        let links = HTMLText.extract(
            "<html><body><h1>Links</h1><ul><li><a href='/a'>Allotments</a></li>"
                + "<li><a href='/b'>Bees</a></li></ul></body></html>")
        #expect(links.text == "Links\n\nAllotments\nBees")
        let poem = HTMLText.extract(
            "<html><body><p>The tide is in,<br>the boats are still,<br>the gulls asleep.</p></body></html>")
        #expect(poem.text == "The tide is in,\nthe boats are still,\nthe gulls asleep.")
    }

    @Test func unclosedParagraphsAndListItemsEndAtTheNextOne() {
        let page = HTMLText.extract(
            """
            <html><body><div class="story"><h1>Notes</h1><p>First paragraph of the story with enough words to count.
            <p>Second paragraph of the story, also with enough words to count.<ul><li>One item<li>Another item</ul>
            </div><div class="footer-links"><p>Copyright notice with a good many words in it for the footer.</div>
            </body></html>
            """)
        #expect(
            page.text == """
                Notes

                First paragraph of the story with enough words to count.

                Second paragraph of the story, also with enough words to count.

                One item
                Another item
                """)
    }

    @Test func deepNestingStaysLinear() {
        let deep = String(repeating: "<div class=\"a\">word ", count: 100_000) + "<p>The end of a very deep page.</p>"
        let started = ContinuousClock.now
        let page = HTMLText.extract(deep)
        #expect(page.text.hasSuffix("The end of a very deep page."))
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    /// The selector on a layout built by hand: no HTML is parsed.
    @Test func selectorKeepsTheContainerOfMostProseAndDropsLinkLists() {
        var layout = HTMLPageLayout()
        layout.elements = [
            HTMLElementInfo(tag: "body", parent: nil, hint: .neutral), // 0
            HTMLElementInfo(tag: "div", parent: 0, hint: .neutral), // 1: an unnamed menu
            HTMLElementInfo(tag: "div", parent: 0, hint: .neutral), // 2: the article
            HTMLElementInfo(tag: "div", parent: 2, hint: .neutral), // 3: an unnamed link list in it
            HTMLElementInfo(tag: "div", parent: 0, hint: .boilerplate), // 4: a named footer
        ]
        func block(_ text: String, _ tag: String, _ ancestors: [Int], links: Bool = false) -> HTMLBlock {
            let characters = text.filter { !$0.isWhitespace }.count
            return HTMLBlock(
                text: text, tag: tag, ancestors: ancestors, breakBefore: 2, characters: characters,
                linkCharacters: links ? characters : 0, words: text.split(separator: " ").count)
        }
        layout.blocks = [
            block("Home News Sport Weather", "div", [0, 1], links: true),
            block("Headline", "h1", [0, 2]),
            block("A first paragraph with quite a few words in it for the reader.", "p", [0, 2]),
            block("A second paragraph, also long enough to count as prose here.", "p", [0, 2]),
            block("Other story one", "li", [0, 2, 3], links: true),
            block("Copyright notice of the publisher with many words in it, all rights reserved.", "p", [0, 4]),
        ]
        #expect(HTMLMainContent.select(layout).kept == [1, 2, 3])
        #expect(
            layout.text(of: [1, 2, 3]) == "Headline\n\n"
                + "A first paragraph with quite a few words in it for the reader.\n\n"
                + "A second paragraph, also long enough to count as prose here.")
    }

    /// Every fixture page in eval/html/ keeps its article: token F1 ≥ 0.96 against NAME.expected.txt.
    @Test func evalFixturesKeepTheirArticle() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../eval/html").standardized
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html") }
        #expect(pages.count >= 8)
        for page in pages {
            let html = try String(contentsOf: folder.appendingPathComponent(page), encoding: .utf8)
            let expectedName = page.replacingOccurrences(of: ".html", with: ".expected.txt")
            let expected = try String(contentsOf: folder.appendingPathComponent(expectedName), encoding: .utf8)
            let score = TokenOverlap(extracted: HTMLText.extract(html).text, expected: expected)
            #expect(score.f1 >= 0.96, "\(page): F1 \(score.f1), precision \(score.precision), recall \(score.recall)")
        }
    }
}

/// Bag-of-words overlap, as eval/html_extraction.py scores it: lowercased letter-and-digit runs, counts clipped.
private struct TokenOverlap {
    var precision: Double
    var recall: Double
    var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    init(extracted: String, expected: String) {
        func counts(_ text: String) -> [String: Int] {
            text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" })
                .reduce(into: [:]) { $0[String($1), default: 0] += 1 }
        }
        let got = counts(extracted)
        let want = counts(expected)
        let common = got.reduce(0) { $0 + min($1.value, want[$1.key] ?? 0) }
        let produced = got.values.reduce(0, +)
        let wanted = want.values.reduce(0, +)
        precision = produced == 0 ? 0 : Double(common) / Double(produced)
        recall = wanted == 0 ? 0 : Double(common) / Double(wanted)
    }
}
