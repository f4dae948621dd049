extension DashboardPage {
    /// The page's JavaScript: polls the JSON API every 1.5 s and redraws the panels.
    ///
    /// Every string from the API reaches the page through `textContent` or `setAttribute` (the `h` helper),
    /// never through `innerHTML`, so a document title or an error message cannot inject markup.
    /// Timestamps are read as ISO-8601 strings or Unix seconds, whichever the gateway sends.
    static let script = #"""
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

        // --- Live panels ---
        // OUT/s now per stage, from counter deltas between polls, as `docpipe top` draws its sparklines.
        // Time is the broker's uptime, so a slow answer does not skew a rate (and a restart starts afresh).
        function record(status, rows) {
          const now = pick(status, "uptime_s", "uptime_seconds") ?? Date.now() / 1000;
          const replies = Object.fromEntries(rows.map((r) => [r.service, (r.done || 0) + (r.failed || 0)]));
          const finished = status.jobs.done + status.jobs.failed;
          if (state.last && now > state.last.at) {
            const seconds = now - state.last.at;
            for (const [service, count] of Object.entries(replies)) {
              const before = state.last.replies[service] ?? count;
              (state.stageOut[service] ||= []).push(Math.max(0, count - before) / seconds);
              if (state.stageOut[service].length > 120) state.stageOut[service].shift();
            }
            state.totalOut.push(Math.max(0, finished - state.last.finished) / seconds);
            if (state.totalOut.length > 120) state.totalOut.shift();
          }
          state.last = { at: now, replies, finished };
        }
        function stageRows(status) {
          if (status.stages) return status.stages;
          return status.services.map((s) => ({ service: s.name, queued: s.queued, inflight: s.inflight,
            in_per_s: 0, out_per_s: 0, done: 0, failed: 0, retried: 0, dead_lettered: 0, workers: s.workers }));
        }
        function setTotal(name, value, text) {
          const el = document.querySelector('[data-total="' + name + '"]');
          el.textContent = text === undefined ? fmt.count(value) : text;
          el.dataset.value = value == null ? "" : value;
        }
        function renderStatus(status) {
          const t = status.totals || {};
          const role = status.role && status.role !== "active" ? " · " + status.role.toUpperCase() : "";
          $("broker").textContent = status.endpoint + " · broker " + status.version + " · up "
            + fmt.age(pick(status, "uptime_s", "uptime_seconds")) + role;
          setTotal("in_per_s", t.in_per_s ?? 0, fmt.rate(t.in_per_s ?? 0));
          setTotal("out_per_s", t.out_per_s ?? 0, fmt.rate(t.out_per_s ?? 0));
          setTotal("queued", t.queued ?? status.jobs.queued);
          setTotal("oldest_queued_s", t.oldest_queued_s, fmt.age(t.oldest_queued_s));
          setTotal("dead_letters", t.dead_letters ?? 0);
          setTotal("workers", status.workers, status.workers + "/" + (t.workers_known ?? status.workers));
          for (const k of ["accepted", "done", "failed", "running"]) setTotal(k, status.jobs[k]);
          const e2e = t.end_to_end_ms && t.end_to_end_ms.count > 0 ? t.end_to_end_ms : null;
          setTotal("end_to_end", e2e ? e2e.p95 : null, e2e
            ? [e2e.p50, e2e.p95, e2e.p99].map(fmt.millis).join("  /  ") : "no samples yet");
          const rows = stageRows(status);
          record(status, rows);
          $("total-spark").replaceChildren(sparkline(state.totalOut, 240, 20),
            fmt.rate(state.totalOut[state.totalOut.length - 1] || 0));
          fill($("stage-rows"), rows.map((s) => h("tr", { "data-stage": s.service },
            h("td", { "data-field": "service" }, s.service),
            num("queued", s.queued), num("inflight", s.inflight),
            num("oldest_queued_s", s.oldest_queued_s, fmt.age(s.oldest_queued_s)),
            num("in_per_s", s.in_per_s, fmt.rate(s.in_per_s)), num("out_per_s", s.out_per_s, fmt.rate(s.out_per_s)),
            num("done", s.done), num("failed", s.failed, undefined, true), num("retried", s.retried),
            num("dead_lettered", s.dead_lettered, undefined, true),
            num("workers", s.workers, undefined, false),
            num("p95_ms", p95(s.latency_ms), fmt.millis(p95(s.latency_ms))),
            h("td", {}, sparkline(state.stageOut[s.service] || [], 64, 18)))), 13, "no stages yet");
        }
        function renderWorkers(list) {
          // Stale and busy first: those are the ones an operator is looking for (as in `docpipe top`).
          const order = { stale: 0, busy: 1, idle: 2 };
          const workers = [...list.workers].sort((a, b) => (order[a.state] ?? 3) - (order[b.state] ?? 3)
            || a.service.localeCompare(b.service) || a.id.localeCompare(b.id));
          $("worker-count").textContent = "(" + workers.length + ")";
          fill($("worker-rows"), workers.map((w) => h("tr", { "data-worker": w.id },
            h("td", { class: "mono" }, w.id), h("td", { "data-field": "service" }, w.service), h("td", {}, w.host ?? "-"),
            num("pid", w.pid, w.pid ?? "-"), h("td", { "data-field": "state" }, badge(w.state)),
            num("last_heartbeat_s", w.last_heartbeat_s, fmt.age(w.last_heartbeat_s)),
            num("inflight", w.inflight), num("done", w.done), num("failed", w.failed, undefined, true),
            num("p95_ms", p95(w.latency_ms), fmt.millis(p95(w.latency_ms))),
            num("uptime_s", w.uptime_s, fmt.age(w.uptime_s)))), 11, "no workers connected");
        }
        function renderJobs(list) {
          fill($("job-rows"), list.jobs.map((j) => h("tr", { "data-job-row": j.job_id },
            h("td", {}, jobLink(j.job_id)), h("td", { class: "wrap" }, j.name ?? "-"), h("td", {}, j.pipeline),
            h("td", { "data-field": "state" }, badge(j.state)), h("td", {}, j.stage ?? "-"),
            num("attempts", j.attempts), num("updated_at", unixSeconds(j.updated_at), ago(j.updated_at)))),
            7, "no jobs yet");
        }
        // One line, cut with an ellipsis; the whole message is the cell's tooltip.
        function reasonCell(error) {
          const text = error ? error.reason + ": " + error.message : "-";
          return h("td", { class: "cut", title: text, "data-field": "reason" }, text);
        }
        function renderDeadLetters(list) {
          $("dlq-count").textContent = "(" + fmt.count(list.total) + ")";
          fill($("dlq-rows"), list.jobs.map((d) => h("tr", { "data-dead-letter": d.job_id },
            h("td", { title: d.name ?? "" }, jobLink(d.job_id)), h("td", {}, d.stage),
            num("attempts", d.attempts),
            reasonCell(d.error),
            num("failed_at", unixSeconds(d.failed_at), ago(d.failed_at)))), 5, "none");
        }

        const panels = [
          ["/v1/status", renderStatus, "overview-note"],
          ["/v1/workers", renderWorkers, "workers-note"],
          ["/v1/jobs?limit=15", renderJobs, "jobs-note"],
          ["/v1/dead-letters?limit=20", renderDeadLetters, "dlq-note"],
        ];
        async function refresh() {
          clearTimeout(state.timer);
          const answers = await Promise.allSettled(panels.map(([path]) => api(path)));
          let unauthorized = null, failed = null;
          answers.forEach((answer, i) => {
            const [, render, note] = panels[i];
            if (answer.status === "fulfilled") {
              try { render(answer.value); $(note).textContent = ""; }
              catch (e) { $(note).textContent = "cannot show this answer: " + e.message; failed ||= e.message; }
            } else if (answer.reason instanceof Unauthorized) {
              unauthorized = answer.reason.message;
            } else {
              $(note).textContent = answer.reason.message;
              failed ||= answer.reason.message;
            }
          });
          if (unauthorized) {
            // Polling waits for a token: asking the gateway again without one changes nothing.
            askForToken(unauthorized);
            $("live").className = "down";
            $("live").textContent = "needs a token";
            return;
          }
          state.refreshes += 1;
          document.body.dataset.refreshes = state.refreshes;
          $("live").className = failed ? "down" : "ok";
          $("live").textContent = failed ? failed : "live · " + new Date().toLocaleTimeString();
          if (!state.detailDone) route();
          state.timer = setTimeout(refresh, POLL_MS);
        }

        // --- Search ---
        // The store marks matches as «word»; those become <mark> elements, everything else plain text.
        function highlighted(snippet) {
          return String(snippet || "").split(/(«[^»]*»)/).filter((part) => part)
            .map((part) => part.startsWith("«") && part.endsWith("»") ? h("mark", {}, part.slice(1, -1)) : part);
        }
        $("search-form").addEventListener("submit", async (event) => {
          event.preventDefault();
          const q = $("search-input").value.trim();
          if (!q) return;
          $("search-note").textContent = "";
          // ?q= in the address, so a search can be linked and reloaded.
          history.replaceState(null, "", "?q=" + encodeURIComponent(q) + location.hash);
          try {
            const hits = await api("/v1/search?q=" + encodeURIComponent(q) + "&limit=20");
            const list = Array.isArray(hits) ? hits : hits.results || [];
            const hitID = (hit) => pick(hit, "document_id", "id");
            $("search-results").replaceChildren(...(list.length ? list.map((hit) => h("li", { "data-document": hitID(hit) },
              docLink(hitID(hit), hit.title || hitID(hit)), hit.topic ? [" ", badge(hit.topic)] : null,
              h("div", { class: "snippet" }, highlighted(hit.snippet)))) : [h("li", { class: "empty" }, "no match")]));
          } catch (e) {
            if (e instanceof Unauthorized) askForToken(e.message);
            $("search-results").replaceChildren();
            $("search-note").textContent = e.message;
          }
        });

        // --- Detail view: #job/ID and #doc/ID, so a detail can be linked and reloaded ---
        function fields(pairs) {
          return h("dl", {}, pairs.filter(([, v]) => v != null && v !== "")
            .map(([k, v]) => [h("dt", {}, k), h("dd", { "data-field": k }, v)]));
        }
        function errorBox(error) {
          return error ? h("div", { class: "error-box", "data-field": "error" },
            (error.code ?? "") + " " + error.reason + ": " + error.message + (error.retryable ? " (retryable)" : "")) : null;
        }
        // Whole-second ISO timestamps cannot time a job that took under a second.
        function took(job, seconds) {
          const coarse = [job.created_at, job.updated_at].some((v) => typeof v === "string" && !/\.\d/.test(v));
          return coarse && seconds < 1 ? "under 1s" : fmt.millis(seconds * 1000);
        }
        function renderJob(job) {
          const created = unixSeconds(job.created_at), updated = unixSeconds(job.updated_at);
          const finished = job.state === "done" || job.state === "failed";
          state.detailDone = finished;
          $("detail-title").textContent = "Job";
          return [
            fields([["job", h("span", { class: "mono" }, job.job_id)], ["state", badge(job.state)],
              ["pipeline", job.pipeline], ["document", docLink(job.document_id)],
              ["stage", finished ? null : job.stage], ["stages done", (job.stages_done || []).join(" → ") || "none"],
              ["attempts", String(job.attempts)], ["created", when(job.created_at)],
              ["updated", when(job.updated_at) + " (" + ago(job.updated_at) + ")"],
              ["took", finished && created != null && updated != null ? took(job, updated - created) : null]]),
            errorBox(job.error),
            h("div", { class: "scroll" }, h("table", {}, h("thead", {}, h("tr", {}, ["stage", "attempt", "outcome", "worker", "duration", "at", "error"]
              .map((c) => h("th", {}, c)))),
              h("tbody", {}, (job.history || []).length ? job.history.map((a) => h("tr", { "data-history-stage": a.stage },
                h("td", {}, a.stage), num("attempt", a.attempt), h("td", {}, badge(a.outcome)), h("td", {}, a.worker ?? "-"),
                num("duration_ms", pick(a, "duration_ms"), fmt.millis(pick(a, "duration_ms"))),
                h("td", { title: when(a.at) }, when(a.at).slice(11)),
                h("td", { class: "wrap" }, a.error ? a.error.reason + ": " + a.error.message : "")))
                : h("tr", {}, h("td", { colspan: 7, class: "empty" }, "no stage has run yet"))))),
          ];
        }
        function renderDocument(doc) {
          state.detailDone = true;
          $("detail-title").textContent = "Document";
          const confidence = pick(doc, "topic_confidence", "topicConfidence");
          const entities = Array.isArray(doc.entities)
            ? doc.entities.map((e) => typeof e === "string" ? e : e.text + (e.type ? " [" + e.type + "]" : "")).join(", ")
            : null;
          const jobID = pick(doc, "job_id", "jobID");
          return [fields([["title", doc.title], ["id", h("span", { class: "mono" }, pick(doc, "document_id", "id"))],
            ["version", doc.version != null ? String(doc.version) : null], ["name", doc.name], ["source", doc.source],
            ["author", doc.author], ["language", doc.language],
            ["topic", doc.topic ? doc.topic + (confidence != null ? " (" + Number(confidence).toFixed(2) + ")" : "") : null],
            ["words", pick(doc, "word_count", "wordCount") != null ? fmt.count(pick(doc, "word_count", "wordCount")) : null],
            ["keywords", (doc.keywords || []).join(", ")], ["entities", entities],
            ["dates", (doc.dates || []).join(", ")], ["summary", doc.summary],
            ["stored", when(pick(doc, "stored_at", "storedAt"))], ["job", jobID ? jobLink(jobID) : null]])];
        }
        async function route() {
          const match = /^#(job|doc)\/(.+)$/.exec(location.hash);
          if (!match) { $("detail").hidden = true; state.detailDone = true; return; }
          const [, kind, id] = match;
          $("detail").hidden = false;
          try {
            const body = await api((kind === "job" ? "/v1/jobs/" : "/v1/documents/") + encodeURIComponent(decodeURIComponent(id)));
            if (location.hash !== match[0]) return;
            $("detail-body").replaceChildren(...(kind === "job" ? renderJob(body) : renderDocument(body)).filter((n) => n));
            $("detail-body").dataset.kind = kind;
            $("detail-note").textContent = "";
          } catch (e) {
            if (e instanceof Unauthorized) askForToken(e.message);
            state.detailDone = true;
            $("detail-body").replaceChildren();
            $("detail-note").textContent = e.message;
          }
        }
        $("detail-close").addEventListener("click", (event) => { event.preventDefault(); location.hash = ""; });
        window.addEventListener("hashchange", route);
        route();
        refresh();
        const linkedQuery = new URLSearchParams(location.search).get("q");
        if (linkedQuery) { $("search-input").value = linkedQuery; $("search-form").requestSubmit(); }
        """#
}
