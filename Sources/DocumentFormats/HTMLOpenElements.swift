/// The stack of elements open at the walker's position, closed the forgiving way browsers close them:
/// a stray end tag is ignored, an end tag closes everything opened inside it, and a new `<p>`, `<li>`
/// or table cell ends the one before it.
struct HTMLOpenElements {
    private(set) var ids: [Int] = []
    private var names: [String] = []
    private var links: [Bool] = []
    private var linkDepth = 0
    /// Elements opened past `maximumDepth`, not tracked: every block copies the stack, so hostile nesting
    /// (100,000 unclosed `<div>`s) must not make that quadratic.
    private var untracked = 0

    static let maximumDepth = 256

    var inLink: Bool { linkDepth > 0 }

    /// The innermost block element: what kind of block text at this position belongs to.
    var blockTag: String {
        names.last { !Self.inline.contains($0) } ?? "body"
    }

    /// Whether a new element would be tracked; when not, `push` only counts it.
    var isFull: Bool { ids.count >= Self.maximumDepth }

    /// Inside `<pre>`: its line breaks are the text's.
    var inPreformatted: Bool { names.contains("pre") }

    mutating func push(_ name: String, id: Int, isLink: Bool) {
        guard !isFull else {
            untracked += 1
            return
        }
        ids.append(id)
        names.append(name)
        links.append(isLink)
        if isLink { linkDepth += 1 }
    }

    mutating func close(_ name: String) {
        if untracked > 0 {
            untracked -= 1
            return
        }
        guard let index = names.lastIndex(of: name) else { return }
        pop(from: index)
    }

    /// Ends the elements that the start tag `name` closes without an end tag.
    mutating func closeImplied(by name: String) {
        let (closes, stopsAt): (Set<String>, Set<String>)
        switch name {
        case "li": (closes, stopsAt) = (["li"], ["ul", "ol", "menu"])
        case "dt", "dd": (closes, stopsAt) = (["dt", "dd"], ["dl"])
        case "td", "th": (closes, stopsAt) = (["td", "th"], ["tr", "table"])
        case "tr": (closes, stopsAt) = (["tr", "td", "th"], ["table", "thead", "tbody", "tfoot"])
        case "option": (closes, stopsAt) = (["option"], ["select"])
        default:
            guard Self.closesParagraph.contains(name) else { return }
            // A block start tag ends an open <p> when only inline elements were opened inside it since.
            if let index = names.lastIndex(of: "p"), names[(index + 1)...].allSatisfy({ Self.inline.contains($0) }) {
                pop(from: index)
            }
            return
        }
        for index in names.indices.reversed() {
            if stopsAt.contains(names[index]) { return }
            if closes.contains(names[index]) {
                pop(from: index)
                return
            }
        }
    }

    private mutating func pop(from index: Int) {
        linkDepth -= links[index...].filter { $0 }.count
        ids.removeSubrange(index...)
        names.removeSubrange(index...)
        links.removeSubrange(index...)
    }

    static let inline: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "label", "mark", "q",
        "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "del", "ins", "big", "tt", "strike",
        "picture", "nobr",
    ]
    static let closesParagraph: Set<String> = [
        "p", "div", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "blockquote",
        "pre", "header", "footer", "main", "figure", "hr", "address", "fieldset", "details", "form", "nav", "aside",
    ]
}
