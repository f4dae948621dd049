extension DashboardPage {
    /// The page's JavaScript: polls the JSON API every 1.5 s and redraws the panels.
    ///
    /// Every string from the API reaches the page through `textContent` or `setAttribute` (the `h` helper),
    /// never through `innerHTML`, so a document title or an error message cannot inject markup.
    /// Timestamps are read as ISO-8601 strings or Unix seconds, whichever the gateway sends.
    package static let script = [scriptBasics, scriptPanels, scriptViews].joined(separator: "\n")

    /// Formats, the DOM builder, and the API with its token.
    package static let scriptBasics = #"""
        "use strict";
        const POLL_MS = 1500;
        const TOKEN_KEY = "docpipe.gateway.token";
        const $ = (id) => document.getElementById(id);
        const state = { refreshes: 0, timer: null, last: null, stageOut: {}, totalOut: [], detailDone: true };

        // Numbers the way `docpipe top` writes them (OperatorFormat), so both views read alike.
        const pad2 = (n) => String(n).padStart(2, "0");
        const fmt = {
          age(s) {
            if (s == null || !isFinite(s)) return "-";
            s = Math.max(0, s);
            if (s < 10) return s.toFixed(1) + "s";
            const w = Math.floor(s);
            if (w < 60) return w + "s";
            if (w < 3600) return Math.floor(w / 60) + "m" + pad2(w % 60) + "s";
            if (w < 86400) return Math.floor(w / 3600) + "h" + pad2(Math.floor(w % 3600 / 60)) + "m";
            return Math.floor(w / 86400) + "d" + pad2(Math.floor(w % 86400 / 3600)) + "h";
          },
          rate(r) { return !(r > 0) || !isFinite(r) ? "0" : r < 100 ? r.toFixed(1) : String(Math.round(r)); },
          millis(ms) {
            if (ms == null || !isFinite(ms)) return "-";
            if (ms < 1) return ms.toFixed(2) + "ms";
            if (ms < 10) return ms.toFixed(1) + "ms";
            if (ms < 1000) return Math.round(ms) + "ms";
            if (ms < 10000) return (ms / 1000).toFixed(1) + "s";
            return Math.round(ms / 1000) + "s";
          },
          count(n) { return n == null ? "-" : Number(n).toLocaleString("en-US"); },
        };
        // A timestamp as Unix seconds: the gateway sends ISO-8601 strings or numbers.
        function unixSeconds(v) {
          if (typeof v === "number") return v;
          if (typeof v === "string") { const t = Date.parse(v); return isNaN(t) ? null : t / 1000; }
          return null;
        }
        function ago(v) { const t = unixSeconds(v); return t == null ? "-" : fmt.age(Date.now() / 1000 - t) + " ago"; }
        function when(v) {
          const t = unixSeconds(v);
          return t == null ? "-" : new Date(t * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
        }
        const p95 = (summary) => summary && summary.count > 0 ? summary.p95 : null;
        const pick = (o, ...keys) => { for (const k of keys) if (o && o[k] != null) return o[k]; return null; };

        // Builds an element; strings become text nodes, so nothing from the API is parsed as HTML.
        function h(tag, attrs, ...children) {
          const el = document.createElement(tag);
          for (const [k, v] of Object.entries(attrs || {})) {
            if (v == null || v === false) continue;
            if (k.startsWith("on")) el.addEventListener(k.slice(2), v); else el.setAttribute(k, String(v));
          }
          for (const c of children.flat(Infinity)) if (c != null) el.append(c instanceof Node ? c : String(c));
          return el;
        }
        // A numeric cell: the formatted text shows, the raw number stays in data-value for tests and tools.
        function num(field, value, text, alarm) {
          const cls = "num" + (alarm && value > 0 ? " nonzero" : "");
          return h("td", { class: cls, "data-field": field, "data-value": value == null ? "" : value },
                   text === undefined ? fmt.count(value) : text);
        }
        const badge = (s) => h("span", { class: "state state-" + String(s).replace(/[^a-z]/g, "") }, s);
        const jobLink = (id) => h("a", { href: "#job/" + encodeURIComponent(id), "data-job": id, class: "mono" }, id);
        const docLink = (id, text) => h("a", { href: "#doc/" + encodeURIComponent(id), class: "mono" }, text || id);
        function fill(tbody, rows, columns, emptyText) {
          tbody.replaceChildren(...(rows.length ? rows
            : [h("tr", {}, h("td", { colspan: columns, class: "empty" }, emptyText))]));
        }
        function sparkline(values, width, height) {
          const ns = "http://www.w3.org/2000/svg";
          const svg = document.createElementNS(ns, "svg");
          svg.setAttribute("class", "spark");
          svg.setAttribute("width", width);
          svg.setAttribute("height", height);
          const shown = values.slice(-40);
          const peak = Math.max(0, ...shown);
          if (shown.length > 1 && peak > 0) {
            const step = width / 39, x0 = width - step * (shown.length - 1);
            const line = document.createElementNS(ns, "polyline");
            line.setAttribute("points", shown.map((v, i) =>
              (x0 + i * step).toFixed(1) + "," + (height - 1 - (v / peak) * (height - 2)).toFixed(1)).join(" "));
            svg.append(line);
          }
          return svg;
        }

        // --- The API, with the token when the gateway wants one ---
        class Unauthorized extends Error {}
        function savedToken() { try { return localStorage.getItem(TOKEN_KEY); } catch (e) { return null; } }
        async function api(path) {
          const headers = { Accept: "application/json" };
          const token = savedToken();
          if (token) headers.Authorization = "Bearer " + token;
          const response = await fetch(path, { headers, cache: "no-store" });
          let body = null;
          try { body = await response.json(); } catch (e) { body = null; }
          if (response.status === 401) {
            throw new Unauthorized(token ? "The gateway refused the saved token; enter another."
              : "This gateway wants an API token (a line of its --tokens file).");
          }
          if (!response.ok) throw new Error((body && body.message) || response.status + " " + response.statusText);
          return body;
        }
        function askForToken(why) {
          $("token-why").textContent = why;
          $("token-panel").hidden = false;
          $("token-input").focus();
        }
        $("token-form").addEventListener("submit", (event) => {
          event.preventDefault();
          const token = $("token-input").value.trim();
          if (!token) return;
          try { localStorage.setItem(TOKEN_KEY, token); } catch (e) { /* private mode: this page only */ }
          $("token-input").value = "";
          $("token-panel").hidden = true;
          refresh();
          route();
        });
        """#
}
