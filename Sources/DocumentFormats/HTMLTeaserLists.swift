/// Finds lists of teaser cards: three or more sibling elements of the same tag and class, each led by a
/// link ("Bus depot plans approved" → /local/bus-depot) and perhaps a line of summary. Sites name them
/// anything ("item", "c-card", "x7"), but the repetition gives them away.
enum HTMLTeaserLists {
    static func teaserElements(in layout: HTMLPageLayout) -> Set<Int> {
        var holdsLink = Set<Int>()
        for block in layout.blocks where block.linkDensity > 0.5 && block.words >= 2 {
            holdsLink.formUnion(block.ancestors)
        }
        var groups: [Group: [Int]] = [:]
        for (index, element) in layout.elements.enumerated()
        where cardTags.contains(element.tag) && !element.className.isEmpty && element.parent != nil {
            groups[Group(parent: element.parent!, tag: element.tag, className: element.className), default: []]
                .append(index)
        }
        var teasers = Set<Int>()
        for members in groups.values where members.count >= 3 && members.allSatisfy(holdsLink.contains) {
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
