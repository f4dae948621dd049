/// What an element's `class`, `id`, `role` and `itemprop` say about the text inside it.
enum HTMLHint: Sendable, Equatable {
    case neutral
    /// Site chrome: menus, banners, adverts, share bars, related links, comments, footers.
    case boilerplate
    /// The article itself: `class="article-body"`, `role="main"`, `itemprop="articleBody"`.
    case content
    /// Who wrote it and when: bylines, datelines, post meta. Not body text, but the author's name is wanted.
    case byline
}

/// Reads the names sites give their page parts. Sites rarely use `<nav>` or `<aside>` for every menu or
/// advert, but they nearly always name the `<div>`: "cookie-banner", "ad-slot", "share-bar", "related".
enum HTMLBoilerplateHints {
    static func hint(tag: String, attributes: [String: String]) -> HTMLHint {
        // Page-wide wrappers carry theme classes ("has-sidebar", "single-post") that say nothing about their text.
        if tag == "html" || tag == "body" { return .neutral }
        // A pull quote repeats the article's own words, whatever box it is set in
        // (`<aside class="pull-quote" role="complementary">`).
        if isPullQuote(attributes["class"]) { return .neutral }
        if let role = attributes["role"]?.lowercased() {
            if boilerplateRoles.contains(role) { return .boilerplate }
            if role == "main" || role == "article" { return .content }
        }
        if let itemprop = attributes["itemprop"]?.lowercased() {
            if itemprop == "articlebody" || itemprop == "text" { return .content }
            if itemprop == "author" || itemprop == "datepublished" { return .byline }
        }
        if attributes["rel"]?.lowercased() == "author" { return .byline }
        let names = [attributes["class"], attributes["id"]].compactMap { $0?.lowercased() }.joined(separator: " ")
        guard !names.isEmpty else { return .neutral }
        return hint(names: names)
    }

    /// `pullquote`, `pull-quote`, `pull_quote`, `wp-block-pullquote`.
    static func isPullQuote(_ className: String?) -> Bool {
        guard let className = className?.lowercased(), className.contains("quote") else { return false }
        let compact = className.filter { $0.isLetter || $0 == " " }
        return compact.split(separator: " ").contains { $0.hasSuffix("pullquote") }
    }

    /// The hint for a run of class and id names, lowercased ("article-body main", "cookie_banner").
    static func hint(names: String) -> HTMLHint {
        let tokens = names.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        if tokens.contains(where: isBoilerplate) { return .boilerplate }
        if tokens.contains(where: { bylineWords.contains($0) }) { return .byline }
        if tokens.contains(where: { contentWords.contains($0) }) { return .content }
        return .neutral
    }

    private static func isBoilerplate(_ token: String) -> Bool {
        if boilerplateWords.contains(token) { return true }
        // Compound names are common ("sharebar", "socialicons", "cookieconsent", "adcontainer").
        return boilerplateStems.contains { token.contains($0) }
            || boilerplatePrefixes.contains { token.hasPrefix($0) && token.count <= $0.count + 9 }
    }

    /// Whole names only: short or ambiguous words that would match too much as substrings.
    private static let boilerplateWords: Set<String> = [
        "nav", "ad", "ads", "tags", "tag", "skip", "share", "social", "sidebar", "widget", "widgets", "popup", "modal",
        "pager", "pagination", "breadcrumb", "breadcrumbs", "masthead", "topbar", "toolbar", "teaser", "teasers",
        "trending", "popular", "outbrain", "taboola", "sponsored", "disqus", "signup", "login", "paywall",
        "copyright", "legal", "colophon", "offcanvas", "dropdown", "print", "rating", "reactions", "likes",
    ]
    /// Stems that mark chrome wherever they appear in a name.
    private static let boilerplateStems = [
        "menu", "footer", "cookie", "consent", "gdpr", "banner", "advert", "promo", "sharing", "sharebar",
        "share-", "socialmedia", "related", "recommend", "comment", "subscribe", "newsletter", "navbar",
        "navigation", "sponsor", "mostread", "most-read", "morestories", "more-stories", "readnext", "read-next",
    ]
    /// Prefixes of compound names: "adslot", "adsbygoogle", "socialicons", "shareicons".
    private static let boilerplatePrefixes = ["ads", "adslot", "adunit", "social", "share", "sidebar", "widget"]
    private static let boilerplateRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "menu", "menubar", "search",
    ]
    private static let bylineWords: Set<String> = [
        "byline", "author", "authors", "dateline", "timestamp", "published", "posted", "meta", "postmeta",
        "entrymeta", "date", "pubdate", "firma", "autor", "autora", "autore", "auteur", "signature", "verfasser",
        "autoria",
    ]
    private static let contentWords: Set<String> = [
        "article", "content", "post", "story", "entry", "body", "main", "text", "prose", "articlebody", "storybody",
    ]
}
