internal import GRDB

extension SQLiteStore {
    /// Full-text search over title, text, summary and keywords, best match first.
    ///
    /// `query` is free text and never a syntax error: see ``FullTextQuery`` for what it means.
    /// A query with no word in it (empty, or only punctuation) finds nothing.
    public func search(_ query: String, limit: Int = 20) throws -> [SearchHit] {
        guard limit > 0, let expression = FullTextQuery(query).expression else { return [] }
        // bm25 weights per column (document_id, title, text, summary, keywords): a term in the
        // title or keywords says more about what a document is about than one deep in its text.
        // bm25 is lower for better matches, so it sorts ascending and is negated for SearchHit.
        let rows = try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT f.document_id AS id, d.title AS title, d.topic AS topic,
                           snippet(documents_fts, 2, '«', '»', '…', 16) AS text_snippet,
                           snippet(documents_fts, -1, '«', '»', '…', 16) AS best_snippet,
                           bm25(documents_fts, 0.0, 4.0, 1.0, 2.0, 3.0) AS score
                    FROM documents_fts AS f
                    JOIN documents AS d ON d.id = f.document_id
                    WHERE documents_fts MATCH ?
                    ORDER BY score, f.document_id
                    LIMIT ?
                    """,
                arguments: [expression, limit])
        }
        return rows.map { row in
            // The text is where a reader wants to see the match in context; fall back to whichever
            // column matched (often the title) when the text itself holds no match.
            let textSnippet: String = row["text_snippet"]
            let snippet = textSnippet.contains("«") ? textSnippet : row["best_snippet"]
            let score: Double = row["score"]
            return SearchHit(id: row["id"], title: row["title"], snippet: snippet, rank: -score, topic: row["topic"])
        }
    }
}
