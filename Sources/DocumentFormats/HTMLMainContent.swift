import Foundation
import TextAnalysis

/// Chooses the article among a page's blocks and leaves out the chrome around it, whatever tags the
/// chrome uses. Pure logic over an `HTMLPageLayout` (which the walker in HTMLText.swift builds), so it
/// is tested on layouts written by hand.
///
/// The article is the smallest element holding most of the page's prose (blocks of several words,
/// few of them links, with no boilerplate name around them). Inside it every block is kept except those
/// named or shaped like chrome (share bars, adverts, link lists); outside it only the headline and prose
/// standing right next to it are kept. A page with no chrome keeps all its text.
struct HTMLMainContent: Sendable, Equatable {
    /// Indexes of the blocks that make up the article, in page order.
    var kept: [Int]
    /// The byline's name, when the page shows one ("By Ana Lima" → "Ana Lima").
    var byline: String?

    /// `title` is the page's title as found in its metadata, so that a headline set in `<h2>` is known.
    static func select(_ layout: HTMLPageLayout, title: String? = nil) -> HTMLMainContent {
        HTMLMainContentSelector(layout: layout, title: title).run()
    }
}

private struct HTMLMainContentSelector {
    let layout: HTMLPageLayout
    let title: String?
    /// What each element counts as once its size and its repeated siblings are taken into account.
    private var effectiveHint: [HTMLHint]

    init(layout: HTMLPageLayout, title: String?) {
        self.layout = layout
        self.title = title?.lowercased()
        effectiveHint = layout.elements.map(\.hint)
        for teaser in HTMLTeaserLists.teaserElements(in: layout) { effectiveHint[teaser] = .boilerplate }
        for box in HTMLCallsToAction.boxes(in: layout) { effectiveHint[box] = .boilerplate }
        overrideBoilerplateWrappers()
    }

    func run() -> HTMLMainContent {
        let blocks = layout.blocks
        let marks = blocks.map(mark)
        let byline = findByline(marks: marks)
        let evidence = blocks.indices.map { index in isProse(index, marks: marks) ? blocks[index].words : 0 }
        let total = evidence.reduce(0, +)
        guard total > 0 else {
            // Nothing reads like an article: keep whatever is not named as chrome, or everything.
            let unmarked = blocks.indices.filter { marks[$0] == .neutral && $0 != byline?.block }
            return HTMLMainContent(kept: unmarked.isEmpty ? Array(blocks.indices) : unmarked, byline: byline?.name)
        }
        let container = articleContainer(evidence: evidence, total: total)
        // The headline is the first <h1>, else the heading that repeats the page's title.
        let unmarked = blocks.indices.filter { marks[$0] == .neutral }
        let headline =
            unmarked.first { blocks[$0].tag == "h1" }
            ?? unmarked.first { blocks[$0].isHeading && blocks[$0].text.lowercased() == title }
        // Prose beside the article after its end is kept only while it follows on from it: an author's bio
        // or a price widget's footnote comes after blocks that were left out (tags, the widget's rows).
        let articleEnd = container.flatMap { container in blocks.lastIndex { $0.ancestors.contains(container) } }
        var followsOn = true
        var kept: [Int] = []
        for index in blocks.indices where index != byline?.block {
            let block = blocks[index]
            let inside = container.map { block.ancestors.contains($0) } ?? true
            let after = articleEnd.map { index > $0 } ?? false
            let keep: Bool
            if marks[index] != .neutral {
                keep = false
            } else if index == headline {
                keep = true
            } else if inside {
                keep = !looksLikeChrome(block)
            } else {
                keep =
                    isBesideArticle(index, container: container) && isProse(index, marks: marks)
                    && block.words >= 10 && block.linkDensity < 0.2 && (!after || followsOn)
            }
            if keep { kept.append(index) } else if after { followsOn = false }
        }
        if let headline { kept = keepSubtitle(after: headline, kept, marks: marks) }
        kept = keepHeadingsOfProseBeside(kept, marks: marks, container: container)
        // A reading-time line is not the article wherever it stands (beside the headline, in the body), nor
        // a code block's language tab ("shell" over `<pre>`).
        kept.removeAll {
            HTMLCallsToAction.isReadingTime(blocks[$0].text.lowercased(), words: blocks[$0].words)
                || isCodeLanguageLabel($0)
        }
        kept = dropLeadingChrome(kept, headline: headline)
        return HTMLMainContent(kept: dropEmptySections(kept), byline: byline?.name)
    }

