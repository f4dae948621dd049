/// Finds lists of teaser cards: three or more sibling elements of the same tag and class, each led by a
/// link ("Bus depot plans approved" → /local/bus-depot) and perhaps a line of summary. Sites name them
/// anything ("item", "c-card", "x7"), but the repetition gives them away.
///
/// A card holding more than `proseWords` words outside links is not a teaser but a repeated part of the
/// article: a live blog's timestamped entries, each with its own "Share this update" links, are siblings
/// of one class too (the third held-out web pages, now development pages, had one).
enum HTMLTeaserLists {
    static let proseWords = 40

    static func teaserElements(in layout: HTMLPageLayout) -> Set<Int> {
        var holdsLink = Set<Int>()
        var prose = [Int](repeating: 0, count: layout.elements.count)
        for block in layout.blocks {
            if block.linkDensity > 0.5 {
                if block.words >= 2 { holdsLink.formUnion(block.ancestors) }
            } else {
                for element in block.ancestors { prose[element] += block.words }
            }
        }
        var groups: [Group: [Int]] = [:]
        for (index, element) in layout.elements.enumerated()
        where cardTags.contains(element.tag) && !element.className.isEmpty && element.parent != nil {
            groups[Group(parent: element.parent!, tag: element.tag, className: element.className), default: []]
                .append(index)
        }
        var teasers = Set<Int>()
        for members in groups.values
        where members.count >= 3 && members.allSatisfy({ holdsLink.contains($0) && prose[$0] <= proseWords }) {
            teasers.formUnion(members)
        }
        return teasers
    }

    private struct Group: Hashable {
        var parent: Int
        var tag: String
        var className: String
    }

    private static let cardTags: Set<String> = ["div", "li", "article", "section", "figure"]
}
