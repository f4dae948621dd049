extension DashboardPage {
    /// The page's CSS: system fonts only (nothing is fetched), light and dark by the browser's preference.
    package static let style = #"""
        :root {
          --bg: #f6f7f9; --panel: #fff; --ink: #1d2430; --muted: #687385; --line: #e2e6ec;
          --accent: #2f6fde; --ok: #1f8a4c; --warn: #b7791f; --bad: #c53030; --spark: #2f6fde;
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #12161c; --panel: #1b2129; --ink: #e4e8ee; --muted: #8d98a8; --line: #2b333e;
                  --accent: #6ea0ff; --ok: #4cc27f; --warn: #e0a84a; --bad: #f07070; --spark: #6ea0ff; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink);
               font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 16px; padding: 10px 20px;
                 background: var(--panel); border-bottom: 1px solid var(--line); }
        header h1 { font-size: 18px; margin: 0; }
        header .meta { color: var(--muted); }
        #live { margin-left: auto; color: var(--muted); }
        #live.ok::before { content: "● "; color: var(--ok); }
        #live.down::before { content: "● "; color: var(--bad); }
        main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; padding: 16px 20px; }
        @media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } }
        section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px;
                  margin-bottom: 16px; }
        h2 { font-size: 14px; margin: 0 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
        h2 .count { color: var(--ink); }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(110px, 1fr)); gap: 8px; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
        .card .label { color: var(--muted); font-size: 12px; }
        .card .value { font-size: 20px; font-variant-numeric: tabular-nums; }
        .card .value.small { font-size: 14px; }
        .card.wide { grid-column: span 2; }
        .trend { display: flex; align-items: center; gap: 8px; margin-top: 8px; color: var(--muted); }
        .trend #total-spark { display: flex; align-items: center; gap: 6px; color: var(--ink); }
        table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; border-bottom: 1px solid var(--line);
             padding: 4px 5px; white-space: nowrap; }
        td { padding: 4px 5px; border-bottom: 1px solid var(--line); white-space: nowrap; }
        td.num, th.num { text-align: right; }
        td.wrap { white-space: normal; }
        td.cut { max-width: 8em; overflow: hidden; text-overflow: ellipsis; }
        tr:last-child td { border-bottom: none; }
        .nonzero { color: var(--bad); font-weight: 600; }
        .empty { color: var(--muted); font-style: italic; }
        .note { color: var(--bad); margin: 4px 0 0; }
        .note:empty { display: none; }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
        .state { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; border: 1px solid; }
        .state-done, .state-ok, .state-idle { color: var(--ok); }
        .state-running, .state-queued, .state-busy { color: var(--accent); }
        .state-failed, .state-error, .state-timeout, .state-lost, .state-stale { color: var(--bad); }
        svg.spark { display: block; }
        .scroll { overflow-x: auto; }
        svg.spark polyline { fill: none; stroke: var(--spark); stroke-width: 1.5; }
        form { display: flex; gap: 8px; }
        input { flex: 1; padding: 6px 8px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg);
                color: var(--ink); font: inherit; }
        button { padding: 6px 12px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg);
                 color: var(--ink); font: inherit; cursor: pointer; }
        button:hover { border-color: var(--accent); }
        ul.results { list-style: none; margin: 8px 0 0; padding: 0; }
        ul.results li { padding: 6px 0; border-bottom: 1px solid var(--line); }
        ul.results li:last-child { border-bottom: none; }
        .snippet { color: var(--muted); }
        mark { background: #ffe58a; color: #1d2430; border-radius: 2px; }
        dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 0 0 10px; }
        dt { color: var(--muted); }
        dd { margin: 0; overflow-wrap: anywhere; }
        .error-box { border-left: 3px solid var(--bad); padding: 4px 8px; margin: 0 0 10px; overflow-wrap: anywhere; }
        .detail-head { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
        #token-panel { border-color: var(--warn); }
        [hidden] { display: none !important; }
        """#
}
