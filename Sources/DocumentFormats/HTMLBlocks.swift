/// One run of text between block boundaries (a paragraph, heading, list item, table row, a `<div>`'s
/// own text), with what the main-content selector needs to judge it.
struct HTMLBlock: Sendable, Equatable {
    /// Whitespace-collapsed visible text.
    var text: String
    /// The innermost block element around the text: "p", "h2", "li", "td", "div"…
    var tag: String
    /// The open elements around the text, outermost first, as indexes into `HTMLPageLayout.elements`.
    var ancestors: [Int]
    /// 2 when a blank line separated this block from the text before it, 1 for a line break.
    var breakBefore: Int
    /// Non-space characters, and how many of them were inside `<a href>`.
    var characters: Int
    var linkCharacters: Int
    var words: Int

    var linkDensity: Double { characters == 0 ? 0 : Double(linkCharacters) / Double(characters) }
    var isHeading: Bool { tag.count == 2 && tag.first == "h" && tag.last.map { ("1"..."6").contains($0) } == true }
}

/// An element that was open around some text: its tag, the element around it, and what its names hint.
struct HTMLElementInfo: Sendable, Equatable {
    var tag: String
    var parent: Int?
    var hint: HTMLHint
    /// The `class` attribute as written, to recognise repeated cards ("card", "teaser-item").
    var className: String = ""
    /// A link marked `rel="sponsored"`: the attribute search engines ask of paid and affiliate links.
    var paidLink = false
}

/// A page cut into blocks, with the elements that contain them.
struct HTMLPageLayout: Sendable, Equatable {
    var blocks: [HTMLBlock] = []
    var elements: [HTMLElementInfo] = []

    /// The text of the chosen blocks laid out as the old extractor laid out the whole page: a line
    /// break or blank line between blocks, a blank line where something was left out between them.
    func text(of chosen: [Int]) -> String {
        var output = TextAccumulator()
        var previous: Int?
        for index in chosen {
            let block = blocks[index]
            let skipped = previous.map { index != $0 + 1 } ?? false
            output.breakLine(paragraph: block.breakBefore > 1 || skipped)
            output.append(block.text)
            previous = index
        }
        return output.finish()
    }
}

/// Collects blocks while the HTML walker reads the page.
struct HTMLBlockBuilder {
    private(set) var layout = HTMLPageLayout()
    private var current = TextAccumulator()
    private var currentStarted = false
    private var currentTag = "body"
    private var currentAncestors: [Int] = []
    private var currentBreak = 0
    private var characters = 0
    private var linkCharacters = 0
    private var words = 0
    private var pendingBreak = 0
    private var endsInWord = false

    mutating func addElement(
        tag: String, parent: Int?, hint: HTMLHint, className: String = "", paidLink: Bool = false
    ) -> Int {
        layout.elements.append(
            HTMLElementInfo(tag: tag, parent: parent, hint: hint, className: className, paidLink: paidLink))
        return layout.elements.count - 1
    }

    /// Adds decoded text; `openElements` and `blockTag` describe where it sits, used when it starts a block.
    mutating func append(_ chunk: String, inLink: Bool, openElements: [Int], blockTag: String) {
        var visible = 0
        for character in chunk {
            if character.isWhitespace {
                endsInWord = false
                continue
            }
            if !endsInWord { words += 1 }
            endsInWord = true
            visible += 1
        }
        guard visible > 0 else {
            if currentStarted { current.append(chunk) }
            return
        }
        if !currentStarted {
            currentStarted = true
            currentAncestors = openElements
            currentTag = blockTag
            currentBreak = pendingBreak
            pendingBreak = 0
        }
        characters += visible
        if inLink { linkCharacters += visible }
        current.append(chunk)
    }

    mutating func breakLine(paragraph: Bool) {
        finishBlock()
        pendingBreak = max(pendingBreak, paragraph ? 2 : 1)
        endsInWord = false
    }

    mutating func finish() -> HTMLPageLayout {
        finishBlock()
        return layout
    }

    private mutating func finishBlock() {
        guard currentStarted else { return }
        layout.blocks.append(
            HTMLBlock(
                text: current.finish(), tag: currentTag, ancestors: currentAncestors, breakBefore: currentBreak,
                characters: characters, linkCharacters: linkCharacters, words: words))
        current = TextAccumulator()
        currentStarted = false
        characters = 0
        linkCharacters = 0
        words = 0
    }
}
