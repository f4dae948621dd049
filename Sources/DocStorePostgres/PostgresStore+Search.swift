public import DocStore
import PostgresNIO

extension PostgresStore {
    /// Full-text search with the same query language and result shape as the SQLite store.
    ///
    /// The user's words, phrases and prefixes are parsed by ``FullTextQuery`` (so no input is ever a
    /// syntax error), then handed to PostgreSQL in two parts: words and phrases through
    /// `websearch_to_tsquery`, prefixes (`strateg*`, which websearch syntax cannot say) through
    /// `to_tsquery` as `strateg:*`; both parts must match. Ranking is `ts_rank_cd` over the weighted
    /// `search` column (normalised by document length), best first; the snippet is `ts_headline`.
    public func search(_ query: String, limit: Int) async throws -> [SearchHit] {
        let text = PostgresQueryText(FullTextQuery(query))
        guard limit > 0, !text.isEmpty else { return [] }
        let logger = logger
        let statement = SearchDocuments(words: text.words, prefixes: text.prefixes, limit: limit)
        return try await withConnection { connection in
            var hits: [SearchHit] = []
            for try await hit in try await connection.execute(statement, logger: logger) { hits.append(hit) }
            return hits
        }
    }
}

/// A parsed query in PostgreSQL's two query syntaxes. Words hold only letters and digits
/// (``FullTextQuery``), so nothing here needs escaping.
struct PostgresQueryText: Equatable {
    /// For `websearch_to_tsquery`: `"founding act" nato`.
    let words: String
    /// For `to_tsquery`: `strateg:* & nato <-> rus:*`.
    let prefixes: String

    init(_ query: FullTextQuery) {
        words = query.clauses.filter { !$0.prefix }.map { clause in
            clause.words.count == 1 ? clause.words[0] : "\"" + clause.words.joined(separator: " ") + "\""
        }.joined(separator: " ")
        prefixes = query.clauses.filter(\.prefix).map { clause in
            clause.words.joined(separator: " <-> ") + ":*"
        }.joined(separator: " & ")
    }

    var isEmpty: Bool { words.isEmpty && prefixes.isEmpty }
}

struct SearchDocuments: PostgresPreparedStatement {
    static let name = "docpipe_search_v1"
    /// `$1` words, `$2` prefixes (either may be empty), `$3` limit. An empty part is left out rather
    /// than AND-ed in, and both are folded the way the indexed text was (``PostgresSchema``).
    static let sql = """
        WITH query AS (
            SELECT CASE
                WHEN $1 = '' THEN to_tsquery('english', docpipe.fold($2))
                WHEN $2 = '' THEN websearch_to_tsquery('english', docpipe.fold($1))
                ELSE websearch_to_tsquery('english', docpipe.fold($1)) && to_tsquery('english', docpipe.fold($2))
            END AS q)
        SELECT d.id, d.title, d.topic,
               ts_headline('english', left(d.text, \(PostgresSchema.indexedCharacters)), query.q,
                           'StartSel=«, StopSel=», MaxWords=16, MinWords=6, ShortWord=2'),
               ts_headline('english', coalesce(d.title, ''), query.q, 'StartSel=«, StopSel=», HighlightAll=true'),
               ts_rank_cd(d.search, query.q, 1)::float8 AS rank
        FROM docpipe.documents d, query
        WHERE d.search @@ query.q
        ORDER BY rank DESC, d.id
        LIMIT $3
        """
    typealias Row = SearchHit
    let words: String
    let prefixes: String
    let limit: Int

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(words)
        bindings.append(prefixes)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> SearchHit {
        let (id, title, topic, textSnippet, titleSnippet, rank) =
            try row.decode((String, String?, String?, String, String, Double).self)
        // As on SQLite: the text shows the match in context; when only the title matched, show it.
        let snippet = textSnippet.contains("«") || !titleSnippet.contains("«") ? textSnippet : titleSnippet
        return SearchHit(id: id, title: title, snippet: snippet, rank: rank, topic: topic)
    }
}