    /// A block's strongest mark from the elements around it: boilerplate beats byline beats anything else.
    /// A consent notice or an affiliate disclosure is boilerplate whatever its names.
    private func mark(_ block: HTMLBlock) -> HTMLHint {
        if HTMLCallsToAction.isConsentNotice(block) || HTMLCallsToAction.isAffiliateDisclosure(block) {
            return .boilerplate
        }
        var result = HTMLHint.neutral
        for element in block.ancestors {
            switch effectiveHint[element] {
            case .boilerplate: return .boilerplate
            case .byline: result = .byline
            default: break
            }
        }
        return result
    }

    /// Prose counts as evidence of the article: several words, mostly not links, not a heading.
    private func isProse(_ index: Int, marks: [HTMLHint]) -> Bool {
        let block = layout.blocks[index]
        return marks[index] == .neutral && !block.isHeading && block.words >= 6 && block.linkDensity < 0.35
    }

    /// The deepest element holding at least 80 % of the prose, or nil for the whole page.
    private func articleContainer(evidence: [Int], total: Int) -> Int? {
        var perElement = [Int](repeating: 0, count: layout.elements.count)
        for (index, block) in layout.blocks.enumerated() where evidence[index] > 0 {
            for element in block.ancestors { perElement[element] += evidence[index] }
        }
        var best: Int?
        var bestDepth = -1
        for (element, words) in perElement.enumerated() where Double(words) >= 0.8 * Double(total) {
            let depth = self.depth(of: element)
            if depth > bestDepth || (depth == bestDepth && effectiveHint[element] == .content) {
                best = element
                bestDepth = depth
            }
        }
        guard let best else { return nil }
        // A lone paragraph is not a container; its parent is where the article's other blocks live.
        if Self.paragraphTags.contains(layout.elements[best].tag) { return layout.elements[best].parent }
        return best
    }

    private func depth(of element: Int) -> Int {
        var depth = 0
        var cursor = layout.elements[element].parent
        while let parent = cursor {
            depth += 1
            cursor = layout.elements[parent].parent
        }
        return depth
    }

    /// A standfirst or lead paragraph next to the article body: in the same parent as the article container.
    private func isBesideArticle(_ index: Int, container: Int?) -> Bool {
        guard let container, let parent = layout.elements[container].parent else { return false }
        return layout.blocks[index].ancestors.contains(parent)
    }

    /// Link lists, share bars and one-word labels inside the article ("Advertisement", "Share this").
    private func looksLikeChrome(_ block: HTMLBlock) -> Bool {
        let lowered = block.text.lowercased()
        if Self.chromeLabels.contains(where: { lowered.hasPrefix($0) }), block.words <= 4 || block.linkDensity >= 0.4 {
            return true
        }
        // An advert slot's label in the page's language ("Publicité", "Anzeige").
        if block.words <= 2, HTMLCallsToAction.advertLabels.contains(HTMLCallsToAction.label(block.text)) {
            return true
        }
        // A copyright notice is never the article, wherever the page puts it.
        if block.words <= 30, lowered.hasPrefix("©") || lowered.hasPrefix("copyright") { return true }
        if block.isHeading { return false }
        // A paragraph that says "See <a>the report</a>." is prose; one that is nothing but a link is a teaser.
        if block.tag == "p" { return block.linkDensity > 0.9 && block.words < 12 }
        return block.linkDensity > 0.6
    }

    /// A sentence-long heading right under the headline is its subtitle (`<h2 class="subtitle">`), wherever
    /// the page puts the article's container.
    private func keepSubtitle(after headline: Int, _ kept: [Int], marks: [HTMLHint]) -> [Int] {
        let next = headline + 1
        guard next < layout.blocks.count, !kept.contains(next), marks[next] == .neutral else { return kept }
        let block = layout.blocks[next]
        guard block.isHeading, block.tag != "h1", block.words >= 6, block.linkDensity < 0.2, !looksLikeChrome(block)
        else { return kept }
        return (kept + [next]).sorted()
    }

    /// A heading beside the article whose next block was kept beside it too heads part of the article (a
    /// live blog's "What we know so far" over its key points, next to the feed of entries).
    private func keepHeadingsOfProseBeside(_ kept: [Int], marks: [HTMLHint], container: Int?) -> [Int] {
        guard let container else { return kept }
        let keptSet = Set(kept)
        let blocks = layout.blocks
        let headings = blocks.indices.filter { index in
            index + 1 < blocks.count && blocks[index].isHeading && marks[index] == .neutral
                && !keptSet.contains(index) && keptSet.contains(index + 1)
                && !blocks[index + 1].ancestors.contains(container) && !blocks[index].ancestors.contains(container)
                && isBesideArticle(index, container: container) && !looksLikeChrome(blocks[index])
        }
        return headings.isEmpty ? kept : (kept + headings).sorted()
    }

