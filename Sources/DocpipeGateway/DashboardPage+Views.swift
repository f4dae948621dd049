extension DashboardPage {
    /// The search box and the detail view of a job or a document, then the page's start.
    package static let scriptViews = #"""
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