    private func isCodeLanguageLabel(_ index: Int) -> Bool {
        let blocks = layout.blocks
        guard index + 1 < blocks.count, blocks[index].tag != "pre", blocks[index + 1].tag == "pre",
            blocks[index].words == 1
        else { return false }
        return Self.codeLanguages.contains(blocks[index].text.lowercased())
    }

    /// Short lines ahead of the headline are menus and banners that had no telling name.
    private func dropLeadingChrome(_ kept: [Int], headline: Int?) -> [Int] {
        guard let headline else { return kept }
        return kept.filter { index in
            index >= headline || (layout.blocks[index].words >= 10 && layout.blocks[index].linkDensity < 0.35)
        }
    }

    /// A heading kept while everything under it was dropped ("Related stories" over its links) headed chrome.
    /// Under it means up to the next heading of its level or above: "Pros and cons" (h2) holds "Pros" (h3).
    private func dropEmptySections(_ kept: [Int]) -> [Int] {
        let keptSet = Set(kept)
        let blocks = layout.blocks
        return kept.filter { index in
            guard blocks[index].isHeading, blocks[index].tag != "h1" else { return true }
            let level = blocks[index].tag
            var cursor = index + 1
            while cursor < blocks.count, !(blocks[cursor].isHeading && blocks[cursor].tag <= level) {
                if keptSet.contains(cursor), !blocks[cursor].isHeading { return true }
                cursor += 1
            }
            return false
        }
    }

    /// The first byline-marked block short enough to be a name, or a "By …" line near the headline.
    private func findByline(marks: [HTMLHint]) -> (block: Int, name: String)? {
        for (index, block) in layout.blocks.enumerated() where block.words <= 14 {
            if marks[index] == .byline,
                let name = TitleAndSource.byline(block.text) ?? nameAfterBy(block.text) ?? plausibleName(block.text)
            {
                return (index, name)
            }
            if marks[index] == .neutral, let name = TitleAndSource.byline(block.text) { return (index, name) }
        }
        return nil
    }

    /// The name ending a byline element's text: "Posted on 4 May by Ruth Whitaker", "Words and pictures by Ana Lima".
    private func nameAfterBy(_ text: String) -> String? {
        guard let by = text.range(of: " by ", options: [.caseInsensitive, .backwards]) else { return nil }
        return TitleAndSource.byline("By " + text[by.upperBound...])
    }

    /// A byline element's text when it is only a name: "Ana Lima", not "Updated 3 hours ago".
    private func plausibleName(_ text: String) -> String? {
        let words = text.split(separator: " ")
        guard (2...4).contains(words.count), words.allSatisfy({ $0.first?.isUppercase == true }),
            !text.contains(where: \.isNumber)
        else { return nil }
        return text
    }

    /// A wrapper named like chrome that holds most of the page's prose is a theme class on the page
    /// wrapper ("site-content has-comments"), not chrome.
    private mutating func overrideBoilerplateWrappers() {
        var words = [Int](repeating: 0, count: layout.elements.count)
        var total = 0
        for block in layout.blocks where !block.isHeading && block.linkDensity < 0.35 {
            total += block.words
            for element in block.ancestors { words[element] += block.words }
        }
        guard total > 0 else { return }
        for element in layout.elements.indices where effectiveHint[element] == .boilerplate {
            if Double(words[element]) >= 0.6 * Double(total) { effectiveHint[element] = .neutral }
        }
    }

    static let codeLanguages: Set<String> = [
        "shell", "bash", "sh", "zsh", "console", "terminal", "powershell", "python", "py", "javascript", "js",
        "typescript", "ts", "json", "yaml", "yml", "toml", "sql", "html", "css", "swift", "go", "rust", "java",
        "kotlin", "ruby", "php", "c", "c++", "cpp", "c#", "text", "plaintext", "ini", "xml", "dockerfile", "diff",
    ]
    static let paragraphTags: Set<String> = ["p", "li", "td", "th", "blockquote", "pre", "dd", "dt"]
    static let chromeLabels = [
        "advertisement", "advertising", "sponsored", "share this", "share on", "share:", "read more", "read next",
        "related:", "skip to", "subscribe", "sign up", "follow us", "scroll to continue", "continue reading",
    ]
}
